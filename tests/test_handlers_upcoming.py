"""/upcoming: milestones from today (or the as-of date), soonest first, honest precision."""

from __future__ import annotations

from datetime import date

import pytest

from bot.replies import ReplyKind
from handlers.dispatch import handle
from tests.handmade import ask, context

pytestmark = pytest.mark.both_backends  # the same answers from the TinyDB and the PostgreSQL store


def test_upcoming_90_days_from_as_of_date_lists_ceremony_and_committee(corpus):
    reply = handle("/upcoming 90", context(corpus, date(2021, 9, 6)))
    rows = reply.table.rows
    ceremony = next(r for r in rows if "명예시민증 수여식" in r[3])
    committee = next(r for r in rows if "서울-베이징 통합위원회" in r[3] and r[0].startswith("2021.10.28."))
    assert ceremony[0] == "2021.11.19.(금)" and ceremony[1] == "D-74"
    assert committee[1] == "D-52"
    assert rows.index(committee) < rows.index(ceremony)


def test_upcoming_lists_soonest_first_with_d_day(made):
    reply = handle("/upcoming 90", context(made))
    titles = [r[3] for r in reply.table.rows]
    assert titles.index("시민 정책축제") < titles.index("명예시민증 수여식") < titles.index("축제 성과 평가")
    festival = next(r for r in reply.table.rows if r[3] == "시민 정책축제")
    assert festival[:2] == ["2023.10.5.(목)", "D-29"]


def test_upcoming_shows_month_precision_without_inventing_a_day(made):
    rows = handle("/upcoming 120", context(made)).table.rows
    review = next(r for r in rows if r[3] == "축제 성과 평가")
    assert review[0] == "2023년 12월 중" and "D-" not in review[1]


def test_upcoming_keeps_periods_under_way_apart_from_what_is_ahead(made):
    reply = handle("/upcoming 7", context(made))
    assert reply.table is None  # nothing starts within the week
    ongoing = next(s for s in reply.sections if s.heading.startswith("이미 진행 중"))
    assert "2023년 9월 중 · 이번 달 점검 (시민안전담당관)" in ongoing.lines
    assert "2023년 9월 ~ 11월 · 데이터 포털 개편 (데이터정책담당관)" in ongoing.lines
    assert not any("지난 행사" in line for line in ongoing.lines)


def test_upcoming_ongoing_lists_periods_under_way_in_a_table(made):
    rows = handle("/upcoming 진행중", context(made)).table.rows
    assert ["2023년 9월 중", "이번 달 중", "시민안전담당관", "이번 달 점검"] in rows
    assert ["2023년 하반기 중", "이번 반기 중", "시민안전담당관", "하반기 안전 훈련"] in rows


def test_upcoming_shows_an_event_printed_twice_in_a_report_once(tmp_path):
    from bot.clock import FixedClock
    from bot.models import Milestone, Precision
    from bot.store import Store
    from tests.handmade import work_report

    parsed = work_report()
    again = Milestone(title="시민 정책축제 개최 기간", start=date(2023, 10, 5), precision=Precision.DAY, dept="시민참여담당관", source=parsed.milestones[0].source.model_copy(update={"line": 312}))
    store = Store(tmp_path / "db.json", clock=FixedClock(date(2023, 9, 6)))
    store.ingest(parsed.model_copy(update={"milestones": parsed.milestones + [again]}))
    assert any(m.title == "시민 정책축제 개최 기간" for m in store.milestones())
    titles = [r[3] for r in handle("/upcoming 60", context(store)).table.rows]
    assert titles.count("시민 정책축제") == 1 and "시민 정책축제 개최 기간" not in titles


def test_upcoming_keeps_a_hand_added_event_on_the_same_day(made):
    from bot.models import Milestone, Precision

    made.add_manual_milestone(Milestone(title="시민 정책축제 리허설", start=date(2023, 10, 5), precision=Precision.DAY, dept="시민참여담당관"))
    titles = [r[3] for r in handle("/upcoming 60", context(made)).table.rows]
    assert "시민 정책축제" in titles and "시민 정책축제 리허설" in titles


def test_upcoming_for_a_department_lists_only_its_milestones(made):
    reply = handle("/upcoming 시민참여", context(made))
    assert {r[2] for r in reply.table.rows} == {"시민참여담당관"}
    assert len(reply.table.rows) == 3


def test_upcoming_follows_the_clock(made):
    later = handle("/upcoming 30", context(made, date(2023, 11, 1)))
    titles = [r[3] for r in later.table.rows]
    assert "명예시민증 수여식" in titles and "시민 정책축제" not in titles


def test_upcoming_names_today_and_sources(made):
    text = ask(made, "/upcoming", date(2023, 9, 6))
    assert "오늘: 2023.9.6." in text and "미래전략실 주요업무보고(2023.9.4.)" in text


def test_upcoming_with_nothing_ahead_says_so(made):
    reply = handle("/upcoming 30", context(made, date(2030, 1, 1)))
    assert reply.table is None and "없습니다" in reply.summary[0]


def test_upcoming_rejects_a_silly_number_of_days(made):
    assert handle("/upcoming 0", context(made)).kind == ReplyKind.USAGE
    assert handle("/upcoming 100000", context(made)).kind == ReplyKind.USAGE


def test_upcoming_for_an_office_lists_the_milestones_of_its_reports(made):
    reply = handle("/upcoming 미래전략실", context(made))
    assert reply.title.startswith("미래전략실 다가오는 일정")
    assert [r[3] for r in reply.table.rows] == ["시민 정책축제", "명예시민증 수여식", "축제 성과 평가"]
