"""Budget rows as staff will ask for them (/budget 뉴미디어담당관, /budget 뉴미디어 2018).

Each report's tables were read by eye; the figures and line numbers below are the
printed ones. The made-up variants at the end move things the way a later report
might: other names and years, rows in another order, a table split over pages."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.budget import parse_budget
from bot.ingest.departments import parse_departments
from bot.ingest.text import document_from_bytes, load_document
from bot.models import BudgetLine, Department, Source
from tests.conftest import REPORT_FILES


def budget_of(key: str) -> list[BudgetLine]:
    doc, _ = load_document(REPORT_FILES[key])
    return parse_budget(doc, parse_departments(doc))


def budget_of_text(text: str, departments: tuple[str, ...] = (), newline: str = "\n") -> list[BudgetLine]:
    doc = document_from_bytes("variant.txt", newline.join(text.split("\n")).encode("utf-8"))
    src = Source(report_id=doc.report_id, doc=doc.doc, line=1)
    return parse_budget(doc, [Department(name=n, source=src) for n in departments])


def at(lines: list[BudgetLine], line: int) -> BudgetLine:
    (hit,) = [b for b in lines if b.source.line == line]
    return hit


def tables(lines: list[BudgetLine]) -> dict[str, list[BudgetLine]]:
    out: dict[str, list[BudgetLine]] = {}
    for b in lines:
        out.setdefault(f"{b.table}@{lines.index(b) - b.order}", []).append(b)
    return out


def close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


@pytest.fixture(scope="module")
def simin_2021() -> list[BudgetLine]:
    return budget_of("2021_simin")


@pytest.fixture(scope="module")
def simin_2016() -> list[BudgetLine]:
    return budget_of("2016_simin")


@pytest.fixture(scope="module")
def settlement_2018() -> list[BudgetLine]:
    return budget_of("2018_settlement")


@pytest.fixture(scope="module")
def secretary_2020() -> list[BudgetLine]:
    return budget_of("2020_secretary")


@pytest.fixture(scope="module")
def gijo_2021() -> list[BudgetLine]:
    return budget_of("2021_gijo")


# --- 2021 시민소통기획관 -----------------------------------------------------------------------


def test_budget_of_new_media_department_as_staff_will_ask_for_it(simin_2021):
    rows = [b for b in simin_2021 if b.dept == "뉴미디어담당관" and b.level == "dept"]
    assert len(rows) == 1
    b = rows[0]
    assert b.values == {"예산현액": 7909143, "원인행위액": 6094850, "집행액": 3498848, "집행률": 44.2}
    assert (b.unit, b.as_of, b.source.line) == ("천원", date(2021, 7, 31), 190)


def test_rows_after_the_page_break_stay_in_the_same_table_and_department(simin_2021):
    festival = at(simin_2021, 224)  # 서울세계도시문화축제, printed after the repeated header at 216
    assert (festival.dept, festival.level, festival.values["예산현액"]) == ("국제교류담당관", "unit", 400000)
    first_page_row = at(simin_2021, 212)
    assert festival.table == first_page_row.table
    assert festival.order == first_page_row.order + 8  # 12 lines on, 4 of them (213-216) not rows


def test_fund_table_is_separate_from_the_general_account(simin_2021):
    fund = at(simin_2021, 247)
    assert (fund.dept, fund.level, fund.order) == ("국제교류담당관", "dept", 0)
    assert fund.table != at(simin_2021, 217).table
    assert at(simin_2021, 250).values["집행률"] == 110.4  # 원인행위액 above 예산현액, printed as is


# --- 2016 주요업무 --------------------------------------------------------------------------


def test_2016_detail_table_in_million_won_with_carry_over_and_reference_date(simin_2016):
    b = at(simin_2016, 99)  # 시민청 운영 및 확산
    assert b.values == {"예산편성액": 3123, "전년도이월액": 1341, "예산현액": 4464, "집행액": 506, "집행잔액": 3958, "집행률": 11.3}
    assert (b.unit, b.as_of, b.dept, b.level) == ("백만원", date(2016, 4, 8), "시민소통담당관", "unit")
    assert at(simin_2016, 95).values["전년도이월액"] == 0  # printed '-'


def test_2016_bold_department_rows_add_up_to_the_office_total(simin_2016):
    total = at(simin_2016, 90)
    assert total.level == "total" and total.dept is None
    depts = [at(simin_2016, n) for n in (93, 108, 113, 122)]
    assert [d.dept for d in depts] == ["시민소통담당관", "도시브랜드담당관", "시민봉사담당관", "뉴미디어담당관"]
    assert sum(d.values["예산현액"] for d in depts) == total.values["예산현액"] == 42170


def test_2016_year_on_year_table_reads_two_line_headers_and_triangle_negatives(simin_2016):
    b = at(simin_2016, 68)  # 기본경비 | 639 | 1.8% | 632 | 1.5% | △7 | △1.1%
    assert b.values == {
        "2015년예산": 639,
        "2015년예산비중": 1.8,
        "2016년예산": 632,
        "2016년예산비중": 1.5,
        "2015년대비증감": -7,
        "2015년대비증감률": -1.1,
    }
    assert b.level == "total"  # a breakdown of the total, not a department


def test_2016_last_year_execution_table_is_dated_year_end(simin_2016):
    b = at(simin_2016, 83)
    assert (b.dept, b.as_of, b.values["집행률"]) == ("뉴미디어담당관", date(2015, 12, 31), 97.5)


# --- 2018 결산 (/budget 뉴미디어 2018) -------------------------------------------------------


def test_2018_settlement_of_new_media_department(settlement_2018):
    b = at(settlement_2018, 139)
    assert (b.dept, b.level, b.unit) == ("뉴미디어담당관", "dept", "천원")
    assert b.values == {"예산액": 5653898, "예산현액": 5842649, "집행액": 5623262, "집행률": 96.3}


def test_2018_department_rows_add_up_to_the_settlement_total(settlement_2018):
    total = at(settlement_2018, 123)
    depts = [b for b in settlement_2018 if b.table == total.table and b.level == "dept"]
    assert len(depts) == 5  # 신속행정담당관 was abolished before the 인력 table's date but has a row
    assert sum(d.values["예산현액"] for d in depts) == total.values["예산현액"] == 48622861


def test_2018_next_year_table_keys_come_from_both_header_lines(settlement_2018):
    b = at(settlement_2018, 201)  # 공공소셜 활성화 | 109,600 | - | △109,600 | △100
    assert b.values == {"2018년예산": 109600, "2019년예산": 0, "2018년대비증감": -109600, "2018년대비증감률": -100.0}
    assert b.dept == "뉴미디어담당관"


def test_2018_department_names_printed_with_a_space_are_departments(settlement_2018):
    b = at(settlement_2018, 959)  # '뉴미디어 담당관'
    assert (b.dept, b.level, b.values["집행잔액"]) == ("뉴미디어담당관", "dept", 219387)


def test_2018_revenue_table_reads_the_unit_from_the_sentence_above(settlement_2018):
    b = at(settlement_2018, 929)
    assert (b.level, b.unit, b.values["실제수납액"]) == ("total", "천원", 7888730)


# --- 2020 시장비서실 --------------------------------------------------------------------------


def test_2020_secretariat_execution_with_rate_inside_the_amount_cell(secretary_2020):
    assert [b.source.line for b in secretary_2020] == [35, 36, 37]
    total = at(secretary_2020, 35)
    assert total.values == {"예산액": 357200, "집행액": 103358, "집행률": 28.9, "잔액": 253842}
    assert (total.as_of, total.unit, total.level) == (date(2020, 3, 31), "천원", "total")
    items = [at(secretary_2020, 36), at(secretary_2020, 37)]
    assert sum(b.values["예산액"] for b in items) == total.values["예산액"]
    assert all(b.dept is None for b in secretary_2020)  # the office has no departments


# --- 2021 기획조정실 ------------------------------------------------------------------------


def test_2021_planning_office_staff_and_case_tables_are_not_budget(gijo_2021):
    lines = {b.source.line for b in gijo_2021}
    assert not lines & set(range(23, 36))  # 인력 table
    assert not lines & {387, 396}  # 행정심판 (단위: 건)
    assert not lines & set(range(608, 612))  # 투자사업 현황: no unit declared


def test_2021_planning_office_department_rows_add_up_to_the_general_account(gijo_2021):
    total = at(gijo_2021, 73)
    depts = [b for b in gijo_2021 if b.table == total.table and b.level == "dept"]
    assert len(depts) == 11
    assert sum(d.values["2021년"] for d in depts) == total.values["2021년"] == 570827
    assert sum(d.values["2021년사업수"] for d in depts) == total.values["2021년사업수"] == 56


# --- every report ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(REPORT_FILES))
def test_policy_rows_equal_the_sum_of_their_unit_rows(key):
    lines = budget_of(key)
    checked = 0
    for rows in tables(lines).values():
        for i, b in enumerate(rows):
            if b.level != "policy":
                continue
            units = []
            for u in rows[i + 1 :]:
                if u.level != "unit":
                    break
                units.append(u)
            if not units:
                continue
            money = next(k for k, v in b.values.items() if isinstance(v, int))
            assert close(sum(u.values[money] or 0 for u in units), b.values[money], 0.5 * (len(units) + 1)), b.name
            checked += 1
    assert checked or key in ("2020_secretary", "2021_gijo")


@pytest.mark.parametrize("key", sorted(REPORT_FILES))
def test_every_row_names_its_report_line_and_a_money_unit(key):
    doc, _ = load_document(REPORT_FILES[key])
    lines = parse_budget(doc, parse_departments(doc))
    assert lines
    for b in lines:
        assert b.source.report_id == doc.report_id and "\t" in doc.line(b.source.line)
        assert b.unit in ("천원", "백만원", "억원", "원")


# --- variants --------------------------------------------------------------------------------

HEADER = "부서/사업명\t예산현액\t집행액\t집행률"
UNIT_LINE = "(2023.6.30. 기준, 단위 : 천원, %)"
TOTAL_ROWS = [
    "합 계(홍보기획관)\t1,000,000\t500,000\t50.0%",
    "사업예산\t950,000\t475,000\t50.0%",
    "기본경비(행정운영경비)\t50,000\t25,000\t50.0%",
]
DEPT_A = [
    "가나소통담당관\t600,000\t300,000\t50.0%",
    "시민과 함께 만드는 홍보\t570,000\t285,000\t50.0%",
    "언론 홍보\t300,000\t150,000\t50.0%",
    "옥외 광고\t200,000\t100,000\t50.0%",
    "시정 영상\t70,000\t35,000\t50.0%",
    "기본경비(행정운영경비)\t30,000\t15,000\t50.0%",
]
DEPT_B = [
    "다라홍보과\t400,000\t200,000\t50.0%",
    "도시 브랜드 확산\t380,000\t190,000\t50.0%",
    "브랜드 마케팅\t380,000\t190,000\t50.0%",
    "기본경비(행정운영경비)\t20,000\t10,000\t50.0%",
]


def report(*parts: str) -> str:
    return "\n".join(["주요업무보고", "", "2023. 9. 4.", "", "홍보기획관", "", "예산", "", *parts])


def levels(lines: list[BudgetLine]) -> list[tuple[str | None, str, str]]:
    return [(b.dept, b.level, b.name) for b in lines]


EXPECTED = [
    (None, "total", "합 계(홍보기획관)"),
    (None, "total", "사업예산"),
    (None, "total", "기본경비(행정운영경비)"),
    ("가나소통담당관", "dept", "가나소통담당관"),
    ("가나소통담당관", "policy", "시민과 함께 만드는 홍보"),
    ("가나소통담당관", "unit", "언론 홍보"),
    ("가나소통담당관", "unit", "옥외 광고"),
    ("가나소통담당관", "unit", "시정 영상"),
    ("가나소통담당관", "policy", "기본경비(행정운영경비)"),
    ("다라홍보과", "dept", "다라홍보과"),
    ("다라홍보과", "policy", "도시 브랜드 확산"),
    ("다라홍보과", "unit", "브랜드 마케팅"),
    ("다라홍보과", "policy", "기본경비(행정운영경비)"),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_variant_with_other_names_and_year_and_line_endings(newline):
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_A, *DEPT_B)
    lines = budget_of_text(text, ("가나소통담당관", "다라홍보과"), newline)
    assert levels(lines) == EXPECTED
    assert {b.as_of for b in lines} == {date(2023, 6, 30)}
    assert [b.order for b in lines] == list(range(13))


def test_variant_without_final_newline_keeps_the_last_row():
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_A, *DEPT_B)
    assert not text.endswith("\n")
    assert budget_of_text(text, ("다라홍보과",))[-1].values == {"예산현액": 20000, "집행액": 10000, "집행률": 50.0}


def test_table_split_over_pages_with_repeated_header_and_page_number():
    page_two = ["", "- 7 -", "", UNIT_LINE, "", HEADER]
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_A[:4], *page_two, *DEPT_A[4:], *DEPT_B)
    lines = budget_of_text(text, ("다라홍보과",))
    assert levels(lines) == EXPECTED
    assert len({b.table for b in lines}) == 1


def test_page_break_with_a_running_title_in_the_middle_of_a_department():
    page_two = ["", "Ⅰ. 일반현황", "", HEADER]
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_A[:4], *page_two, *DEPT_A[4:], *DEPT_B)
    lines = budget_of_text(text, ("다라홍보과",))
    assert levels(lines) == EXPECTED


def test_header_repeated_inside_one_run_of_rows_is_not_a_row():
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_A, HEADER, *DEPT_B)
    assert levels(budget_of_text(text, ("다라홍보과",))) == EXPECTED


def test_departments_in_another_order_keep_their_own_rows():
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *DEPT_B, *DEPT_A)
    lines = budget_of_text(text, ("다라홍보과",))
    assert levels(lines) == EXPECTED[:3] + EXPECTED[9:] + EXPECTED[3:9]


def test_basic_expenses_printed_before_the_policy_rows():
    dept_a = [DEPT_A[0], DEPT_A[5], *DEPT_A[1:5]]
    text = report(UNIT_LINE, "", HEADER, *TOTAL_ROWS, *dept_a)
    got = levels(budget_of_text(text))
    assert got[3:] == [EXPECTED[3], EXPECTED[8], *EXPECTED[4:8]]


def test_office_breakdown_printed_after_the_departments_is_not_the_last_departments():
    text = report(UNIT_LINE, "", HEADER, TOTAL_ROWS[0], *DEPT_A, *DEPT_B, *TOTAL_ROWS[1:])
    got = levels(budget_of_text(text, ("다라홍보과",)))
    assert got[-2:] == [(None, "total", "사업예산"), (None, "total", "기본경비(행정운영경비)")]
    assert got[1:-2] == EXPECTED[3:]


def test_tables_counted_in_cases_or_without_a_unit_are_not_budget():
    text = report(
        "(단위: 건)", "", "구분\t접수\t처리", "계\t1,352\t1,300", "",
        "사업비\t2,127백만원\t1,136백만원", "",
    )
    assert budget_of_text(text) == []


def test_odd_lines_are_skipped_without_crashing():
    text = report(
        UNIT_LINE, "", HEADER, "\t\t\t", "<b></b>\t(\t)", "합계\t1,000\t-\t", "메모만 있는 줄\t참고\t\t",
        "\t1,000\t2,000", "소계\t△\t(-)\t%", "", "(단위 : 천원)", "\t", "(", "구분\t(A)\t(B)",
    )
    lines = budget_of_text(text)
    # 집행률 holds no figure in any row, so it is not a column of this table
    assert [(b.name, b.values) for b in lines] == [("합계", {"예산현액": 1000, "집행액": 0})]


def test_bold_department_row_missing_from_the_staff_table_is_still_a_department():
    text = report(
        "부서/사업명\t예산액(천원)\t집행액(천원)\t집행률(%)",
        "<b>합 계</b>\t<b>300</b>\t<b>150</b>\t<b>50.0</b>",
        "<b>가나소통담당관</b>\t<b>200</b>\t<b>100</b>\t<b>50.0</b>",
        "시민 참여 확대\t200\t100\t50.0",
        "<b>신속민원과</b>\t<b>100</b>\t<b>50</b>\t<b>50.0</b>",
        "민원 밀착 지원\t100\t50\t50.0",
    )
    lines = budget_of_text(text, ("가나소통담당관",))
    assert [(b.dept, b.level) for b in lines] == [
        (None, "total"), ("가나소통담당관", "dept"), ("가나소통담당관", "policy"), ("신속민원과", "dept"), ("신속민원과", "policy"),
    ]
    assert lines[0].unit == "천원" and lines[0].values == {"예산액": 300, "집행액": 150, "집행률": 50.0}
