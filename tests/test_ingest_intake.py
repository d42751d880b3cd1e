"""Reports of any office, as a new user brings them: the cover wherever it is, units of any
kind, figures stated in sentences, and a re-ingest that would lose most of a report.

Every document here is made up (offices, names and figures invented) to show one shape;
none is a copy of a sample or development document."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.ingest.header import CoverOverride, NoDateError, parse_cover
from bot.ingest.parse import parse_bytes
from bot.ingest.text import document_from_bytes
from bot.models import ParsedReport
from bot.store import IngestShrinkError, Store
from tests.test_store import CLOCK

BODY = [
    "",
    "Ⅰ. 일반현황",
    "",
    " 1. 인력 : 정원 40명 / 현원 38명 (가람정책과 21/20, 나래지원과 19/18)",
    "",
    "(단위 : 천원)",
    "구 분\t예산현액\t집행액\t집행률",
    "합 계\t300,000\t150,000\t50.0%",
    "가람정책과\t200,000\t100,000\t50.0%",
    "가람 축제 운영\t120,000\t60,000\t50.0%",
    "가람 도서 나눔\t80,000\t40,000\t50.0%",
    "나래지원과\t100,000\t50,000\t50.0%",
    "나래 돌봄 지원\t100,000\t50,000\t50.0%",
]


def parsed(*lines: str, given: CoverOverride | None = None) -> ParsedReport:
    return parse_bytes("made-up.txt", "\n".join(lines).encode("utf-8"), given)


def cover_of(*lines: str):
    return parse_cover(document_from_bytes("made-up.txt", "\n".join(lines).encode("utf-8")))


# --- the cover, wherever the document states it ------------------------------------------


@pytest.mark.parametrize(
    "lines, title, org, day",
    [
        (["", "주요업무 보고", "", "2022. 5. 3.(화)", "", "가람구 문화관광국"], "주요업무 보고", "가람구 문화관광국", date(2022, 5, 3)),
        (["나래군청", "2022년 5월 3일(화)", "2022 주요업무계획"], "2022 주요업무계획", "나래군청", date(2022, 5, 3)),
        (["업무 추진상황 보고", "2022-05-03", "푸른시 도시재생센터"], "업무 추진상황 보고", "푸른시 도시재생센터", date(2022, 5, 3)),
        (["행정사무감사 처리결과 보고", "'22. 5. 3.", "하늘구의회 사무국"], "행정사무감사 처리결과 보고", "하늘구의회 사무국", date(2022, 5, 3)),
    ],
)
def test_cover_lines_in_any_order_and_any_date_form(lines, title, org, day):
    c = cover_of(*lines, *BODY)
    assert (c.title, c.org, c.report_date, c.warnings) == (title, org, day, [])


def test_cover_on_one_line_with_a_month_only_date():
    c = cover_of("2023년 주요업무계획", "", "바다구청 | 2022. 12.", *BODY)
    assert (c.title, c.org, c.report_date, c.precision.value) == ("2023년 주요업무계획", "바다구청", date(2022, 12, 1), "month")


def test_first_heading_names_the_office_and_the_date_names_the_committee():
    c = cover_of("# 가람구 보건소 업무보고", "", "(2024. 3. 6. 복지도시위원회)", "", "## Ⅰ. 일반현황", *BODY)
    assert (c.title, c.org, c.report_date) == ("업무보고", "가람구 보건소", date(2024, 3, 6))


def test_no_cover_takes_the_first_dated_line_and_says_so():
    c = cover_of("행정사무감사", "감사기간 : 2011.11.7~11.15 (9일간)", "감사기관 : 가람구의회 (행정위원회)", *BODY[2:])
    assert c.title == "행정사무감사"
    assert c.report_date == date(2011, 11, 7)
    assert c.org == "기관 미상"  # the auditing body is not the office reporting
    assert any("--date" in w for w in c.warnings) and any("--office" in w for w in c.warnings)


def test_what_the_person_ingesting_says_wins_over_what_is_read():
    p = parsed("행정사무감사", "감사기간 : 2011.11.7~11.15", *BODY[2:], given=CoverOverride("2011 감사 결과", "가람공단", date(2012, 1, 9)))
    assert (p.report.title, p.report.org, p.report.report_date) == ("2011 감사 결과", "가람공단", date(2012, 1, 9))
    assert not any("--date" in w or "--office" in w for w in p.warnings)


def test_a_document_with_no_date_at_all_asks_for_one():
    with pytest.raises(NoDateError, match="--date"):
        cover_of("업무 메모", "가람정책과", "예산 검토 결과 정리")


def test_a_year_in_the_title_is_not_the_report_date():
    c = cover_of("2024년 주요업무계획", "", "가람군청", "", "2023. 11. 20.", *BODY)
    assert (c.title, c.report_date) == ("2024년 주요업무계획", date(2023, 11, 20))


# --- units of any kind ---------------------------------------------------------------------


def test_departments_ending_in_과_are_department_rows_and_their_rows_follow_them():
    p = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY)
    rows = {(b.name, b.dept, b.level) for b in p.budget_lines}
    assert ("가람정책과", "가람정책과", "dept") in rows
    assert {(n, d) for n, d, level in rows if level in ("policy", "unit")} == {
        ("가람 축제 운영", "가람정책과"),
        ("가람 도서 나눔", "가람정책과"),
        ("나래 돌봄 지원", "나래지원과"),
    }
    assert ("합계", None, "total") in rows


def test_inline_staff_pairs_name_the_departments_with_their_headcount():
    p = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY)
    assert [(d.name, d.quota, d.current) for d in p.departments] == [("가람정책과", 21, 20), ("나래지원과", 19, 18)]


def test_a_flat_table_of_bureaus_then_an_office_wide_row():
    p = parsed(
        "업무보고", "2022. 5. 3.", "가람구청", "",
        "(단위 : 억원)",
        "구 분\t2022년\t2023년\t증감",
        "합 계\t1,000\t1,100\t100",
        "행정지원국\t300\t320\t20",
        "복지건강국\t450\t500\t50",
        "구의회사무국\t20\t20\t-",
        "인건비 등\t230\t260\t30",
    )
    rows = {b.name: (b.dept, b.level) for b in p.budget_lines}
    assert rows["행정지원국"] == ("행정지원국", "dept")
    assert rows["구의회사무국"] == ("구의회사무국", "dept")
    assert rows["인건비 등"] == (None, "total")  # larger than the bureau above it: not its part
    assert {d.name for d in p.departments} >= {"행정지원국", "복지건강국", "구의회사무국"}


def test_a_category_subtotal_is_named_for_its_category():
    p = parsed(
        "결산 보고", "2022. 5. 3.", "가람구 기획예산과", "",
        "(단위 : 원)",
        "구 분\t예산현액\t지출액",
        "합 계\t1,500\t1,200",
        "일반회계\t1,000\t800",
        "특별회계 소계\t500\t400",
        "주차특별회계\t500\t400",
    )
    assert [b.name for b in p.budget_lines] == ["합계", "일반회계", "특별회계", "주차특별회계"]


def test_staff_table_with_units_as_columns():
    p = parsed(
        "업무보고", "2022. 5. 3.", "가람구 보건소", "", "2. 인력", "",
        "구 분\t계\t건강관리과\t감염병센터",
        "정 원\t30\t18\t12",
        "현 원\t28\t17\t11",
    )
    assert [(d.name, d.quota, d.current) for d in p.departments] == [("건강관리과", 18, 17), ("감염병센터", 12, 11)]


def test_functions_list_with_teams_in_parentheses():
    p = parsed(
        "업무보고", "2022. 5. 3.", "가람본부", "", "3. 주요기능", "",
        "○ 가람정책과 (정책기획팀, 축제운영팀)",
        "   - 문화정책 총괄, 축제 운영",
        "○ 나래지원과 (돌봄팀)",
        "   - 돌봄 지원",
    )
    teams = {d.name: d.teams for d in p.departments}
    assert teams == {"가람정책과": ["정책기획팀", "축제운영팀"], "나래지원과": ["돌봄팀"]}


# --- figures stated in sentences ------------------------------------------------------------

PROGRAMS = [
    "",
    "Ⅱ. 주요업무 추진상황",
    "",
    " 1. 가람 축제 운영",
    " 2. 나래 돌봄 지원",
    "",
    "1. 가람 축제 운영",
    "",
    "  □ 추진상황",
    "    ○ 축제 기본계획 수립 ('22. 3월)",
    "",
    "  □ '22년 예산 : 예산현액 120백만원 중 60백만원 집행(집행률 50.0%)",
    "",
    "2. 나래 돌봄 지원",
    "",
    "  □ 추진상황",
    "    ○ 돌봄 대상자 발굴 ('22. 4월)",
    "",
    "  □ '22년 예산 : 예산현액 130백만원 중 50백만원 집행(집행률 38.5%)",
]


def test_a_program_budget_sentence_is_a_budget_line_named_for_its_program():
    p = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY, *PROGRAMS)
    (line,) = [b for b in p.budget_lines if b.name == "가람 축제 운영" and b.unit == "백만원"]
    assert line.values == {"예산현액": 120, "집행액": 60, "집행률": 50.0}
    assert line.dept == "가람정책과"


def test_a_sentence_that_disagrees_with_its_table_row_is_kept_and_reported():
    p = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY, *PROGRAMS)
    (line,) = [b for b in p.budget_lines if b.name == "나래 돌봄 지원" and b.unit == "백만원"]
    assert line.values["예산현액"] == 130
    assert any("나래 돌봄 지원" in w and "다릅니다" in w for w in p.warnings)
    assert not any("가람 축제 운영" in w for w in p.warnings)  # 120백만원 = 120,000천원


def test_a_settlement_sentence_with_spoken_amounts_is_in_won():
    p = parsed(
        "2021회계연도 결산 보고", "2022. 6. 10.", "나래군 기획예산과", "", "1. 결산 총괄", "",
        "  □ 세출 : 세출 예산현액 3,210억 5,400만 1,200원 중 2,987억 15만 300원을 지출하여 집행률 93.0%를 나타냄",
        "    - 다음연도 이월액은 12억 3천만원임",
    )
    (line,) = p.budget_lines
    assert (line.name, line.unit, line.dept) == ("세출", "원", None)
    assert line.values == {"예산현액": 321054001200, "지출액": 298700150300, "집행률": 93.0}


def test_a_sentence_restating_the_total_of_the_table_under_it_is_its_caption():
    caption = "   ○ 예산현액 0.3억원 중 0.15억원 집행 (집행률 50.0%)"
    p = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY[:5], caption, "", *BODY[5:])
    assert all(b.unit == "천원" for b in p.budget_lines)
    assert len(p.budget_lines) == 6


# --- a new version that would lose most of a report -------------------------------------------


def test_a_truncated_copy_is_refused_and_the_store_keeps_the_report(tmp_path: Path):
    store = Store(tmp_path / "db.json", clock=CLOCK)
    full = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY, *PROGRAMS)
    store.ingest(full)
    cut = parsed("업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY[:4], " ")
    with pytest.raises(IngestShrinkError) as err:
        store.ingest(cut)
    assert "예산" in err.value.lost
    assert len(store.budget_lines(store.reports()[0].id)) == len(full.budget_lines)
    assert store.ingest(cut, force=True).status == "replaced"


def test_cli_ingest_refuses_a_truncated_copy_without_force(tmp_path: Path):
    full = tmp_path / "report.txt"
    full.write_text("\n".join(["업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY, *PROGRAMS]), encoding="utf-8")
    cut = tmp_path / "report-cut.txt"
    cut.write_text("\n".join(["업무보고", "2022. 5. 3.", "가람구 문화관광국", *BODY[:4], " "]), encoding="utf-8")
    db = tmp_path / "db.json"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "--db", str(db), *args], capture_output=True, text=True, timeout=60)

    first = run("ingest", str(full))
    assert first.returncode == 0 and "추가" in first.stdout and "예산표 1개" in first.stdout
    refused = run("ingest", str(cut))
    assert refused.returncode == 1 and "--force" in refused.stderr and "예산" in refused.stderr
    forced = run("ingest", "--force", str(cut))
    assert forced.returncode == 0 and "다시 반영" in forced.stdout


def test_cli_parse_accepts_what_the_text_lacks(tmp_path: Path):
    f = tmp_path / "audit.txt"
    f.write_text("\n".join(["행정사무감사", "감사기간 : 2011.11.7~11.15", *BODY[2:]]), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "parse", str(f), "--office", "가람공단", "--date", "2011-12-01"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0
    assert "행정사무감사 (가람공단, 2011-12-01)" in out.stdout and "경고 없음" in out.stdout


def test_a_sentence_about_the_whole_expenditure_is_named_for_its_subject_and_ratios_are_not_guessed():
    p = parsed(
        "2029 회계연도 결산 업무보고", "2030. 6. 3.", "가람홍보관", "", "### 총괄", "",
        "- 2029 회계연도 세출 예산현액은 총 12,345,678천원으로, 이 중 11,111,111천원, 예산현액 대비 90.0%를 집행하였습니다.",
        "",
        "- 예산 집행잔액은 예산현액인 12,345,678천원의 10.0%인 1,234,567천원입니다.",
    )
    (line,) = p.budget_lines
    assert (line.name, line.unit, line.level) == ("세출", "천원", "total")
    assert line.values == {"예산현액": 12345678, "집행액": 11111111, "집행률": 90.0}


def test_columns_in_another_order_with_extra_ones_unit_in_a_header_cell_and_the_as_of_date_in_brackets():
    p = parsed(
        "업무 추진상황 보고", "2030-08-20", "나래도 관광체육국", "",
        " 3. 예산 집행현황 [기준일: 2030-07-31]", "",
        "구 분\t집행률(%)\t예산현액(억원)\t이월액(억원)\t집행액(억원)\t잔액(억원)",
        "합 계\t50.0\t100.0\t2.0\t50.0\t48.0",
        "관광진흥과\t50.0\t100.0\t2.0\t50.0\t48.0",
        "섬 관광 활성화\t50.0\t100.0\t2.0\t50.0\t48.0",
    )
    rows = {b.name: b for b in p.budget_lines}
    b = rows["섬 관광 활성화"]
    assert (b.unit, b.as_of, b.dept, b.table) == ("억원", date(2030, 7, 31), "관광진흥과", "예산 집행현황")
    assert b.values == {"집행률": 50.0, "예산현액": 100.0, "이월액": 2.0, "집행액": 50.0, "잔액": 48.0}


def test_a_table_named_by_the_label_of_the_line_above_it():
    p = parsed(
        "업무보고", "2030. 9. 1.", "가람본부", "",
        "  4. 예    산 : 예산현액 300,000천원, 집행액 150,000천원 (집행률 50.0%)", "",
        "     (2030.8.31.현재, 단위 : 천원)", "",
        *BODY[6:],
    )
    assert {b.table for b in p.budget_lines} == {"예산"}
    assert {b.as_of for b in p.budget_lines} == {date(2030, 8, 31)}
