"""Audit follow-ups in the shapes other offices print them (made-up documents, other
offices, other items, other departments): a table with a status column and no
department, numbered 결산검사 opinions with '(부서)' and '▶ 조치결과 … (조치완료)',
【부서】 groups with numbering that runs on across them and restarts for 건의, a 총괄 in
prose, a status the report leaves blank."""

from __future__ import annotations

import time
from datetime import date

import pytest

from bot.clock import FixedClock
from bot.ingest.audit import group_heading_dept, parse_audit, read_prose_summary
from bot.ingest.parse import parse_bytes
from bot.ingest.text import document_from_bytes
from bot.models import AuditItem, AuditStatus, AuditSummary
from bot.store import Store
from tests.handmade import ask


def audit_of(text: str, report_date: date = date(2026, 5, 11)) -> tuple[list[AuditItem], AuditSummary | None, list[str]]:
    doc = document_from_bytes("shape.txt", text.encode("utf-8"))
    doc.report_date = report_date
    items, summary = parse_audit(doc, [])
    return items, summary, doc.notes


def rows(items: list[AuditItem]) -> list[tuple[int, str, str | None, str]]:
    return [(i.number, i.kind, i.dept, i.status.value) for i in items]


# --- a table with a status column, no department, a 총괄 in prose per kind --------------

TABLE_NO_DEPT = """\
행정사무감사
개요
행정사무감사는 군 행정 전반을 점검하여 잘못된 부분을 바로잡기 위함
감사결과
다솔군의회 행정복지위원회
시정요구사항 3건(완료 2, 추진중 1)
건의사항 2건 (완료 1, 추진중 1)
감사기간 : 2019.11.18~11.26 (9일간)
감사기관 : 다솔군의회 (행정복지위원회)
시정요구사항
시정요구사항
연번\t시정요구사항\t추진실적 및 처리결과\t비고
1\t군민체육관 야간 개방 시간에 안전요원이 배치되지 않아 사고 우려가 있으므로 대책을 마련하기 바람.\t야간 개방 시간에 안전요원 2명을 배치하고 순찰 일지를 작성하고 있음.\t완료
2\t공영주차장 요금 감면 대상이 조례와 다르게 적용되고 있으므로 바로잡기 바람.\t감면 대상 정비를 위한 조례 개정안을 마련하여 협의하고 있음.\t추진중
3\t수영장 수질 검사 결과를 이용자에게 공개하기 바람.\t매월 수질 검사 결과를 홈페이지와 게시판에 공개하고 있음.\t완료
건의사항
건의사항
연번\t건의사항\t처리결과(추진내용)\t비고
1\t문화센터 강좌를 직장인이 들을 수 있는 저녁 시간에도 개설하기 바람.\t저녁 강좌 6개를 새로 개설하였음.\t완료
2\t노후 셔틀버스를 친환경 차량으로 교체하는 방안을 검토하기 바람.\t차량 교체 예산 확보를 위해 관련 부서와 협의하고 있음.\t추진 중
"""


def test_table_with_a_status_column_and_no_department_keeps_dept_null():
    items, _, _ = audit_of(TABLE_NO_DEPT)
    assert rows(items) == [
        (1, "시정·처리요구", None, "완료"),
        (2, "시정·처리요구", None, "추진중"),
        (3, "시정·처리요구", None, "완료"),
        (1, "건의", None, "완료"),  # numbered per kind, as printed
        (2, "건의", None, "추진중"),
    ]
    assert items[0].request.startswith("군민체육관 야간 개방 시간에")
    assert items[0].action == "야간 개방 시간에 안전요원 2명을 배치하고 순찰 일지를 작성하고 있음."


def test_the_auditing_body_is_never_a_department():
    items, _, _ = audit_of(TABLE_NO_DEPT)
    assert {i.dept for i in items} == {None}  # not 다솔군의회, not 행정복지위원회
    assert group_heading_dept("감사기관 : 다솔군의회 (행정복지위원회)", []) is None
    assert group_heading_dept("소관부서 : 체육시설과", []) == "체육시설과"
    assert group_heading_dept("【 체육시설과 】", []) == "체육시설과"


def test_prose_총괄_per_kind_adds_up_to_the_summary():
    _, summary, notes = audit_of(TABLE_NO_DEPT)
    assert summary is not None
    assert summary.total == 5
    assert summary.counts == {"완료": 3, "추진중": 2, "검토중": 0, "미반영": 0}
    assert summary.by_kind == {
        "시정·처리요구": {"total": 3, "완료": 2, "추진중": 1},
        "건의": {"total": 2, "완료": 1, "추진중": 1},
    }
    assert not any("총괄은" in n for n in notes)


# --- numbered 결산검사 opinions: '(부서)', '▶ 조치결과 : … (조치완료)' ----------------------

SETTLEMENT_NUMBERED = """\
Ⅲ. 세출 결산

  ○ 집행률 91.2%

Ⅳ. 결산검사 의견 및 조치결과

□ 총 괄 : 결산검사위원 의견 총 4건 (시정요구 2건, 권고 2건) - 조치완료 2건, 추진중 2건

가. 시정요구사항

1. 지방세 체납액 정리 실적이 저조하므로 고액 체납자 징수 대책을 마련할 것 (세무2과)
  ▶ 조치결과 : 고액 체납자 전담반을 운영하여 체납액 38억원을 징수함 (조치완료)

2. 공유재산 대부료 부과 누락 사례가 있으므로 대부 재산을
   전수 점검할 것 (재산관리과)
  ▶ 조치결과 : 대부 재산 1,204건 전수 점검을 진행 중이며 '26. 9월 완료 예정 (추진중)

나. 권고사항

1. 출연기관 경영평가 결과를 이듬해 예산 편성에 반영하기 바람 (예산과)
  ▶ 조치결과 : 2027년도 예산 편성 지침에 평가 결과 반영 기준을 넣음 (조치완료)

2. 성인지 예산서의 성과목표를 구체적으로 설정하기 바람 (여성가족과)
  ▶ 조치결과 : 부서별 성과목표 재설정을 진행 중임
     - 부서 설명회 개최 (추진 중)

Ⅴ. 향후 일정

  ○ 결산 승인안 본회의 의결 : 2026. 6. 19.(금)
"""


def test_numbered_settlement_opinions_with_department_and_status_in_parentheses():
    items, _, notes = audit_of(SETTLEMENT_NUMBERED)
    assert rows(items) == [
        (1, "결산검사 시정요구", "세무2과", "완료"),
        (2, "결산검사 시정요구", "재산관리과", "추진중"),
        (1, "결산검사 권고", "예산과", "완료"),
        (2, "결산검사 권고", "여성가족과", "추진중"),  # status at the end of its second answer line
    ]
    second = items[1]
    assert second.request == "공유재산 대부료 부과 누락 사례가 있으므로 대부 재산을 전수 점검할 것"  # two lines, dept cut off
    assert second.action == "대부 재산 1,204건 전수 점검을 진행 중이며 '26. 9월 완료 예정"
    assert second.source.line == 14
    assert not any("읽지" in n for n in notes)


def test_a_date_in_an_open_answer_is_its_due_not_in_a_finished_one():
    items, _, _ = audit_of(SETTLEMENT_NUMBERED)
    assert [i.due for i in items] == [None, date(2026, 9, 1), None, None]


def test_prose_총괄_with_kinds_in_parentheses_and_statuses_after_a_dash():
    _, summary, _ = audit_of(SETTLEMENT_NUMBERED)
    assert summary is not None
    assert (summary.total, summary.counts) == (4, {"완료": 2, "추진중": 2, "검토중": 0, "미반영": 0})
    assert summary.by_kind == {"결산검사 시정요구": {"total": 2}, "결산검사 권고": {"total": 2}}


# --- 【부서】 groups, numbering across groups, 건의 restarts, a blank status -------------------

GROUPED = """\
2031 행정사무감사 처리결과 보고

'32. 2. 14.

교통정책실

Ⅰ. 총  괄

 □ 처리요구사항 총 6건 : 완료 3건, 추진중 3건

   ○ 시정·처리요구사항 4건 (완료 2, 추진중 2)
   ○ 건의사항 2건 (완료 1, 추진중 1)

 □ 부서별 현황 : 보행정책과 3건, 주차계획과 2건, 자전거정책과 1건

Ⅱ. 처리결과

가. 시정·처리요구사항

【보행정책과】

 1. 어린이보호구역 무단횡단 방지시설이 부족하므로 설치를 확대할 것

   ⇒ 조치결과 : 초등학교 주변 42개소에 방지시설을 설치함 (완료)

 2. 보도 위 불법 적치물 단속 실적이 저조하므로 단속을 강화할 것

   ⇒ 조치결과 : 자치구 합동 단속반 구성을 협의하고 있으며, 단속 기준을 정비하고 있음

【주차계획과】

 3. 거주자우선주차 부정 사용 적발 시 배정 취소 기준을 마련할 것

   ⇒ 조치결과 : 배정 취소 기준을 담은 운영지침 개정안을 마련하여 2032. 6. 30.까지 시행할 계획임 (추진 중)

 4. 공영주차장 장애인 전용구역 위반 단속을 강화할 것

   ⇒ 조치결과 : 무인 단속 장비 18대를 설치하여 운영함 (완료)

나. 건의사항

【보행정책과】

 1. 보행자 우선도로 지정을 확대하기 바람

   ⇒ 조치결과 : 보행자 우선도로 12개소를 추가 지정함 (완료)

【자전거정책과】

 2. 공공자전거 대여소를 지하철역 출구 가까이 옮기기 바람

   ⇒ 조치결과 : 대여소 이전 대상 31개소를 선정하고 이전을 추진하고 있음 (추진중)

Ⅲ. 향후 조치계획

 ○ 추진중 과제 이행상황 점검 : '32. 5월
"""


def test_subheading_departments_numbering_runs_on_and_restarts_for_건의():
    items, _, _ = audit_of(GROUPED, date(2032, 2, 14))
    assert rows(items) == [
        (1, "시정·처리요구", "보행정책과", "완료"),
        (2, "시정·처리요구", "보행정책과", "추진중"),  # printed none; see below
        (3, "시정·처리요구", "주차계획과", "추진중"),  # '(추진 중)'
        (4, "시정·처리요구", "주차계획과", "완료"),
        (1, "건의", "보행정책과", "완료"),
        (2, "건의", "자전거정책과", "추진중"),
    ]
    assert "교통정책실" not in {i.dept for i in items}  # the office on the cover is no group heading
    assert items[2].due == date(2032, 6, 30)


def test_blank_status_is_the_one_the_총괄_counts_of_its_kind_force():
    items, summary, notes = audit_of(GROUPED, date(2032, 2, 14))
    assert items[1].status is AuditStatus.IN_PROGRESS
    assert any(f"{items[1].source.line}행" in n and "총괄" in n for n in notes)
    assert summary is not None and summary.total == 6
    assert summary.by_kind["시정·처리요구"] == {"total": 4, "완료": 2, "추진중": 2}


def _blank_two(summary_line: str) -> str:
    return f"""\
Ⅱ. 2033 행정사무감사 처리결과

{summary_line}

1. 하천 산책로 조명을 늘릴 것 (하천관리과)
  ▶ 조치결과 : 조명 40기를 설치함 (완료)

2. 하천 둔치 주차장 침수 대책을 세울 것 (하천관리과)
  ▶ 조치결과 : 배수 펌프 용량 증설을 설계하고 있음 (추진중)

3. 생태 탐방로 안내판을 정비할 것 (공원녹지과)
  ▶ 조치결과 : 안내판 정비 대상을 조사하였음

4. 수변 쉼터 그늘막을 확충할 것 (공원녹지과)
  ▶ 조치결과 : 그늘막 설치 장소를 협의하였음
"""


def test_blank_statuses_not_forced_by_the_총괄_are_kept_as_미기재():
    items, _, notes = audit_of(_blank_two("□ 총괄 : 처리요구사항 총 4건 : 완료 2건, 추진중 2건"))
    assert [i.status for i in items] == [AuditStatus.DONE, AuditStatus.IN_PROGRESS, AuditStatus.NOT_STATED, AuditStatus.NOT_STATED]
    assert sum("미기재" in n for n in notes) == 2


def test_blank_statuses_forced_over_the_whole_report_when_only_one_status_is_left():
    items, _, _ = audit_of(_blank_two("□ 총괄 : 처리요구사항 총 4건 : 완료 1건, 추진중 3건"))
    assert [i.status.value for i in items] == ["완료", "추진중", "추진중", "추진중"]


def test_blank_statuses_without_any_총괄_are_미기재_and_never_dropped():
    items, summary, _ = audit_of(_blank_two(""))
    assert summary is None
    assert [i.number for i in items] == [1, 2, 3, 4]
    assert [i.status.value for i in items] == ["완료", "추진중", "미기재", "미기재"]


def test_a_총괄_the_body_contradicts_forces_nothing():
    # the body already prints two 완료 where the 총괄 counts one
    items, _, _ = audit_of(_blank_two("□ 총괄 : 처리요구사항 총 4건 : 완료 1건, 추진중 3건").replace("(추진중)", "(완료)"))
    assert [i.status.value for i in items] == ["완료", "완료", "미기재", "미기재"]


def test_blank_status_in_a_table_row_with_a_status_column():
    text = TABLE_NO_DEPT.replace("관련 부서와 협의하고 있음.\t추진 중", "관련 부서와 협의하고 있음.\t")
    items, _, _ = audit_of(text)
    assert len(items) == 5
    assert items[-1].status is AuditStatus.IN_PROGRESS  # 건의 2건 (완료 1, 추진중 1) leaves only 추진중


# --- a department heading above the kinds heads every kind below it --------------------------

DEPT_OUTSIDE = """\
Ⅴ. 2034 행정사무감사 처리결과

< 도서관정책과 >

1. 시정·처리요구사항

1. 작은도서관 운영 시간을 늘릴 것
  ▶ 조치결과 : 평일 운영을 21시까지 늘림 (완료)

2. 건의사항

1. 전자책 대출 한도를 늘리기 바람
  ▶ 조치결과 : 대출 한도를 5권에서 10권으로 늘림 (완료)

< 평생학습과 >

1. 시정·처리요구사항

1. 평생학습 강좌 수강료 환불 기준을 정비할 것
  ▶ 조치결과 : 환불 기준 개정을 협의하고 있음 (검토중)
"""


def test_a_department_heading_above_the_kind_headings_covers_each_kind():
    items, _, _ = audit_of(DEPT_OUTSIDE)
    assert rows(items) == [
        (1, "시정·처리요구", "도서관정책과", "완료"),
        (1, "건의", "도서관정책과", "완료"),
        (1, "시정·처리요구", "평생학습과", "검토중"),
    ]


def test_numbered_lines_without_an_answer_are_not_items_and_are_noted():
    text = "Ⅱ. 2035 행정사무감사 처리결과\n\n1. 청사 주차장 개방 시간을 늘리는 방안을 마련할 것 (청사관리과)\n\n2. 일반현황\n"
    items, _, notes = audit_of(text)
    assert items == []
    assert any("조치결과가 없는" in n and "3행" in n for n in notes)


# --- the 총괄 in prose, every form ------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "settlement", "expected"),
    [
        ("공통요구사항 7건(완료 5, 추진중 2)", False, None),  # 공통요구 is no kind: no owner for the counts
        ("시정요구사항 7건(완료 5, 추진중 2)", False, (None, {"시정·처리요구": {"total": 7, "완료": 5, "추진중": 2}})),
        ("○ 건의사항 4건 (완료 1, 검토중 3)", False, (None, {"건의": {"total": 4, "완료": 1, "검토중": 3}})),
        ("□ 처리요구사항 총 11건 : 완료 8건, 추진중 3건", False, ({"total": 11, "완료": 8, "추진중": 3}, {})),
        (
            "□ 총 괄 : 검사위원 의견 총 7건 (시정요구 4건, 권고 3건) - 조치완료 5건, 추진 중 2건",
            True,
            ({"total": 7, "완료": 5, "추진중": 2}, {"결산검사 시정요구": {"total": 4}, "결산검사 권고": {"total": 3}}),
        ),
        (
            "총 9건 (시정 6건: 완료 4, 추진중 2 / 건의 3건: 완료 2, 미반영 1)",
            False,
            ({"total": 9}, {"시정·처리요구": {"total": 6, "완료": 4, "추진중": 2}, "건의": {"total": 3, "완료": 2, "미반영": 1}}),
        ),
        ("□ 부서별 현황 : 도로과 3건, 교통과 2건", False, None),  # no statuses: not a 총괄
        ("- 처리요구사항 등 ----- 총 12 건", False, None),
        ("※ 추진중 과제는 분기별로 점검함", False, None),
    ],
)
def test_prose_총괄_forms(line, settlement, expected):
    got = read_prose_summary(line, settlement)
    if expected is None:
        assert got is None or got == (None, {})
    else:
        assert got == expected


# --- hostile input stays fast -----------------------------------------------------------------


def test_hostile_lines_stay_fast():
    many_counts = "시정 " + ", ".join(f"{i % 90 + 1}건 완료 {i % 7}" for i in range(2000))
    long_item = "1. " + "가" * 20000 + " (도로과)\n  ▶ 조치결과 : " + "나" * 20000 + " (완료)\n"
    many_items = "".join(f"{i % 900 + 1}. 요구 {i}번을 처리할 것 (도로과)\n  ▶ 조치결과 : 처리함 (완료)\n" for i in range(5000))
    text = "Ⅱ. 2036 행정사무감사 처리결과\n" + many_counts + "\n" + long_item + many_items
    started = time.perf_counter()
    items, _, _ = audit_of(text)
    assert time.perf_counter() - started < 5
    assert len(items) == 5001


# --- the bot counts a status the report left blank ------------------------------------------


def test_audit_overview_counts_미기재_items(tmp_path):
    text = "2033 행정사무감사 처리결과\n\n2034. 1. 15.\n\n하천관리본부\n\n" + _blank_two("").split("\n", 1)[1]
    parsed = parse_bytes("river.txt", text.encode("utf-8"))
    assert [a.status.value for a in parsed.audit_items] == ["완료", "추진중", "미기재", "미기재"]
    store = Store(tmp_path / "db.json", clock=FixedClock(date(2034, 1, 20)))
    store.ingest(parsed)
    reply = ask(store, "/audit", today=date(2034, 1, 20))
    assert "총 4건 (완료 1, 추진중 1, 미기재 2)" in reply
    assert "미기재" in ask(store, "/audit open", today=date(2034, 1, 20))


# --- more ways of printing the same things ----------------------------------------------------

VARIED = """\
Ⅲ. 2037 행정사무감사 처리결과

 □ 처리요구사항 9건 (완료 6, 추진중 3)
   ○ 시정·처리요구사항 5건 (완료 4, 추진중 1)
   ○ 건의사항 4건 (완료 2, 추진중 2)

가. 시정·처리요구사항

1. 하수관로 정비 구간 선정 기준을 공개할 것
   - 소관부서 : 하수도과
   □ 조치결과
     1) 선정 기준을 홈페이지에 공개함
     2) 주민설명회 2회 개최 (완료, '37. 9월)

2. 빗물받이 청소 주기를 단축할 것 [치수과]
   ☞ 처리결과 : 청소 주기를 연 2회에서 4회로 늘림 (완료)
"""


def test_sub_lists_labels_and_remarks_inside_an_item():
    items, summary, notes = audit_of(VARIED, date(2037, 11, 2))
    assert rows(items) == [(1, "시정·처리요구", "하수도과", "완료"), (2, "시정·처리요구", "치수과", "완료")]
    first = items[0]
    assert "1) 선정 기준을 홈페이지에 공개함" in first.action and "2) 주민설명회 2회 개최" in first.action
    assert first.request == "하수관로 정비 구간 선정 기준을 공개할 것"
    assert not any("조치결과가 없는" in n for n in notes)
    # the umbrella line without '총' is the overall count: its kinds add up to it
    assert summary is not None and (summary.total, summary.counts["완료"], summary.counts["추진중"]) == (9, 6, 3)
    assert set(summary.by_kind) == {"시정·처리요구", "건의"}


MARKDOWN_TABLE = """\
## 감사 결과

| 번호 | 건의사항 | 처리결과 | 처리상황 |
|---|---|---|---|
| 1 | 마을버스 배차 간격을 줄이기 바람 | 증차 2대를 승인함 | 완료 |
| 2 | 버스정류장 온열의자를 늘리기 바람 | 설치 후보지 조사 중 | 추진 중 |
"""


def test_a_markdown_table_with_a_status_column():
    items, _, _ = audit_of(MARKDOWN_TABLE)
    assert rows(items) == [(1, "건의", None, "완료"), (2, "건의", None, "추진중")]
    assert items[1].action == "설치 후보지 조사 중"


def test_numbers_that_restart_per_kind_are_asked_for_by_kind_and_recorded_by_kind(tmp_path):
    """'/audit 1' is ambiguous when 시정 and 건의 both print a 1: the bot asks which; '건의1'
    picks one; recording 건의 1 as done leaves 시정 1 alone, also after a re-ingest."""
    from bot.replies import ReplyKind
    from handlers.dispatch import handle
    from tests.handmade import context

    store = Store(tmp_path / "db.json", clock=FixedClock(date(2032, 3, 1)))
    store.ingest(parse_bytes("grouped.txt", GROUPED.encode("utf-8")))
    today = date(2032, 3, 1)
    reply = handle("/audit 1", context(store, today=today))
    assert reply.kind == ReplyKind.CANDIDATES
    assert [a.command.split()[1] for a in reply.actions] == ["시정처리요구1", "건의1"]
    assert "보행자 우선도로 지정" in ask(store, "/audit 건의1", today=today)
    assert "무단횡단 방지시설" in ask(store, "/audit 시정1", today=today)
    admin = context(store, today=today, is_admin=True)
    assert handle("/audit done 2", admin).kind == ReplyKind.CANDIDATES
    assert handle("/audit done 건의2 이전 완료", admin).kind == ReplyKind.DONE
    store.ingest(parse_bytes("grouped-fixed.txt", (GROUPED + "\n").encode("utf-8")))  # a corrected copy
    by_kind = {(a.kind, a.number): a.status.value for a in store.audit_items()}
    assert by_kind[("건의", 2)] == "완료" and by_kind[("시정·처리요구", 2)] == "추진중"
