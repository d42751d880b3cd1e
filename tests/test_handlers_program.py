"""/program: one 주요업무 program as the report tells it, or a short list to pick from."""

from __future__ import annotations

import pytest

from bot.replies import ReplyKind
from handlers.dispatch import handle
from tests.handmade import ask, context

pytestmark = pytest.mark.both_backends  # the same answers from the TinyDB and the PostgreSQL store


def test_program_lookup_by_partial_title_shows_owner_budget_and_plans(corpus):
    reply = handle("/program 명예시민", context(corpus))
    assert reply.kind == ReplyKind.ANSWER
    assert "명예시민" in reply.title
    assert ("담당 부서", "국제교류담당관") in reply.fields
    text = ask(corpus, "/program 명예시민")
    assert "45백만원" in text and "향후계획" in text and "11.19" in text
    assert "주요업무보고(2021.9.6.)" in text


def test_program_lookup_shows_overview_achievements_and_dated_plans(made):
    reply = handle("/program 정책축제", context(made))
    headings = [s.heading for s in reply.sections]
    assert headings == ["사업개요", "추진실적", "향후계획", "일정"]
    dates = next(s for s in reply.sections if s.heading == "일정").lines
    assert dates[0].startswith("2023.10.5.(목)") and dates[1].startswith("2023년 12월 중")


def test_program_query_matching_several_lists_them_to_pick(made):
    reply = handle("/program 데이터", context(made))
    assert reply.kind == ReplyKind.CANDIDATES
    assert [c.command for c in reply.candidates] == ["/program 데이터 개방 확대", "/program 데이터 품질 관리"]


def test_program_by_department_lists_its_programs(made):
    reply = handle("/program 시민참여담당관", context(made))
    assert [r[1] for r in reply.table.rows] == ["시민 정책축제 개최", "외국인 명예시민 선정"]


def test_program_without_query_explains_usage(made):
    reply = handle("/program", context(made))
    assert reply.kind == ReplyKind.USAGE and "/program 명예시민" in reply.summary[0]


def test_program_unknown_query_says_not_found(made):
    assert "찾을 수 없습니다" in ask(made, "/program 우주정거장")
