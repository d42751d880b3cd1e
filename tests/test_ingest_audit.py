"""The audit follow-up reader (행정사무감사 처리결과, 결산검사 시정권고 조치결과) against the
bundled reports, checked by eye line by line, and against made-up variants with other
years, other department names and the layouts the samples only hint at."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ingest.audit import parse_audit
from bot.ingest.header import parse_cover
from bot.ingest.text import Document, document_from_bytes, load_document
from bot.models import AuditItem, AuditStatus, AuditSummary, Department, Source
from tests.conftest import REPORT_FILES


def read_audit(path: Path) -> tuple[list[AuditItem], AuditSummary | None, Document]:
    doc, _ = load_document(path)
    doc.report_date = parse_cover(doc).report_date
    items, summary = parse_audit(doc, [])
    return items, summary, doc


def audit_of_text(text: str, departments: list[Department] | None = None):
    doc = document_from_bytes("variant.txt", text.encode("utf-8"))
    doc.report_date = date(2023, 9, 4)
    items, summary = parse_audit(doc, departments or [])
    return items, summary, doc


@pytest.fixture(scope="module")
def simin_2021():
    return read_audit(REPORT_FILES["2021_simin"])


@pytest.fixture(scope="module")
def settlement_2018():
    return read_audit(REPORT_FILES["2018_settlement"])


def by_line(items: list[AuditItem]) -> dict[int, AuditItem]:
    return {i.source.line: i for i in items}


# --- 2021 시민소통기획관: V. 2020 행정사무감사 처리결과 -----------------------------------


def test_audit_lists_every_printed_follow_up_numbered_in_print_order(simin_2021):
    items, _, _ = simin_2021
    lines = [i.source.line for i in items]
    assert lines == [1515, 1516, 1522, 1523, 1526, 1530, 1533, 1534, 1537,
                     1542, 1543, 1546, 1547, 1550,
                     1558, 1559, 1560, 1561, 1562]  # 1562 is the file's last line (no newline)
    assert [i.number for i in items] == list(range(1, 20))
    kinds = [i.kind for i in items]
    assert (kinds.count("시정·처리요구"), kinds.count("건의"), kinds.count("기타")) == (9, 5, 5)


def test_audit_item_department_comes_from_the_name_after_the_requirement(simin_2021):
    items, _, _ = simin_2021
    got = by_line(items)
    assert got[1515].dept == "뉴미디어담당관"
    assert {got[n].dept for n in (1516, 1522, 1523, 1542, 1543, 1546, 1547, 1558)} == {"시민소통담당관"}
    assert {got[n].dept for n in (1526, 1530, 1533, 1534, 1537, 1550, 1559, 1560, 1561, 1562)} == {"도시브랜드담당관"}


def test_audit_statuses_printed_with_or_without_spaces(simin_2021):
    items, _, _ = simin_2021
    got = by_line(items)
    assert got[1516].status is AuditStatus.IN_PROGRESS  # '추진상황 : 추진 중'
    assert got[1537].status is AuditStatus.IN_PROGRESS  # '추진상황 : 추진중'
    assert got[1533].status is AuditStatus.DONE  # '추진상황 : 추진완료'
    assert got[1515].status is AuditStatus.DONE  # '추진상황 : 완료'
    statuses = [i.status for i in items]
    # the same split as the 총괄 prints: 9 완료, 10 추진중
    assert (statuses.count(AuditStatus.DONE), statuses.count(AuditStatus.IN_PROGRESS)) == (9, 10)


def test_audit_summary_is_read_from_the_총괄_table_zeros_included(simin_2021):
    _, summary, _ = simin_2021
    assert summary is not None
    assert summary.total == 19
    assert summary.counts == {"완료": 9, "추진중": 10, "검토중": 0, "미반영": 0}
    assert summary.by_kind["시정·처리요구"]["total"] == 9
    assert (summary.by_kind["건의"]["완료"], summary.by_kind["건의"]["추진중"]) == (1, 4)
    assert summary.by_kind["기타"] == {"total": 5, "완료": 5, "추진중": 0, "검토중": 0, "미반영": 0}
    assert summary.source is not None and summary.source.line == 1506


def test_audit_embedded_table_copies_are_neither_items_nor_headers(simin_2021):
    items, _, doc = simin_2021
    lines = {i.source.line for i in items}
    assert not lines & {1517, 1518, 1519, 1527, 1528, 1529, 1551, 1552, 1553}
    # 1530 follows the repeated rows 1527-1529 directly, with no header row of its own
    item = by_line(items)[1530]
    assert (item.kind, item.dept, item.request_head) == ("시정·처리요구", "도시브랜드담당관", "국제 세미나, 서울브랜드 글로벌 포럼 등의 예산이")
    assert not any("감사" in n for n in doc.notes), doc.notes


def test_audit_request_is_the_whole_requirement_without_html_bullet_or_department(simin_2021):
    items, _, _ = simin_2021
    first = by_line(items)[1515]
    assert first.request.startswith("문화본부 산하 미디어 관련 사업의 시민소통기획관 이관 관련하여")
    assert first.request.endswith("바로 업무를 시작할 수 있게 조치하기 바람")
    assert first.request_head == "문화본부 산하 미디어 관련 사업의 시민소통기획관"  # whole words
    assert all("<" not in i.request and "(도시브랜드담당관)" not in i.request for i in items)
    # the 기타 rows are plain text, not <p> HTML
    assert by_line(items)[1561].request == "서울시 우수정책 민간지원사업 사업모델 상세, 실제 해외 진 출사례(감염병모델을 위한 학 술용역 포함)"


def test_audit_action_is_the_answer_text_with_tables_kept_readable(simin_2021):
    items, _, _ = simin_2021
    got = by_line(items)
    assert got[1515].action.startswith("○ 문화본부 소관 서울 성북 미디어문화마루 미디어 사무 이관 완료('21. 1. 15.)")
    assert "추진상황" not in got[1515].action and "<input" not in got[1515].action
    table = got[1516].action
    assert "<명예시장 현황>" in table  # a caption the report printed, not a tag
    assert "[표] 연번 | 분야 | 임기만료 | 인원; 1 | 어르신, 장애인 등 14개 | '20.12.3. | 14" in table
    assert "<td" not in table
    assert got[1558].action == "○ 자료 제출 완료 (2020. 11.12.)"


def test_audit_plan_is_separate_only_where_printed_under_its_own_label(simin_2021):
    items, _, _ = simin_2021
    got = by_line(items)
    assert got[1537].plan is not None and got[1537].plan.startswith("○ 연구용역 추진을 통한 전담기관 사업 운영방식")
    assert "연구용역 추진을 통한" not in got[1537].action
    # '추진내용 및 향후계획' is one label: the text stays one action
    assert got[1523].plan is None
    assert "시민청 공간·기능 개편을 위한 연구용역 : '21.10.~'22.5.(예정)" in got[1523].action


# --- 2018 결산: Ⅲ. 결산검사 시정권고사항 조치결과 -----------------------------------------


def test_settlement_recommendations_with_department_from_the_소관_column(settlement_2018):
    items, summary, _ = settlement_2018
    assert [(i.number, i.source.line) for i in items] == [(1, 910), (2, 913)]
    assert {i.kind for i in items} == {"결산검사시정권고"}
    assert [i.dept for i in items] == ["시민소통담당관", "시민소통담당관"]  # '시민소통 기획관 (시민소통 담당관)'
    assert [i.status for i in items] == [AuditStatus.DONE, AuditStatus.DONE]  # '▶ 추진완료'
    assert summary is None  # no 총괄 table is printed


def test_settlement_request_joins_the_recommendation_title_and_its_content(settlement_2018):
    items, _, _ = settlement_2018
    first, second = items
    assert first.request_head == "예산 전용 의회 보고 미이행"
    assert first.request.startswith("예산 전용 의회 보고 미이행: 서울특별시의회 기본 조례」 제55조의3의 규정에 따르면")
    assert first.request.endswith("'18. 10월 보고 (전용일 '18. 2월)")
    assert "<p>" not in first.request
    assert first.action.startswith("('18. 11월 상임 위원회 보고 ) 시민청관련 예산전용은")
    assert second.request_head == "제2시민청 운영 활성화"
    assert second.request.endswith("운영 이 활성화되도록 권고함.")
    assert "- 지역연계 강화를 위한 공동 운영단 신설" in second.action


# --- reports without follow-ups -----------------------------------------------------------


@pytest.mark.parametrize("key", ["2016_simin", "2020_secretary", "2021_gijo"])
def test_reports_without_an_audit_section_yield_no_items_and_no_summary(key):
    items, summary, doc = read_audit(REPORT_FILES[key])
    assert (items, summary) == ([], None)
    assert doc.notes == []


def test_table_of_contents_entry_alone_is_not_an_audit_section():
    text = "목 차\n\nI . 일반현황\n\nV . 2030 행정사무감사 처리결과 보고서\n\nI. 일반현황\n\n조직\t정원\n가나담당관\t10\n"
    assert audit_of_text(text)[:2] == ([], None)


# --- variants: other years, other names, other layouts --------------------------------------

VARIANT = """\
목 차
Ⅳ. 2022 행정사무감사 처리결과

Ⅳ. 2022 행정사무감사 처리결과

미래정책기획관

□ 총 괄
- 처리요구사항 등 ----- 총 6 건

구 분\t계\t완 료\t추 진 중\t검 토 중\t미 반 영
합 계\t6\t2\t2\t1\t1
시정·처리요구사항\t3\t1\t1\t1\t-
건의 사항\t3\t1\t1\t-\t1

1. 시정 · 처리 요구사항

< 스마트행정담당관 >
시정 및 처리 요구사항\t조치결과 및 향후추진계획
<p>○ 공공데이터 개방 실적을 분기마다 공개하기 바람</p>\t<p><input type="checkbox"/> 추진상황 : 완 료</p> <p><input type="checkbox"/> 추진내용</p> ○ 분기별 공개 시행('23. 4월)
<p>○ 민원 처리 지연 사례를 분석하여 개선하기 바람</p>\t<p><input type="checkbox"/> 추진상황 : 검 토 중</p> <p><input type="checkbox"/> 추진내용</p> ○ 사례 분석 중 <p><input type="checkbox"/> 향후계획</p> ○ 개선안 마련('24. 3월)

【 열린소통담당관 】
시정 및 처리 요구사항\t조치결과 및 향후추진계획
<p>○ 시민 제안 반영 현황을 관리하기 바람</p>\t<p><input type="checkbox"/> 추진상황 : 추진 중</p> ○ 현황 관리 <table><tr><th>구분</th><th>건수</th></tr><tr><td>제안</td><td>12</td></tr></table>\t구분\t건수\t제안\t12
구분\t건수
제안\t12

2. 건의 사항
건의 사항\t조치 결과
<p>○ 온라인 소통 창구를 확대하기 바람 (열린소통담당관)</p>\t<p><input type="checkbox"/> 추진상황 : 추진완료</p> ○ 창구 확대 완료
<p>○ 외국인 주민 의견을 듣는 방안을 검토하기 바람 (스마트행정담당관)</p>\t<p><input type="checkbox"/> 추진상황 : 미반영</p> ○ 예산 사정으로 미반영
"""


def test_variant_department_read_from_a_group_heading_when_the_row_names_none():
    items, _, _ = audit_of_text(VARIANT)
    assert [(i.kind, i.dept) for i in items] == [
        ("시정·처리요구", "스마트행정담당관"),
        ("시정·처리요구", "스마트행정담당관"),
        ("시정·처리요구", "열린소통담당관"),
        ("건의", "열린소통담당관"),  # its own '(…)' wins over the heading above
        ("건의", "스마트행정담당관"),
    ]


def test_variant_statuses_letter_spaced_and_plan_under_its_own_label():
    items, _, _ = audit_of_text(VARIANT)
    assert [i.status.value for i in items] == ["완료", "검토중", "추진중", "완료", "미반영"]
    assert items[1].plan == "○ 개선안 마련('24. 3월)"
    assert items[1].action == "○ 사례 분석 중"


def test_variant_repeated_embedded_table_rows_are_skipped():
    items, _, doc = audit_of_text(VARIANT)
    assert len(items) == 5
    assert items[2].action == "○ 현황 관리 [표] 구분 | 건수; 제안 | 12"
    assert not any("읽지 못한" in n for n in doc.notes)


def test_variant_총괄_counting_more_than_printed_keeps_both_numbers():
    items, summary, doc = audit_of_text(VARIANT)
    assert summary is not None
    assert (summary.total, len(items)) == (6, 5)
    assert summary.counts == {"완료": 2, "추진중": 2, "검토중": 1, "미반영": 1}
    assert summary.by_kind["시정·처리요구"]["total"] == 3
    assert "감사 처리결과: 총괄은 6건, 본문에 실린 항목은 5건" in doc.notes
    assert "감사 처리결과(건의): 총괄은 3건, 본문에 실린 항목은 2건" in doc.notes


def test_variant_department_names_are_made_canonical_by_the_department_list():
    dept = Department(name="스마트 행정 담당관", source=Source(report_id="x", doc="variant.txt"))
    items, _, _ = audit_of_text(VARIANT, [dept])
    assert items[0].dept == "스마트 행정 담당관"
    assert items[2].dept == "열린소통담당관"  # not in the list, still read from the heading


SETTLEMENT_VARIANT = """\
# Ⅱ . 2025 결산검사 시정권고사항 조치결과

번호\t권고사항\t내 용\t조치결과\t소관 부서
1\t보조금 정산 지연\t<p>보조금 정산이 늦어지고 있음</p>\t<p>► 추진 중</p> <p>정산 일정 점검</p> <table><tr><td>연도</td><td>건수</td></tr><tr><td>2024</td><td>7</td></tr></table>\t연도\t건수\t2024\t7\t미래 정책국 (데이터 정책과)
연도\t건수
2024\t7
2\t계약 관리 소홀\t계약 점검을 강화할 것\t▶ 조치완료\t미래정책국
\t\t\t
??? 추진상황 : \t\t
<table>\tx
# Ⅲ . 다음 장
3\t이것은\t항목이 아님\t▶ 완료\t다른과
"""


def test_variant_settlement_table_with_flattened_cells_before_the_department_column():
    items, summary, _ = audit_of_text(SETTLEMENT_VARIANT)
    assert [(i.number, i.request_head, i.dept, i.status.value) for i in items] == [
        (1, "보조금 정산 지연", "데이터정책과", "추진중"),
        (2, "계약 관리 소홀", "미래정책국", "완료"),
    ]
    assert items[0].request == "보조금 정산 지연: 보조금 정산이 늦어지고 있음"
    assert summary is None


@pytest.mark.parametrize(
    "line",
    [
        "\t\t\t\t",
        "<table><tr><td>",
        "추진상황 : 완료",
        "○ 요구만 있고 답이 없는 줄 (가나담당관)\t",
        "계\t-\t-\t-",
        "\t".join(["x"] * 400),
        "<p>○" + "가" * 20000 + "</p>\t추진상황 : 추진 중",
    ],
)
def test_odd_lines_inside_the_section_never_crash(line):
    text = f"V. 2030 행정사무감사 처리결과\n건의 사항\t조치 결과\n{line}\n<p>○ 정상 항목 (가나담당관)</p>\t추진상황 : 완료\n"
    items, _, _ = audit_of_text(text)
    assert items[-1].request == "정상 항목" and items[-1].dept == "가나담당관"


STATUS_COLUMN_VARIANT = """\
목 차
1. 일반현황
Ⅵ. 2029 행정사무감사 처리결과

1. 일반현황
본문

Ⅵ. 2029 행정사무감사 처리결과
Ⅰ. 총 괄
구분\t계\t완료\t추진중
계\t3\t1\t2
Ⅱ. 처리요구사항
요구사항\t조치결과\t추진상황\t소관부서
○ 청사 에너지 사용량을 줄이기 바람\t○ 조명 교체 완료('29. 10월)\t완료\t청사운영과
※ 기타 세부 자료는 별도 제출함
○ 주차장 운영 개선안을 마련하기 바람\t○ 개선안 검토\t추진 중\t청사운영과
Ⅲ. 건의사항
요구사항\t조치결과\t추진상황\t소관부서
○ 민원실 안내를 늘리기 바람\t○ 안내 인력 배치 준비\t추진중\t민원봉사과
Ⅶ. 다음 장
○ 이것은 항목이 아님\t○ 설명\t완료\t다른과
"""


def test_variant_status_in_its_own_column_and_parts_numbered_inside_the_section():
    items, summary, _ = audit_of_text(STATUS_COLUMN_VARIANT)
    assert [(i.kind, i.dept, i.status.value, i.action) for i in items] == [
        ("시정·처리요구", "청사운영과", "완료", "○ 조명 교체 완료('29. 10월)"),
        ("시정·처리요구", "청사운영과", "추진중", "○ 개선안 검토"),  # '※ 기타 …' is a remark, not a kind heading
        ("건의", "민원봉사과", "추진중", "○ 안내 인력 배치 준비"),
    ]
    assert summary is not None and (summary.total, summary.counts["완료"], summary.counts["추진중"]) == (3, 1, 2)
