"""/audit: follow-ups by status, by department, open ones, one in full; admins record progress."""

from __future__ import annotations

import pytest

from bot.replies import ReplyKind
from handlers.dispatch import handle
from tests.handmade import ask, context

pytestmark = pytest.mark.both_backends  # the same answers from the TinyDB and the PostgreSQL store


def test_audit_by_department_lists_its_follow_ups_with_statuses(corpus):
    reply = handle("/audit 도시브랜드담당관", context(corpus))
    assert reply.kind == ReplyKind.ANSWER
    statuses = {row[2] for row in reply.table.rows}
    assert statuses <= {"완료", "추진중", "검토중", "미반영"} and {"완료", "추진중"} <= statuses
    report = next(r for r in corpus.reports() if corpus.audit_items(r.id))
    expected = {str(a.number) for a in corpus.audit_items(report.id) if a.dept == "도시브랜드담당관"}
    assert len(expected) >= 5
    assert {row[0] for row in reply.table.rows} == expected


def test_audit_overview_gives_counts_from_summary_and_from_items(corpus):
    text = ask(corpus, "/audit")
    assert "보고서 총괄표: 총 19건 (완료 9, 추진중 10)" in text
    assert "본문 항목 집계" in text


def test_audit_overview_flags_a_summary_that_disagrees_with_the_items(made):
    reply = handle("/audit", context(made))
    assert reply.summary[0] == "보고서 총괄표: 총 4건 (완료 2, 추진중 2)"
    assert reply.summary[1] == "본문 항목 집계: 총 3건 (완료 1, 추진중 2)"
    assert "다릅니다" in reply.summary[2]
    assert ["시민참여담당관", "2", "1", "1"] in reply.table.rows


def test_audit_open_lists_unfinished_items_by_department(made):
    reply = handle("/audit open", context(made))
    assert [r[0] for r in reply.table.rows] == ["2", "3"]
    assert all(r[3] != "완료" for r in reply.table.rows)


def test_audit_item_by_number_shows_request_action_plan_and_source(made):
    text = ask(made, "/audit 2")
    assert "명예시민 선정 기준을 공개하기 바람" in text
    assert "향후 추진계획" in text and "2023.12.1." in text and "501행" in text


def test_audit_item_action_text_is_split_into_bullets(made):
    reply = handle("/audit 1", context(made))
    action = next(s for s in reply.sections if s.heading == "조치결과")
    assert action.lines == ["○ 예산 10% 절감", "○ 집행 점검"]


def test_audit_year_picks_the_settlement_inspection(made):
    text = ask(made, "/audit 2021")
    assert "결산검사시정권고" in text and "2021 회계연도" in text


def test_audit_unknown_number_names_the_range(made):
    assert "1~3번" in ask(made, "/audit 9")


def test_audit_done_by_admin_records_status_and_survives_reingest(made):
    from tests.handmade import work_report

    reply = handle("/audit done 2 기준 공개 완료", context(made, is_admin=True))
    assert reply.kind == ReplyKind.DONE and "추진중 → 완료" in reply.summary[0]
    made.ingest(work_report())  # same report again: status change must stay
    assert "완료" in handle("/audit 2", context(made)).title


def test_audit_done_by_non_admin_is_refused(made):
    reply = handle("/audit done 2", context(made, is_admin=False))
    assert reply.kind == ReplyKind.DENIED
    assert "추진중" in handle("/audit 2", context(made)).title


def test_audit_done_without_number_lists_finished_items(made):
    reply = handle("/audit done", context(made))
    assert [r[0] for r in reply.table.rows] == ["1"]
