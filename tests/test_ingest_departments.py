"""Departments as staff know them: 정원/현원 from the 인력 table, teams and what each
team does. Checked by eye against the bundled reports, and against made-up variants
with other years and other department names in each layout the samples use."""

from __future__ import annotations

import pytest

from bot.ingest.departments import parse_departments
from bot.ingest.text import document_from_bytes, load_document
from bot.models import Department
from tests.conftest import REPORT_FILES


def departments_of(key: str) -> dict[str, Department]:
    doc, _ = load_document(REPORT_FILES[key])
    return {d.name: d for d in parse_departments(doc)}


def departments_of_text(text: str, newline: str = "\n") -> dict[str, Department]:
    data = newline.join(text.split("\n")).encode("utf-8")
    return {d.name: d for d in parse_departments(document_from_bytes("variant.txt", data))}


@pytest.fixture(scope="module")
def simin_2021() -> dict[str, Department]:
    return departments_of("2021_simin")


# --- 2021 시민소통기획관 (answer key exists; these add what the key does not hold) -------------


def test_headcount_is_read_from_the_staff_table_row_of_the_department(simin_2021):
    d = simin_2021["시민소통담당관"]
    assert (d.quota, d.current) == (51, 47)  # '51 | 47(28)': 28 is 여성공무원수
    assert d.source.line == 42


def test_department_headcounts_add_up_to_the_printed_total(simin_2021):
    # line 41: 계 168 | 158(109)
    assert sum(d.quota for d in simin_2021.values()) == 168
    assert sum(d.current for d in simin_2021.values()) == 158


def test_letter_spaced_team_names_are_joined(simin_2021):
    assert simin_2021["뉴미디어담당관"].teams == ["미디어기획팀", "미디어채널팀", "미디어협력팀", "미디어운영팀", "홈페이지팀"]
    assert "미주·구주팀" in simin_2021["국제교류담당관"].teams


def test_each_team_keeps_its_main_functions(simin_2021):
    functions = simin_2021["뉴미디어담당관"].functions
    assert functions["미디어채널팀"] == "서울사랑 등 발간, 시 대표 SNS 운영"
    assert functions["홈페이지팀"] == "'서울시 대표 홈페이지' 운영 및 공공앱 관리"
    assert set(functions) == set(simin_2021["뉴미디어담당관"].teams)


# --- 2016 주요업무: two rows per department (정원 row, 현원 row) ------------------------------


def test_2016_two_row_layout_gives_quota_and_current_per_department():
    depts = departments_of("2016_simin")
    assert list(depts) == ["시민소통담당관", "도시브랜드담당관", "시민봉사담당관", "뉴미디어담당관"]
    assert (depts["시민소통담당관"].quota, depts["시민소통담당관"].current) == (45, 54)
    assert (depts["뉴미디어담당관"].quota, depts["뉴미디어담당관"].current) == (23, 22)
    assert depts["도시브랜드담당관"].source.line == 29


def test_2016_headcounts_match_the_summary_line():
    # line 17: 정원 128명/ 현원 136명
    depts = departments_of("2016_simin")
    assert sum(d.quota for d in depts.values()) == 128
    assert sum(d.current for d in depts.values()) == 136


# --- 2018 결산: letter-spaced department names, teams under markdown headings --------------


def test_2018_letter_spaced_department_names_and_their_teams():
    depts = departments_of("2018_settlement")
    assert list(depts) == ["시민소통담당관", "뉴미디어담당관", "도시브랜드담당관", "시민봉사담당관"]
    assert (depts["도시브랜드담당관"].quota, depts["도시브랜드담당관"].current) == (15, 14)
    assert depts["시민봉사담당관"].teams == ["민원기획팀", "응답소팀", "120관리팀", "민원처리1팀", "민원처리2팀", "직소민원팀"]
    assert depts["뉴미디어담당관"].functions["미디어채널팀"] == "서울사랑 등 발간, 시 대표 SNS·블로그 운영"
    # line 28: 계 130 | 124
    assert (sum(d.quota for d in depts.values()), sum(d.current for d in depts.values())) == (130, 124)


# --- 2020 시장비서실: one office, no departments ---------------------------------------------


def test_2020_secretariat_has_no_department_rows():
    assert departments_of("2020_secretary") == {}


# --- 2021 기획조정실: '39/38 (18)' cells and a duties table ----------------------------------


def test_2021_planning_office_slash_cells_give_quota_and_current():
    depts = departments_of("2021_gijo")
    assert len(depts) == 11
    assert (depts["기획담당관"].quota, depts["기획담당관"].current) == (39, 38)
    assert (depts["해외도시협력담당관"].quota, depts["해외도시협력담당관"].current) == (16, 16)
    # line 24: 계 312/296 (182)
    assert (sum(d.quota for d in depts.values()), sum(d.current for d in depts.values())) == (312, 296)


def test_2021_planning_office_duties_are_kept_per_department_without_teams():
    depts = departments_of("2021_gijo")
    d = depts["재정균형발전담당관"]  # printed letter-spaced in the duties table
    assert d.teams == []
    assert d.functions["재정균형발전담당관"].splitlines() == [
        "市·산하기관 통합재정관리, 균형발전 총괄, 기금운용 총괄",
        "재정투자심사, 지방보조금·국고보조금 총괄 등",
    ]


# --- variants --------------------------------------------------------------------------------

VARIANT = """
주요업무보고

2023. 9. 4.

홍보기획관

인력

60명/57명 (정원/현원)

('23. 7. 31. 현재)

구분\t총계\t\t행정·기술\t
\t정원\t현원\t정원\t현원
계\t60\t57(30)\t40\t38
다 라 홍 보 과\t25\t23(10)\t20\t19
가나소통담당관\t35\t34(20)\t20\t19

※ 괄호 안은 부서별 여성공무원수

주요기능

가나소통담당관

기 획 조 정 팀

· 기획 업무 총괄

홍 보 1 팀

· 홍보 업무

다라홍보과

매 체 팀

· 매체 운영
· 옥외 광고

예산"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_variant_with_other_names_order_and_line_endings(newline):
    depts = departments_of_text(VARIANT, newline)
    assert list(depts) == ["다라홍보과", "가나소통담당관"]
    assert (depts["다라홍보과"].quota, depts["다라홍보과"].current) == (25, 23)
    assert depts["가나소통담당관"].teams == ["기획조정팀", "홍보1팀"]
    assert depts["다라홍보과"].functions == {"매체팀": "매체 운영\n옥외 광고"}


def test_variant_without_final_newline_keeps_the_last_team():
    text = VARIANT.removesuffix("\n\n예산")
    depts = departments_of_text(text)
    assert depts["다라홍보과"].functions["매체팀"].endswith("옥외 광고")


def test_two_row_layout_variant_with_quota_and_current_rows():
    text = """
인 력

구 분\t총계\t\t4급\t5급
계\t정원\t50\t2\t10
\t현원\t48\t2\t9
민원과\t정원\t30\t1\t6
\t현원\t29\t1\t5
홍 보 담 당 관\t정원\t20\t1\t4
\t현원\t19\t1\t4
"""
    depts = departments_of_text(text)
    assert {n: (d.quota, d.current) for n, d in depts.items()} == {"민원과": (30, 29), "홍보담당관": (20, 19)}


def test_odd_lines_never_crash_and_yield_nothing_made_up():
    text = "인력\n\n\t\t\n(\t)\t<b>\n계\t/\t-\n정 원\t△\t(-)\n주요기능\n팀\n· 기능\n\t"
    assert departments_of_text(text) == {}
