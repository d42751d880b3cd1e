"""Programs (numbered 주요업무 sections) read from the five sample reports, checked by eye
against the printed text; plus variants (other years and department names, odd lines)."""

from __future__ import annotations

import re

import pytest

from bot.ingest.parse import parse_bytes
from bot.ingest.programs import parse_programs
from bot.ingest.text import Document
from tests.conftest import REPORT_FILES


def by_line(parsed, key: str) -> dict:
    return {p.line: p for p in parsed[key].programs}


def test_every_announced_program_of_the_2021_report_is_found_at_its_heading(parsed_reports):
    lines = [p.line for p in parsed_reports["2021_simin"].programs]
    assert lines == [344, 387, 423, 453, 503, 558, 619, 655, 704, 793, 823, 856, 911, 995, 1070, 1125, 1204,
                     1258, 1293, 1337, 1379, 1470]


def test_a_program_whose_heading_is_missing_starts_at_its_purpose_line_with_the_listed_title(parsed_reports):
    progs = by_line(parsed_reports, "2021_simin")
    # line 558 is the purpose sentence; the title exists only in the group's list (line 495)
    assert progs[558].title == "시 대표 홈페이지 및 내 손안에 서울 운영 강화"
    assert progs[558].number == "2"
    assert progs[655].title == "서울사랑 및 내친구서울 제작 및 운영"
    assert progs[793].title == "외국어 매체 활용 시정홍보 및 도시매력 확산"
    # the previous program ends before it
    assert progs[503].end_line < 558


def test_the_printed_heading_wins_over_the_shorter_listed_title(parsed_reports):
    progs = by_line(parsed_reports, "2021_simin")
    assert progs[1204].title == "「서울-베이징 통합위원회」 제4차 전체회의 개최"
    assert progs[1125].title == "「2021 서울세계도시문화축제」 개최"


def test_sub_items_numbered_like_programs_are_not_programs(parsed_reports):
    progs = by_line(parsed_reports, "2021_gijo")
    assert len(progs) == 16
    # '1 공무원 직접수행 학술용역 운영', '2 자치구 지원예산 신속 교부', '2 市 핵심정책 … MOU 체결'
    for sub_item in (237, 508, 518, 750):
        assert sub_item not in progs
    assert progs[233].title == "공무원 시정연구활동 참여 활성화 및 직무역량 제고"
    assert progs[233].end_line == 302  # the sub-items stay inside their program


def test_program_group_and_number_come_from_the_announcement(parsed_reports):
    p = by_line(parsed_reports, "2021_gijo")[774]
    assert (p.group, p.number) == ("4. 대내외 교류협력 강화로 도시위상 제고", "4")
    p = by_line(parsed_reports, "2021_simin")[1470]
    assert p.group.startswith("IV.") and p.number == "2"


def test_owner_from_the_budget_row_with_the_same_amount(parsed_reports):
    # '사 업 비 : 1,242백만원' = 세계 도시와의 협력 추진 1,242,337천원 under 도시브랜드담당관,
    # although the body notes a transfer to a department this report does not list
    p = by_line(parsed_reports, "2021_simin")[823]
    assert p.dept == "도시브랜드담당관"


def test_a_program_spanning_several_departments_has_no_owner(parsed_reports):
    progs = by_line(parsed_reports, "2021_simin")
    assert progs[1379].dept is None  # 캠페인, 홈페이지, 120/응답소: three departments' work
    assert progs[1470].dept == "도시브랜드담당관"


def test_owners_from_the_main_functions_table_follow_the_org_table_order(parsed_reports):
    depts = [p.dept for p in parsed_reports["2021_gijo"].programs]
    assert depts == [
        "조직담당관", "조직담당관", "평가담당관",
        "법무담당관", "법무담당관", "법률지원담당관",
        "예산담당관", "재정균형발전담당관", "재정균형발전담당관", "공기업담당관",
        "대외협력담당관", "대외협력담당관", "국제교류담당관", "국제교류담당관", "해외도시협력담당관", "해외도시협력담당관",
    ]


def test_budget_sentence_as_printed(parsed_reports):
    simin = by_line(parsed_reports, "2021_simin")
    assert simin[344].budget_text == "3,974백만원 (집행액 1,122백만원, 28.2%)"
    assert simin[453].budget_text == "2,127백만원 / 1,136백만원"  # a 사업비 row of the 사업개요 table
    assert simin[1379].budget_text is None
    gijo = by_line(parsed_reports, "2021_gijo")
    assert gijo[233].budget_text == "'21년 예산 : 50,413천원"
    assert gijo[376].budget_text == "'21년도 예산 : 276,198천원"
    assert gijo[645].budget_text == "소요예산 : 384백만원(대외협력기금)"
    settlement = by_line(parsed_reports, "2018_settlement")
    assert settlement[264].budget_text == "'18년 결산 : 예산현액 4,082백만원 중 4,079백만원 집행(집행률 99.9%)"


def test_overview_achievements_and_plans_of_a_program(parsed_reports):
    p = by_line(parsed_reports, "2021_simin")[1070]
    assert p.overview and "사업기간 : 1958년 ~ 현재" in p.overview
    assert any("특별수여" in a for a in p.achievements)
    assert p.plans == ["'21년 명예시민증 수여식 개최 : '21.11.19."]
    q = by_line(parsed_reports, "2021_simin")[423]
    assert "마을미디어 하반기 성과공유회(9월/11월)" in q.plans


def test_2016_report_programs_including_one_without_heading(parsed_reports):
    progs = by_line(parsed_reports, "2016_simin")
    assert list(progs) == [204, 238, 292, 319, 359, 395, 434, 464, 503, 539, 572, 611, 642, 684, 717]
    assert progs[395].title == "‘서울사랑’ 및 ‘내친구 서울’ 발간 등"  # purpose line, title from the list
    assert progs[572].title == "120다산콜센터 상담사 고용개선을 위한 재단설립"
    assert progs[717].title == "소셜특별시 서울 추진"  # body heading differs from the list's wording
    assert progs[319].budget_text == "4,464백만원"
    owners = [progs[n].dept for n in (204, 395, 464, 539, 572, 717)]
    assert owners == ["시민소통담당관", "시민소통담당관", "도시브랜드담당관", "시민봉사담당관", "시민봉사담당관", "뉴미디어담당관"]


def test_2018_settlement_programs_mostly_without_headings(parsed_reports):
    progs = by_line(parsed_reports, "2018_settlement")
    assert len(progs) == 19
    assert progs[264].title == "언론매체를 통한 시정정보 제공"  # purpose line right after the list
    assert progs[355].title == "영상매체 활용 시정 정보 제공"
    assert progs[588].title == "「서울사랑」 및 「내친구서울」 발간"
    assert progs[588].dept == "뉴미디어담당관"
    assert progs[813].dept == "시민봉사담당관"
    assert progs[882].title == "신속행정 협력체계 강화 및 홍보"


def test_2020_secretariat_programs_have_no_department_to_own_them(parsed_reports):
    progs = parsed_reports["2020_secretary"].programs
    assert [p.line for p in progs] == [65, 92, 119, 151, 181]
    assert progs[2].title == "시민 참여를 통한 지속가능발전 추진"
    assert all(p.dept is None for p in progs)
    assert progs[0].plans[0].startswith("시의성을 고려한 민생·안전 분야 현장방문 추진")


def test_every_program_keeps_its_source(parsed_reports):
    for key, parsed in parsed_reports.items():
        for p in parsed.programs:
            assert p.source.line == p.line and p.source.report_id == parsed.report.id, key
            assert p.end_line is not None and p.end_line >= p.line


# --- variants ---------------------------------------------------------------------------------

RENAMED = {
    "시민소통담당관": "열린소통담당관",
    "뉴미디어담당관": "디지털미디어담당관",
    "도시브랜드담당관": "브랜드전략담당관",
    "국제교류담당관": "글로벌협력담당관",
    "시민봉사담당관": "민원서비스담당관",
    "조직담당관": "조직혁신담당관",
    "평가담당관": "성과관리담당관",
    "예산담당관": "예산총괄담당관",
    "대외협력담당관": "지역상생담당관",
}


def shift_years(text: str, k: int) -> str:
    """Every printed year moved by k: 2021 → 2023, '21 → '23, 21.7.1 → 23.7.1."""
    text = re.sub(r"(?<![\d,.])20([12]\d)(?![\d,])", lambda m: str(2000 + int(m.group(1)) + k), text)
    text = re.sub(r"([’'‘]\s?)([12]\d)(?!\d)", lambda m: m.group(1) + str(int(m.group(2)) + k), text)
    return re.sub(r"(?<![\d.’'‘])([12]\d)(?=\.\d{1,2}\.\d)", lambda m: str(int(m.group(1)) + k), text)


def variant(key: str, years: int = 2) -> bytes:
    text = shift_years(REPORT_FILES[key].read_text(encoding="utf-8"), years)
    for old, new in RENAMED.items():
        text = text.replace(old, new).replace(" ".join(old), " ".join(new))
    return text.encode("utf-8")


@pytest.mark.parametrize("key", sorted(REPORT_FILES))
def test_other_years_and_department_names_give_the_same_programs_and_owners(parsed_reports, key):
    original = parsed_reports[key].programs
    changed = parse_bytes(REPORT_FILES[key].name, variant(key)).programs
    back = {new: old for old, new in RENAMED.items()}
    assert [(p.line, p.dept) for p in original] == [(p.line, back.get(p.dept, p.dept)) for p in changed]


def test_odd_lines_never_break_the_reader():
    lines = [
        "주요업무보고", "2021. 9.", "시험담당관", "Ⅲ. 주요업무", "1. 그룹", "① 첫째 사업", "② 둘째 사업",
        "1", "", "첫째 사업", "목적 문장이 여기에 있습니다 길게 씁니다", "□ 사업개요", "- 사업비 : 백만원",
        "\t\t\t", "(((", "①②③", "2 ", "~~~", "□", "- : :", "2", "둘째 사업", "□ 향후계획", "- 개최 : '21.13.45.",
        "<p>", "**", "# ", "Ⅳ.", "1.", "①",
    ]
    doc = Document(doc="odd.txt", report_id="x", lines=lines)
    programs = parse_programs(doc, [], [])
    assert [p.title for p in programs] == ["첫째 사업", "둘째 사업"]
    assert parse_programs(Document(doc="e.txt", report_id="y", lines=[]), [], []) == []
