"""`reportbot reminders plan`: every send in a window — when, where, what — computed by
the same code the scheduler uses."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, ParsedReport, Precision, Report, SentRecord, Source, Subscription
from bot.runtime import Runtime
from bot.store import Store
from reminders.calendar import WorkCalendar
from reminders.plan import plan_window
from reminders.service import ReminderService

CLOCK = FixedClock(datetime(2021, 10, 20, 10, tzinfo=SEOUL))


def made_up_report() -> ParsedReport:
    """A tiny parse result with one dated plan item (the store must not care where it came from)."""
    src = Source(report_id="r1", doc="sample.txt", line=42)
    return ParsedReport(
        report=Report(id="r1", doc="sample.txt", title="주요업무보고", org="시험기획관", report_date=date(2021, 9, 6)),
        milestones=[
            Milestone(title="가상 행사 개최", start=date(2021, 10, 29), precision=Precision.DAY, dept="가상담당관", program="가상 사업", date_text="'21. 10. 29.(금)", source=src)
        ],
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(made_up_report())
    store.add_manual_milestone(Milestone(title="통합위원회 전체회의", start=date(2021, 10, 28), precision=Precision.DAY, dept="국제교류담당관"))
    store.add_manual_milestone(Milestone(title="글로벌 포럼", start=date(2021, 11, 1), precision=Precision.MONTH, dept="도시브랜드담당관"))
    store.close()
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(app, ["--db", str(db), "reminders", "plan", *args])


def subscribe(db: Path, target: str, channel: str, kind: str = "reminder") -> None:
    store = Store(db, clock=CLOCK)
    store.add_subscription(Subscription(platform="slack", channel=channel, target=target, kind=kind, created_at=CLOCK.now()))
    store.close()


def test_plan_without_subscriptions_says_so_and_all_shows_the_send_days(db):
    result = run(db, "--from", "2021-10-20", "--to", "2021-10-31")
    assert result.exit_code == 0 and "구독이 없어" in result.output
    result = run(db, "--from", "2021-10-20", "--to", "2021-10-31", "--all")
    lines = result.output.splitlines()
    assert lines == [
        "2021.10.20. ~ 2021.10.31.: 알림 날짜 7건 (구독과 관계없이)",
        "2021.10.21.(목) 09:00  (구독 없음)  D-7 · 통합위원회 전체회의 (국제교류담당관)",
        "2021.10.22.(금) 09:00  (구독 없음)  D-7 · 가상 행사 개최 (가상담당관)",
        "2021.10.25.(월) 09:00  (구독 없음)  다음 달 · 글로벌 포럼 (도시브랜드담당관)",
        "2021.10.27.(수) 09:00  (구독 없음)  D-1 · 통합위원회 전체회의 (국제교류담당관)",
        "2021.10.28.(목) 09:00  (구독 없음)  D-day · 통합위원회 전체회의 (국제교류담당관)",
        "2021.10.28.(목) 09:00  (구독 없음)  D-1 · 가상 행사 개최 (가상담당관)",
        "2021.10.29.(금) 09:00  (구독 없음)  D-day · 가상 행사 개최 (가상담당관)",
    ]


def test_plan_lists_each_send_with_its_channel_and_what_the_sent_log_says(db):
    subscribe(db, "국제교류담당관", "C-intl")
    subscribe(db, "가상 사업", "C-prog")
    subscribe(db, "all", "C-mgmt", kind="digest")
    store = Store(db, clock=CLOCK)
    key = "reminder|m1|d7|slack:C-intl"
    store.record_sent(SentRecord(key=key, platform="slack", channel="C-intl", sent_at=datetime(2021, 10, 21, 9, 0, 2, tzinfo=SEOUL), due_at=datetime(2021, 10, 21, 9, tzinfo=SEOUL)))
    store.close()
    result = run(db, "--from", "2021-10-20", "--to", "2021-10-31")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2021.10.20. ~ 2021.10.31.: 보낼 알림 7건",
        "2021.10.21.(목) 09:00  slack:C-intl  D-7 · 통합위원회 전체회의 (국제교류담당관) [보냄 2021.10.21.(목) 09:00]",
        "2021.10.22.(금) 09:00  slack:C-prog  D-7 · 가상 행사 개최 (가상담당관)",
        "2021.10.25.(월) 09:00  slack:C-mgmt  주간 요약 2021-W43",
        "2021.10.27.(수) 09:00  slack:C-intl  D-1 · 통합위원회 전체회의 (국제교류담당관)",
        "2021.10.28.(목) 09:00  slack:C-intl  D-day · 통합위원회 전체회의 (국제교류담당관)",
        "2021.10.28.(목) 09:00  slack:C-prog  D-1 · 가상 행사 개최 (가상담당관)",
        "2021.10.29.(금) 09:00  slack:C-prog  D-day · 가상 행사 개최 (가상담당관)",
    ]


@pytest.mark.parametrize("args", [("--from", "2021-10-32", "--to", "2021-11-01"), ("--from", "2021-11-01", "--to", "2021-10-01")])
def test_plan_with_bad_dates_gets_a_korean_error_and_exit_2(db, args):
    result = run(db, *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


async def test_the_scheduler_schedules_exactly_what_the_plan_lists(db):
    subscribe(db, "all", "C-all")
    subscribe(db, "all", "C-all", kind="digest")
    store = Store(db, clock=CLOCK)
    rt = Runtime(settings=Settings(), store=store, clock=CLOCK)
    service = ReminderService(rt, WorkCalendar("KR"))
    await service.start()
    horizon = datetime(2021, 11, 3, 10, tzinfo=SEOUL)  # the service plans 14 days ahead
    planned = {(s.key, s.due_at) for s in plan_window(store, rt.settings, service.calendar, CLOCK.now(), horizon)}
    scheduled = {(s.key, s.due_at) for sends in service.scheduled().values() for s in sends}
    assert planned == scheduled and len(planned) == 10  # 3 + 3 + 2 reminders, 2 digests
    await service.stop()
    store.close()


def test_a_reminder_says_what_when_d_n_department_program_and_source(db):
    from handlers.render_text import render
    from reminders.reply import reminder_reply

    subscribe(db, "가상담당관", "C-prog")
    store = Store(db, clock=CLOCK)
    [d1] = [
        s
        for s in plan_window(store, Settings(), WorkCalendar("KR"), CLOCK.now(), datetime(2021, 11, 1, tzinfo=SEOUL))
        if s.slot is not None and s.slot.label == "d1"
    ]
    text = render(reminder_reply(store, [d1]))
    assert "일정 알림 · D-1 · 가상 행사 개최" in text
    assert "일시: 2021.10.29.(금) (보고서 표기: '21. 10. 29.(금))" in text
    assert "부서: 가상담당관" in text and "사업: 가상 사업" in text
    assert "출처: 시험기획관 주요업무보고(2021.9.6.) 42행" in text
    assert "늦은 알림" not in text and "늦은 알림" in render(reminder_reply(store, [d1], late=True))
    store.close()
