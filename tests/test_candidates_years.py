"""Candidate lists say which year's report each candidate comes from, and one program
printed in several years' reports (its title differs only by the year) is not a
question: the newest answers, the reply says which year, the other years are buttons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.models import ParsedReport, Program, Report, Source
from bot.replies import ReplyKind
from bot.store import Store
from handlers.dispatch import handle
from handlers.render_text import render
from tests.handmade import build_store, context

OLD_ID = "work2022cccccccc"
OLD_TITLE = "「2022 시민 정책축제」 개최"
NEW_TITLE = "시민 정책축제 개최"  # the 2023 report (tests/handmade.py)


def report_2022() -> ParsedReport:
    src = Source(report_id=OLD_ID, doc="work2022.txt", line=300)
    return ParsedReport(
        report=Report(id=OLD_ID, doc="work2022.txt", title="주요업무보고", org="미래전략실", report_date=date(2022, 9, 5), line_count=500),
        programs=[
            Program(title=OLD_TITLE, dept="시민참여담당관", overview="첫 시민 정책축제", budget_text="350백만원", line=300, source=src),
            Program(title="시민 정책 토론회", dept="시민참여담당관", line=320, source=Source(report_id=OLD_ID, doc="work2022.txt", line=320)),
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = build_store(tmp_path / "db.json")
    s.ingest(report_2022())
    return s


def test_candidates_show_the_year_of_the_report_they_come_from(corpus) -> None:
    reply = handle("/program 시민", context(corpus, date(2021, 9, 6)))
    assert reply.kind == ReplyKind.CANDIDATES
    labels = {c.command.removeprefix("/program "): c.label for c in reply.candidates}
    assert labels["「시민청」 운영 내실화 및 확산"] == "2018 결산 · 「시민청」 운영 내실화 및 확산"
    assert labels["서울특별시 외국인 명예시민 선정"] == "2021 · 서울특별시 외국인 명예시민 선정"
    # the button still runs the exact name, without the year in front
    assert all(not c.command.split(" ", 1)[1][:4].isdigit() for c in reply.candidates)


def test_candidates_printed_in_the_same_years_say_the_years_once(corpus) -> None:
    reply = handle("/budget 시민", context(corpus, date(2021, 9, 6)))
    assert "모두 2021, 2018 결산, 2016 보고서에 있는 이름입니다." in reply.summary
    assert {c.label for c in reply.candidates} == {"시민봉사담당관", "시민소통담당관"}  # short buttons


def test_one_program_printed_in_two_years_answers_with_the_newest(store: Store) -> None:
    reply = handle("/program 정책축제", context(store))
    text = render(reply)
    assert reply.kind != ReplyKind.CANDIDATES
    assert f"■ {NEW_TITLE} (2023)" in text and "관람 3만명" in text
    assert f"가장 최근 것(2023, '{NEW_TITLE}')으로 답합니다" in text
    assert ("2022 것 보기", f"/program {OLD_TITLE}") in [(a.label, a.command) for a in reply.actions]


def test_the_year_asked_for_picks_that_years_printing(store: Store) -> None:
    text = render(handle("/program 정책축제 2022", context(store)))
    assert f"■ {OLD_TITLE} (2022)" in text and "2022 보고서의" in text and "관람 3만명" not in text


def test_a_plain_question_about_the_program_gets_the_newest_too(store: Store) -> None:
    text = render(handle("정책축제 사업 알려줘", context(store)))
    assert f"■ {NEW_TITLE} (2023)" in text and "2022 것 보기" in text


def test_different_programs_that_share_a_word_are_still_a_choice(store: Store) -> None:
    reply = handle("/program 시민 정책", context(store))
    assert reply.kind == ReplyKind.CANDIDATES
    labels = [c.label for c in reply.candidates]
    assert "2022 · 시민 정책 토론회" in labels and any(label.endswith(NEW_TITLE) for label in labels)
