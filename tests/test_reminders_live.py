"""The real APScheduler in a live event loop: a reminder due one second from now
arrives through the console adapter's sender, once."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import date, datetime
from pathlib import Path

from bot.adapters.console import ConsoleSender
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, Precision, Subscription
from bot.runtime import Runtime
from bot.store import Store
from reminders.calendar import WorkCalendar
from reminders.service import ReminderService


async def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return predicate()


async def test_scheduler_delivers_a_reminder_due_in_a_second_through_the_console(tmp_path: Path):
    # The bot's clock says one second before the D-1 reminder of a Thursday 10.28 meeting.
    clock = FixedClock(datetime(2021, 10, 27, 8, 59, 59, tzinfo=SEOUL))
    store = Store(tmp_path / "db.json", clock=clock)
    store.add_manual_milestone(
        Milestone(title="서울-베이징 통합위원회 전체회의", start=date(2021, 10, 28), precision=Precision.DAY, dept="국제교류담당관")
    )
    store.add_subscription(Subscription(platform="console", channel="console", target="국제교류담당관", created_at=clock.now()))
    out = io.StringIO()
    rt = Runtime(settings=Settings(), store=store, clock=clock)
    rt.add_sender(ConsoleSender(out))
    service = ReminderService(rt, WorkCalendar("KR"))

    started = time.monotonic()
    await service.start()
    assert out.getvalue() == ""  # not yet: it is 08:59:59
    assert await wait_for(lambda: "D-1" in out.getvalue())
    elapsed = time.monotonic() - started
    text = out.getvalue()
    assert "서울-베이징 통합위원회 전체회의" in text and "국제교류담당관" in text and "늦은 알림" not in text
    assert 0.5 < elapsed < 5  # it waited for its time, and did not wait long
    [rec] = store.sent_records()
    assert rec.key.endswith("|d1|console:console") and rec.status == "sent" and not rec.late

    await asyncio.sleep(0.3)
    assert text.count("D-1") == out.getvalue().count("D-1")  # delivered once
    await service.stop()
    store.close()


async def test_a_job_later_than_the_grace_period_is_logged_as_skipped_not_sent_silently(tmp_path: Path):
    # Grace of one second (APScheduler's own default): the loop is then blocked for 2.5 s.
    clock = FixedClock(datetime(2021, 10, 27, 8, 59, 59, 800000, tzinfo=SEOUL))
    store = Store(tmp_path / "db.json", clock=clock)
    store.add_manual_milestone(Milestone(title="전체회의", start=date(2021, 10, 28), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="console", channel="console", target="all", created_at=clock.now()))
    out = io.StringIO()
    rt = Runtime(settings=Settings(reminders={"grace_hours": 1 / 3600}), store=store, clock=clock)
    rt.add_sender(ConsoleSender(out))
    service = ReminderService(rt, WorkCalendar("KR"))
    await service.start()
    time.sleep(2.5)  # the event loop is stuck (a long synchronous call) past the job's time
    assert await wait_for(lambda: bool(store.sent_records()), timeout=3)
    [rec] = store.sent_records()
    assert rec.status == "skipped" and out.getvalue() == ""
    await service.stop()
    store.close()
