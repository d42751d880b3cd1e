"""The date reader on the expressions the reports actually print."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.dates import find_dates, heading_year, parse_date, period_end
from bot.models import Precision

D, M, H, Q, Y = Precision.DAY, Precision.MONTH, Precision.HALF, Precision.QUARTER, Precision.YEAR


def spans(text: str, year: int | None = 2021):
    return [(s.start, s.end, s.precision) for s in find_dates(text, year)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'21.11.19.", [(date(2021, 11, 19), None, D)]),
        ("’21.11.19.", [(date(2021, 11, 19), None, D)]),
        ("2021. 9. 6.(월)", [(date(2021, 9, 6), None, D)]),
        ("2021년 9월 6일", [(date(2021, 9, 6), None, D)]),
        ("2021-11-19", [(date(2021, 11, 19), None, D)]),
        ("출범식 개최(21.7.1)", [(date(2021, 7, 1), None, D)]),
        ("( ' 19. 5. 31. 현재 )", [(date(2019, 5, 31), None, D)]),
        ("'21. 7.19.", [(date(2021, 7, 19), None, D)]),
    ],
)
def test_full_dates_with_two_or_four_digit_years(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'21. 10. 1.(금) ~ 10. 10.(일) (10일간)", [(date(2021, 10, 1), date(2021, 10, 10), D)]),
        ("'21.10.1~10", [(date(2021, 10, 1), date(2021, 10, 10), D)]),
        ("(6.21~23)", [(date(2021, 6, 21), date(2021, 6, 23), D)]),
        ("'21. 6. 15.(화) ~ 6. 17.(목)/ 로마", [(date(2021, 6, 15), date(2021, 6, 17), D)]),
        ("'21. 9. 3.(금) 21:00 ~ 9. 4.(토) 01:00", [(date(2021, 9, 3), date(2021, 9, 4), D)]),
        ("'15. 9. 7. ~ '16. 2. 3.", [(date(2015, 9, 7), date(2016, 2, 3), D)]),
        ("'20.5.29.~12.24.", [(date(2020, 5, 29), date(2020, 12, 24), D)]),
        ("(8.24 ~ 9.5)", [(date(2021, 8, 24), date(2021, 9, 5), D)]),
    ],
)
def test_day_ranges_take_year_and_month_from_their_start(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("('21.10.~'22. 5.)", [(date(2021, 10, 1), date(2022, 5, 1), M)]),
        ("('22.1.~'23.12.)", [(date(2022, 1, 1), date(2023, 12, 1), M)]),
        ("'21. 8~9월", [(date(2021, 8, 1), date(2021, 9, 1), M)]),
        ("’21.4~9월 / 서울시립대학교", [(date(2021, 4, 1), date(2021, 9, 1), M)]),
        ("'21. 4 ~ 7월", [(date(2021, 4, 1), date(2021, 7, 1), M)]),
        ("'21. 7월~9월", [(date(2021, 7, 1), date(2021, 9, 1), M)]),
        ("'21. 10월 ~ 12월 중/ 서울·파리", [(date(2021, 10, 1), date(2021, 12, 1), M)]),
        ("(8~12월)", [(date(2021, 8, 1), date(2021, 12, 1), M)]),
        ("(4~12)", [(date(2021, 4, 1), date(2021, 12, 1), M)]),
        ("('15.7월~'18.2월)", [(date(2015, 7, 1), date(2018, 2, 1), M)]),
        ("2021. 1 ~ 12월", [(date(2021, 1, 1), date(2021, 12, 1), M)]),
        ("12~2월", [(date(2021, 12, 1), date(2022, 2, 1), M)]),
        ("(21.6~7월, 5주간)", [(date(2021, 6, 1), date(2021, 7, 1), M)]),
    ],
)
def test_month_ranges_including_ones_that_cross_the_year(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("('21.11.)", [(date(2021, 11, 1), None, M)]),
        ("('21.4)", [(date(2021, 4, 1), None, M)]),
        ("'21. 5월", [(date(2021, 5, 1), None, M)]),
        ("'20년 5월 베이징", [(date(2020, 5, 1), None, M)]),
        ("(6월초)", [(date(2021, 6, 1), None, M)]),
        ("'21.4월 말 행안부에서 공개 예정", [(date(2021, 4, 1), None, M)]),
        ("'21.6월 중", [(date(2021, 6, 1), None, M)]),
        ("'21.7월 이후/ 장소 미정", [(date(2021, 7, 1), None, M)]),
        ("홍보 성과평가(12월)", [(date(2021, 12, 1), None, M)]),
    ],
)
def test_months_with_and_without_year_and_qualifiers(text, expected):
    assert spans(text) == expected


def test_year_less_dates_resolve_to_the_given_section_year():
    assert spans("기본계획 수립(6월)", 2016) == [(date(2016, 6, 1), None, M)]
    assert spans("명예시민증 수여(3.26)", 2019) == [(date(2019, 3, 26), None, D)]


def test_year_less_dates_are_skipped_without_any_year_to_resolve_them():
    assert spans("청춘멘토링 콘서트(10월)", None) == []
    assert spans("'21.11월 응모, 12월 결정", None) == [(date(2021, 11, 1), None, M), (date(2021, 12, 1), None, M)]


def test_a_printed_year_carries_over_to_later_year_less_dates_in_the_text():
    assert spans("('16.3월 / 7월 /11월)", 2021) == [
        (date(2016, 3, 1), None, M),
        (date(2016, 7, 1), None, M),
        (date(2016, 11, 1), None, M),
    ]
    assert spans("'18. 3월·12월", 2021) == [(date(2018, 3, 1), None, M), (date(2018, 12, 1), None, M)]


def test_slash_between_two_months_with_suffix_means_two_separate_dates():
    assert spans("마을미디어 하반기 성과공유회(9월/11월)") == [
        (date(2021, 7, 1), None, H),  # the reader finds the bare 하반기; callers decide if it dates anything
        (date(2021, 9, 1), None, M),
        (date(2021, 11, 1), None, M),
    ]
    assert spans("(7,8월)") == [(date(2021, 7, 1), None, M), (date(2021, 8, 1), None, M)]


def test_month_slash_month_with_one_suffix_is_read_as_the_span_it_covers():
    assert spans("만족도 제고 및 자긍심 고취: 7/12월") == [(date(2021, 7, 1), date(2021, 12, 1), M)]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("('21. 하)", date(2021, 7, 1)),
        ("'21.下 수시", date(2021, 7, 1)),
        ("'21년 하반기(4개월)", date(2021, 7, 1)),
        ("'16. 하반기", date(2016, 7, 1)),
        ("2022년 상반기", date(2022, 1, 1)),
        ("(하반기)", date(2021, 7, 1)),
    ],
)
def test_halves_start_on_the_first_day_of_the_half(text, start):
    (sp,) = find_dates(text, 2021)
    assert (sp.start, sp.end, sp.precision) == (start, None, H)


def test_quarters():
    assert spans("'21. 3/4분기") == [(date(2021, 7, 1), None, Q)]
    assert spans("4분기 중") == [(date(2021, 10, 1), None, Q)]


def test_years_alone_are_reported_with_year_precision():
    assert spans("'22년 중 시행") == [(date(2022, 1, 1), None, Y)]


@pytest.mark.parametrize(
    "text",
    [
        "'21. 8월~",
        "(4월~)",
        "'21. 5월 ~",
        "(’22.1월~)",
        "'21.3.10~",
    ],
)
def test_open_ended_dates_have_no_end_and_say_so(text):
    (sp,) = find_dates(text, 2021)
    assert sp.end is None and sp.open_ended


def test_a_time_range_after_a_date_is_not_an_open_end():
    (sp,) = find_dates("'21.10.28.(목) 15:00~16:30(예정)/ 3층 대회의실", 2021)
    assert (sp.start, sp.end, sp.open_ended) == (date(2021, 10, 28), None, False)


@pytest.mark.parametrize(
    "text",
    [
        "2023 서울아시아광고대회 홍보",
        "「2021 U20 시장회의」 참석",
        "「22 UN공공행정상」 응모",
        "'2021 서울도시건축비엔날레' 참가",
        "최근 3년간('19~'21) 투자심사",
        "투자기간 '20~'24",
        "시청지속시간 8분 28초(3.7%)",
        "트럭(3.5톤)을 활용",
        "(1.5배)",
        "집행률 99.9",
        "연중(수시)",
        "1,000부",
        "주1~2회",
        "09~21시",
        "(10일간)",
        "월 2회 발행",
    ],
)
def test_names_numbers_and_times_are_not_dates(text):
    assert find_dates(text, 2021) == []


def test_the_text_as_printed_and_its_position_are_kept():
    text = "- '21년 명예시민증 수여식 개최 : '21.11.19."
    spans_ = find_dates(text, 2021)
    day = next(s for s in spans_ if s.precision is D)
    assert day.text == "'21.11.19."
    assert text[day.pos : day.endpos].strip() == "'21.11.19."
    assert day.year_printed


def test_odd_input_never_raises():
    for text in ["", "~", "~~~", "'", "(", "13.13.13", "2021.13.45", "99월", "0월 0일", "'99.2.30", "\t\t", "2/30"]:
        find_dates(text, 2021)
    assert spans("2021.2.30.") == []


def test_parse_date_accepts_one_date_and_nothing_else():
    assert parse_date("2021-11-19").start == date(2021, 11, 19)
    assert parse_date("'21.11.19.").start == date(2021, 11, 19)
    assert parse_date("(11월)", 2021).start == date(2021, 11, 1)
    assert parse_date("하반기 개최", 2021) is None
    assert parse_date("11월 / 12월", 2021) is None
    assert parse_date("", 2021) is None


def test_heading_year_reads_the_year_a_section_heading_speaks_of():
    assert heading_year("□ '21년 추진실적") == 2021
    assert heading_year("### '16년 추진계획") == 2016
    assert heading_year("□ 향후계획") is None


def test_period_end_is_the_last_day_of_the_period():
    assert period_end(date(2021, 11, 1), M) == date(2021, 11, 30)
    assert period_end(date(2021, 7, 1), H) == date(2021, 12, 31)
    assert period_end(date(2021, 10, 1), Q) == date(2021, 12, 31)
    assert period_end(date(2021, 11, 19), D) == date(2021, 11, 19)
