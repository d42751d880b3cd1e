"""Milestones read from the five sample reports, checked by eye against the printed text
(dates, lines, titles), plus the rules that decide which dates are milestones."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.milestones import parse_milestones
from bot.ingest.parse import parse_bytes
from bot.ingest.programs import parse_programs
from bot.ingest.text import Document
from bot.models import Precision
from tests.conftest import REPORT_FILES
from tests.test_ingest_programs import RENAMED, variant


def on_line(parsed, key: str, line: int):
    return [m for m in parsed[key].milestones if m.source and m.source.line == line]


def dates(ms):
    return [(m.start, m.end) for m in ms]


def upcoming(milestones, as_of: date):
    return [m for m in milestones if (m.end or m.start) >= as_of]


def test_upcoming_in_september_2021_include_the_ceremony_and_the_beijing_meeting(parsed_reports):
    ahead = upcoming(parsed_reports["2021_simin"].milestones, date(2021, 9, 6))
    ceremony = [m for m in ahead if m.start == date(2021, 11, 19)]
    assert [(m.title, m.dept, m.precision) for m in ceremony] == [
        ("'21년 명예시민증 수여식 개최", "국제교류담당관", Precision.DAY)
    ]
    assert ceremony[0].program == "서울특별시 외국인 명예시민 선정"
    meeting = [m for m in ahead if m.start == date(2021, 10, 28)]
    assert len(meeting) == 1 and "서울-베이징 통합위원회" in meeting[0].title
    assert meeting[0].dept == "국제교류담당관" and meeting[0].source.line == 1210


def test_two_months_joined_by_a_slash_are_two_sessions(parsed_reports):
    ms = on_line(parsed_reports, "2021_simin", 449)
    assert dates(ms) == [(date(2021, 9, 1), None), (date(2021, 11, 1), None)]
    assert {m.title for m in ms} == {"마을미디어 하반기 성과공유회"}  # '하반기' in the name is not a third date


def test_a_range_across_the_new_year_keeps_both_years(parsed_reports):
    (m,) = on_line(parsed_reports, "2021_simin", 484)
    assert (m.start, m.end, m.precision) == (date(2021, 10, 1), date(2022, 5, 1), Precision.MONTH)
    assert m.title == "사회변화 및 시민수요에 부합하는 시민청 기능·공간 개편 연구용역 추진"
    assert m.date_text == "'21.10.~'22. 5."


def test_several_items_on_one_line_each_get_their_own_title(parsed_reports):
    ms = on_line(parsed_reports, "2021_simin", 847)
    assert [(m.title, m.start) for m in ms] == [
        ("탄자니아 상수도 예비조사 실시", date(2021, 9, 1)),
        ("몽골 철도안전 선진화 역량강화", date(2021, 10, 1)),
    ]
    ms = on_line(parsed_reports, "2021_simin", 1059)
    assert [m.title for m in ms] == ["2022 UN 공공행정상 응모", "도시를 위한 로스센터상 응모"]
    assert all(m.start == date(2021, 11, 1) for m in ms)  # '2022' names the award, not the date


def test_a_bare_date_line_takes_the_title_of_the_item_above(parsed_reports):
    (m,) = on_line(parsed_reports, "2021_simin", 960)  # '- 일 시 : '21. 9. 3.(금) 21:00 ~ 9. 4.(토) 01:00'
    assert (m.start, m.end) == (date(2021, 9, 3), date(2021, 9, 4))
    assert m.title == "「2021 U20* 시장회의」 참석, 공동의제 발굴 및 이행 결의"
    (m,) = on_line(parsed_reports, "2021_simin", 976)
    assert (m.title, m.start) == ("서울-하노이 친선결연 25주년 기념행사", date(2021, 11, 4))


def test_plan_items_dated_before_the_report_are_still_milestones(parsed_reports):
    (m,) = on_line(parsed_reports, "2021_simin", 967)
    assert m.start == date(2021, 8, 28)


def test_table_rows_in_a_plan_are_read_with_their_content_cell(parsed_reports):
    titles = {m.source.line: (m.title, m.start) for m in parsed_reports["2021_simin"].milestones if 762 <= m.source.line <= 765}
    assert titles[762] == ("서울·모스크바 친선도시 30주년 연계 홍보", date(2021, 10, 1))
    assert titles[765] == ("아시아 광고대회(AdAsia) 및 기념행사 연계 홍보", date(2021, 12, 1))
    assert not [m for m in parsed_reports["2021_simin"].milestones if m.start.year == 2023]


def test_achievements_are_not_milestones_unless_still_ahead(parsed_reports):
    assert on_line(parsed_reports, "2021_simin", 1117) == []  # 심사위원회 개최('21.8.4.~8.5.)
    (decision,) = on_line(parsed_reports, "2021_simin", 1010)  # '21.6월 응모 (past) / '21.12월 결정
    assert (decision.start, decision.title) == (date(2021, 12, 1), "'21년 아시아도시경관상 : 서울경관 기록화사업 등 2건 결정")
    assert on_line(parsed_reports, "2021_gijo", 186) == []  # 토론회 참석 : '21.4.20, in the report's month
    (planned,) = on_line(parsed_reports, "2021_gijo", 323)  # '… '21.4월 말 행안부에서 공개 예정'
    assert planned.start == date(2021, 4, 1)


def test_descriptions_count_from_the_report_month_on(parsed_reports):
    assert dates(on_line(parsed_reports, "2021_gijo", 862)) == [(date(2021, 4, 1), date(2021, 9, 1))]
    assert on_line(parsed_reports, "2021_gijo", 860) == []  # (3월~8월) started before the report
    assert dates(on_line(parsed_reports, "2021_gijo", 585)) == [(date(2021, 7, 1), None)]
    assert on_line(parsed_reports, "2021_gijo", 585)[0].title.endswith("(연 1회)")


def test_status_dates_are_not_milestones(parsed_reports):
    for line in (275, 364, 386, 483, 620, 725, 727):  # 현황, 현재, 기준, (현행)
        assert on_line(parsed_reports, "2021_gijo", line) == [], line


def test_a_month_glued_to_the_next_word_is_a_reference_not_an_item(parsed_reports):
    ms = on_line(parsed_reports, "2021_gijo", 265)  # '과제 선정(4월) : 접수(3월)된 10건 과제 중 …'
    assert dates(ms) == [(date(2021, 4, 1), None)]
    assert ms[0].title == "공무원 직접수행 학술용역 운영 과제 선정"


def test_each_step_of_a_chain_is_a_milestone(parsed_reports):
    ms = on_line(parsed_reports, "2021_gijo", 209)  # 시의회 심의(4월) → 조례규칙심의회(5.14) → 조례 공포(5.20) 및 시행(7.1)
    assert [(m.title, m.start, m.precision) for m in ms] == [
        ("시의회 심의", date(2021, 4, 1), Precision.MONTH),
        ("조례규칙심의회", date(2021, 5, 14), Precision.DAY),
        ("조례 공포", date(2021, 5, 20), Precision.DAY),
        ("시행", date(2021, 7, 1), Precision.DAY),
    ]


def test_halves_open_ends_and_early_month(parsed_reports):
    (half,) = on_line(parsed_reports, "2021_gijo", 337)  # '21.下 수시
    assert (half.start, half.precision) == (date(2021, 7, 1), Precision.HALF)
    (open_end,) = on_line(parsed_reports, "2021_gijo", 302)  # '21. 8월~
    assert (open_end.start, open_end.end) == (date(2021, 8, 1), None)
    (early,) = on_line(parsed_reports, "2021_gijo", 192)  # (6월초)
    assert (early.start, early.precision) == (date(2021, 6, 1), Precision.MONTH)


def test_year_round_items_are_not_milestones(parsed_reports):
    assert on_line(parsed_reports, "2021_gijo", 374) == []  # 연중(수시)
    assert [m.title for m in on_line(parsed_reports, "2021_gijo", 593)] == ["투자심사위원 위촉식 개최"]


def test_planned_date_inside_an_audit_answer(parsed_reports):
    (m,) = on_line(parsed_reports, "2021_simin", 1523)
    assert (m.start, m.end) == (date(2021, 10, 1), date(2022, 5, 1))
    assert m.title == "시민청 공간·기능 개편을 위한 연구용역"
    assert m.dept == "시민소통담당관"
    audit_lines = {m.source.line for m in parsed_reports["2021_simin"].milestones if m.source.line > 1496}
    assert audit_lines == {1523}


def test_2016_plans_resolve_year_less_months_to_the_plan_year(parsed_reports):
    p16 = parsed_reports["2016_simin"]
    assert [(m.title, m.start, m.end) for m in on_line(parsed_reports, "2016_simin", 353)] == [
        ("기본계획 수립", date(2016, 6, 1), None),
        ("사업비 확보를 위한 투자심사", date(2016, 7, 1), date(2016, 10, 1)),
    ]
    assert dates(on_line(parsed_reports, "2016_simin", 281)) == [(date(2016, 7, 1), None), (date(2016, 11, 1), None)]
    (launch,) = on_line(parsed_reports, "2016_simin", 596)
    assert (launch.title, launch.start, launch.dept) == ("재단출범", date(2017, 1, 1), "시민봉사담당관")
    assert on_line(parsed_reports, "2016_simin", 409) == []  # 겨울방학(12~2월): a season, not an item
    assert on_line(parsed_reports, "2016_simin", 582) == []  # 그간 추진실적
    assert len(p16.milestones) == 32


def test_2018_settlement_milestones_come_from_its_2019_plans(parsed_reports):
    ms = parsed_reports["2018_settlement"].milestones
    assert [m.source.line for m in ms] == [656, 780, 808, 809, 836, 837, 874]
    assert all(m.start.year == 2019 for m in ms)
    (chatbot,) = on_line(parsed_reports, "2018_settlement", 836)
    assert (chatbot.title, chatbot.start, chatbot.dept) == ("인공지능 챗봇서비스 시범 실시", date(2019, 5, 1), "시민봉사담당관")


def test_2020_secretariat_milestones(parsed_reports):
    ms = parsed_reports["2020_secretary"].milestones
    assert [(m.source.line, m.start) for m in ms] == [
        (144, date(2020, 4, 1)), (146, date(2020, 11, 1)), (176, date(2020, 4, 1)),
        (177, date(2020, 10, 1)), (233, date(2020, 4, 9)), (240, date(2020, 5, 1)),
    ]
    (platform,) = on_line(parsed_reports, "2020_secretary", 233)
    assert platform.title == "도시간 정책공유 플랫폼" and platform.precision is Precision.DAY
    assert on_line(parsed_reports, "2020_secretary", 202) == []  # 영상회의 '20. 3. 27., before the report


def test_every_milestone_names_its_source_and_date_as_printed(parsed_reports):
    for key, parsed in parsed_reports.items():
        for m in parsed.milestones:
            assert m.source and m.source.report_id == parsed.report.id and m.source.line, key
            assert m.date_text and m.title, (key, m)
            assert m.end is None or m.end >= m.start, (key, m)


@pytest.mark.parametrize("key", sorted(REPORT_FILES))
def test_other_years_and_department_names_shift_the_milestones_and_nothing_else(parsed_reports, key):
    original = parsed_reports[key].milestones
    changed = parse_bytes(REPORT_FILES[key].name, variant(key, years=2)).milestones
    back = {new: old for old, new in RENAMED.items()}

    def plus2(d):
        return None if d is None else d.replace(year=d.year + 2)

    assert [(m.source.line, plus2(m.start), plus2(m.end), m.precision, m.dept) for m in original] == [
        (m.source.line, m.start, m.end, m.precision, back.get(m.dept, m.dept)) for m in changed
    ]


def test_odd_lines_never_break_the_reader():
    lines = [
        "주요업무보고", "2021. 9.", "Ⅲ. 주요업무", "1. 그룹", "① 첫째 사업", "② 둘째 사업", "1", "첫째 사업",
        "목적 문장이 여기에 있습니다 길게 씁니다", "□ 향후계획", "- 일 시 : '21.13.45.", "- ( : '21.10월",
        "- 개최(10월", "- )(11월)(", "- (9월/)", "- 회의 : ~ ~ ~", "\t10월\t", "- 행사(12~)", "- ※ '22. 1월",
        "2", "둘째 사업", "목적 문장이 여기에 있습니다 길게 씁니다", "□ 추진실적", "- 완료(2.30)", "- '99.99.99.",
    ]
    doc = Document(doc="odd.txt", report_id="x", lines=lines, report_date=date(2021, 9, 1),
                   report_date_precision=Precision.MONTH)
    programs = parse_programs(doc, [], [])
    ms = parse_milestones(doc, programs, [])
    assert [p.title for p in programs] == ["첫째 사업", "둘째 사업"]
    assert ms and all(m.start.year in (2021, 2022) for m in ms)
    assert parse_milestones(Document(doc="e.txt", report_id="y", lines=[]), [], []) == []


def test_without_a_report_date_only_plans_with_printed_years_count():
    lines = [
        "Ⅲ. 주요업무", "1. 그룹", "① 첫째 사업", "② 둘째 사업", "1", "첫째 사업", "목적 문장이 여기에 있습니다 길게 씁니다",
        "□ 추진실적", "- 행사 개최('30.5월)", "□ 향후계획", "- 위원회 구성(6월)", "- 포럼 개최 : '22.11월",
        "2", "둘째 사업", "목적 문장이 여기에 있습니다 길게 씁니다", "□ 향후계획", "- 보고회('22. 3. 4.)",
    ]
    doc = Document(doc="nodate.txt", report_id="z", lines=lines)
    ms = parse_milestones(doc, parse_programs(doc, [], []), [])
    assert [(m.title, m.start) for m in ms] == [("포럼 개최", date(2022, 11, 1)), ("보고회", date(2022, 3, 4))]
