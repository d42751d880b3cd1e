"""Figures as the reports print them, read the way a budget officer reads them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.budget_columns import rate_key
from bot.ingest.numbers import find_date, is_figure, parse_cell, parse_korean_amount, parse_number


def test_thousands_separators_are_read_as_one_number():
    assert parse_number("102,311,394") == 102311394
    assert parse_number("<b>47,810,398</b>") == 47810398


def test_triangle_and_minus_both_mean_negative():
    assert parse_number("△24,802") == -24802
    assert parse_number("△1.1%") == -1.1
    assert parse_number("-1,445,903") == -1445903


def test_a_dash_is_zero_but_an_empty_cell_is_no_figure():
    assert parse_number("-") == 0
    assert parse_number("") is None
    assert not parse_cell("").numeric


def test_rates_printed_with_a_percent_sign_become_floats():
    cell = parse_cell("61.3%")
    assert cell.main.value == 61.3 and cell.main.percent
    assert isinstance(parse_number("100%"), float)


def test_amount_with_rate_in_parentheses_is_two_values():
    cell = parse_cell("103,358 (28.9%)")
    assert cell.main.value == 103358
    assert cell.extra.value == 28.9 and cell.extra.percent


def test_project_count_printed_as_dash_in_parentheses_counts_zero():
    cell = parse_cell("6,544 (-)")
    assert (cell.main.value, cell.extra.value) == (6544, 0)
    assert parse_cell("982,808 (58)").extra.value == 58


def test_counted_cells_keep_their_numbers():
    cell = parse_cell("14건 (18건)")
    assert (cell.main.value, cell.extra.value) == (14, 18)


def test_women_count_after_headcount_is_a_separate_figure():
    cell = parse_cell("47(28)")
    assert (cell.main.value, cell.extra.value) == (47, 28)


@pytest.mark.parametrize(
    ("printed", "unit", "value"),
    [
        ("76조 2,131", "억원", 762131),
        ("10조 5,696", "억원", 105696),
        ("1조1,137억원", "억원", 11137),
        ("2,127백만원", "천원", 2127000),
        ("554억 38백만원", "백만원", 55438),
    ],
)
def test_jo_and_eok_notation_is_converted_into_the_table_unit(printed, unit, value):
    assert parse_korean_amount(printed, unit) == value
    assert parse_number(printed, unit) == value


def test_jo_cell_with_share_in_parentheses():
    cell = parse_cell("21조 3,539 (61.3%)", "억원")
    assert (cell.main.value, cell.extra.value) == (213539, 61.3)


@pytest.mark.parametrize("label", ["2016년", "4급", "7급 이하", "정원", "예 산 액", "부서/사업명", "선정·수행 (신청)"])
def test_header_words_are_not_figures(label):
    assert not is_figure(label)


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("(2021.7.31. 기준, 단위 : 천원, %)", date(2021, 7, 31)),
        ("(단위 : 백만원, '16.4.8 기준)", date(2016, 4, 8)),
        ("(2015. 12. 31 기준, 단위 : 백만원)", date(2015, 12, 31)),
        ("## 3. 예산 집행현황 (기준 / 단위 : '20. 3. 31. / 천원)", date(2020, 3, 31)),
        ("집행실적 ('21.4.16.)", date(2021, 4, 16)),
        ("( ' 19. 5. 31. 현재 )", date(2019, 5, 31)),
    ],
)
def test_reference_dates_in_unit_lines_and_headers(line, when):
    assert find_date(line) == when


def test_no_date_where_none_is_printed():
    assert find_date("(단위 : 백만원)") is None
    assert find_date("7.19.字 조직개편") is None


@pytest.mark.parametrize(
    ("amount", "rate"),
    [("집행액", "집행률"), ("상반기목표액", "상반기목표율"), ("집행실적", "집행률"), ("증감액", "증감률")],
)
def test_the_rate_beside_an_amount_is_named_after_it(amount, rate):
    assert rate_key(amount) == rate
