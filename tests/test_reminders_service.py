"""The reminder service with an injectable clock: nothing lost, nothing twice.

The scheduler itself runs on wall time; these tests move the bot's clock and restart
the service instead of sleeping, the way a bot stopped overnight comes back."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, Precision, Subscription
from bot.replies import Reply
from bot.runtime import Runtime
from bot.store import Store
from handlers.context import Context
from handlers.dispatch import handle
from reminders.calendar import WorkCalendar
from reminders.plan import plan_window
from reminders.service import ReminderService


class RecordingSender:
    """A platform that remembers what it was asked to deliver."""

    def __init__(self, platform: str = "console", fail: int = 0, delay: float = 0.0) -> None:
        self.platform = platform
        self.sent: list[tuple[str, Reply]] = []
        self.fail = fail
        self.delay = delay

    async def send(self, channel: str, reply: Reply) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            self.fail -= 1
            raise ConnectionError("platform down")
        self.sent.append((channel, reply))


def at(y: int, mo: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SEOUL)


class Bot:
    """One bot process: a store opened on the shared file, a runtime, a service."""

    def __init__(self, path: Path, clock: FixedClock, sender: RecordingSender | None = None, settings: Settings | None = None) -> None:
        self.clock = clock
        self.store = Store(path, clock=clock)
        self.rt = Runtime(settings=settings or Settings(), store=self.store, clock=clock)
        self.sender = sender or RecordingSender()
        self.rt.add_sender(self.sender)
        self.service = ReminderService(self.rt, WorkCalendar("KR"))

    def ask(self, text: str, admin: bool = True, channel: str = "ops") -> Reply:
        ctx = Context(store=self.store, clock=self.clock, settings=self.rt.settings, platform="console", channel_id=channel, is_admin=admin, commands=self.rt.registry)
        return handle(text, ctx)

    async def start(self):
        return await self.service.start()

    async def stop(self) -> None:
        await self.service.stop()
        self.store.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reportbot.json"


def seed(db: Path, clock: FixedClock, subscribed_at: datetime | None = None) -> None:
    """A hand-added milestone on Thursday 10.28 and a channel subscribed to its department."""
    store = Store(db, clock=clock)
    store.add_manual_milestone(
        Milestone(title="서울-베이징 통합위원회 전체회의", start=date(2021, 10, 28), precision=Precision.DAY, dept="국제교류담당관")
    )
    created = subscribed_at or clock.now()
    store.add_subscription(Subscription(platform="console", channel="ops", target="국제교류담당관", created_at=created))
    store.close()


async def test_bot_stopped_before_a_reminder_and_restarted_after_sends_it_once_marked_late(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    bot = Bot(db, clock)
    await bot.start()
    assert any("|d1|" in k for k in bot.service.scheduled_keys())
    await bot.stop()  # down over night: the D-1 at 10.27 09:00 comes and goes

    clock.set(at(2021, 10, 27, 11))
    bot = Bot(db, clock)
    report = await bot.start()
    assert report.late == 1 and report.skipped == 0
    assert len(bot.sender.sent) == 1
    channel, reply = bot.sender.sent[0]
    assert channel == "ops"
    assert "D-1" in reply.title and "서울-베이징 통합위원회" in reply.title
    assert any("늦은 알림" in line for line in reply.summary)
    [rec] = [r for r in bot.store.sent_records() if "|d1|" in r.key]
    assert rec.late and rec.status == "sent" and rec.due_at == at(2021, 10, 27)
    await bot.stop()

    for hour in (12, 13):  # restarted twice more: still sent once
        clock.set(at(2021, 10, 27, hour))
        bot = Bot(db, clock)
        report = await bot.start()
        assert report.late == 0 and bot.sender.sent == []
        await bot.stop()
    assert len([r for r in Store(db, clock=clock).sent_records() if "|d1|" in r.key]) == 1


async def test_sends_older_than_the_grace_period_are_logged_not_sent(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    clock.set(at(2021, 10, 28, 10))  # D-1 (10.27 09:00) is 25 h late, D-day one hour
    bot = Bot(db, clock)
    report = await bot.start()
    assert (report.late, report.skipped) == (1, 1)
    [(_, reply)] = bot.sender.sent
    assert "D-day" in reply.title
    by_slot = {r.key.split("|")[2]: r for r in bot.store.sent_records()}
    assert by_slot["d1"].status == "skipped" and by_slot["d0"].status == "sent"
    await bot.stop()


async def test_nothing_is_owed_from_before_the_channel_subscribed(db):
    clock = FixedClock(at(2021, 10, 27, 10))  # subscribes an hour after the D-1 went out
    seed(db, clock)
    bot = Bot(db, clock)
    report = await bot.start()
    assert (report.late, report.skipped) == (0, 0) and bot.sender.sent == []
    await bot.stop()


async def test_milestone_added_while_running_is_scheduled_without_a_restart(db):
    clock = FixedClock(at(2021, 10, 20, 10))
    bot = Bot(db, clock)
    bot.ask("/subscribe all")
    await bot.start()
    assert bot.service.scheduled_keys() == set()

    reply = bot.ask("/milestone add 2021-10-28 통합위원회 전체회의 국제교류담당관")
    assert reply.kind == "done", reply
    await bot.service.settled()
    keys = bot.service.scheduled_keys()
    assert {k.split("|")[2] for k in keys} == {"d7", "d1", "d0"}
    # The D-1 job runs when the bot's clock reaches 10.27 09:00 (mapped onto wall time).
    batch = next(b for b, sends in bot.service.scheduled().items() if sends[0].slot.label == "d1")
    expected = datetime.now(SEOUL) + (at(2021, 10, 27) - clock.now())
    assert abs(bot.service.next_run_time(batch) - expected) < timedelta(seconds=5)
    await bot.stop()


async def test_removed_milestone_is_unscheduled(db):
    clock = FixedClock(at(2021, 10, 20, 10))
    bot = Bot(db, clock)
    bot.ask("/subscribe all")
    bot.ask("/milestone add 2021-10-28 통합위원회 전체회의")
    bot.ask("/milestone add 2021-11-02 하노이 기념행사")
    await bot.start()
    assert len(bot.service.scheduled_keys()) == 6

    assert bot.ask("/milestone remove 1").kind == "done"
    await bot.service.settled()
    titles = {s.milestone.title for sends in bot.service.scheduled().values() for s in sends}
    assert titles == {"하노이 기념행사"}
    await bot.stop()


async def test_unsubscribing_stops_sends(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    bot = Bot(db, clock)
    await bot.start()
    assert bot.service.scheduled_keys()
    reply = bot.ask("/unsubscribe 국제교류")
    assert reply.kind == "done", reply
    await bot.service.settled()
    assert bot.service.scheduled_keys() == set()
    await bot.stop()

    clock.set(at(2021, 10, 27, 11))  # past the D-1: nothing is caught up either
    bot = Bot(db, clock)
    report = await bot.start()
    assert report.late == 0 and bot.sender.sent == []
    await bot.stop()


async def test_a_send_already_caught_up_is_not_delivered_again_by_a_late_job(db):
    clock = FixedClock(at(2021, 10, 27, 11))
    seed(db, clock, subscribed_at=at(2021, 10, 25))
    bot = Bot(db, clock)
    await bot.start()  # the catch-up delivers the D-1 ...
    group = plan_window(bot.store, bot.rt.settings, bot.service.calendar, at(2021, 10, 27), at(2021, 10, 27, 10))
    assert [s.slot.label for s in group] == ["d1"]
    assert await bot.service.deliver(group) is False  # ... a late job for it finds it in the sent-log
    assert len(bot.sender.sent) == 1
    await bot.stop()


async def test_concurrent_deliveries_of_one_batch_send_once(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    bot = Bot(db, clock, RecordingSender(delay=0.05))
    await bot.start()
    [group] = [g for g in bot.service.scheduled().values() if g[0].slot.label == "d1"]
    results = await asyncio.gather(bot.service.deliver(group), bot.service.deliver(group))
    assert sorted(results) == [False, True]
    assert len(bot.sender.sent) == 1
    await bot.stop()


async def test_a_failed_send_is_not_recorded_and_is_retried(db):
    clock = FixedClock(at(2021, 10, 27, 11))
    seed(db, clock, subscribed_at=at(2021, 10, 25))
    bot = Bot(db, clock, RecordingSender(fail=1))
    report = await bot.start()
    assert report.pending == 1 and bot.store.sent_records() == []
    assert any(j.id.startswith("retry|") for j in bot.service.scheduler.get_jobs())
    await bot.stop()
    bot = Bot(db, clock)  # and a restart within the grace period delivers it
    assert (await bot.start()).late == 1
    await bot.stop()


async def test_a_platform_that_connects_after_the_start_still_gets_the_caught_up_send(db):
    clock = FixedClock(at(2021, 10, 27, 11))
    seed(db, clock, subscribed_at=at(2021, 10, 25))
    bot = Bot(db, clock, RecordingSender(platform="slack"))  # the console is not up yet
    bot.service.wait_for_sender = timedelta(seconds=0.2)
    report = await bot.start()
    assert report.pending == 1 and bot.store.sent_records() == []
    console = RecordingSender()
    bot.rt.add_sender(console)  # connects a moment later, like Telegram after its first round-trip
    for _ in range(60):
        if console.sent:
            break
        await asyncio.sleep(0.05)
    [(_, reply)] = console.sent
    assert "D-1" in reply.title and any("늦은 알림" in line for line in reply.summary)
    assert [r.late for r in bot.store.sent_records()] == [True]
    await bot.stop()


async def test_send_for_a_platform_not_connected_stays_pending_for_a_later_start(db):
    clock = FixedClock(at(2021, 10, 27, 11))
    seed(db, clock, subscribed_at=at(2021, 10, 25))
    bot = Bot(db, clock, RecordingSender(platform="slack"))  # console channel, only Slack up
    report = await bot.start()
    assert report.pending == 1 and bot.store.sent_records() == []
    await bot.stop()
    bot = Bot(db, clock)
    assert (await bot.start()).late == 1
    await bot.stop()


async def test_jobs_tolerate_lateness_up_to_the_grace_period_and_coalesce(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    bot = Bot(db, clock, settings=Settings(reminders={"grace_hours": 6}))
    await bot.start()
    jobs = [j for j in bot.service.scheduler.get_jobs() if j.id.startswith("reminder|")]
    assert jobs and all(j.misfire_grace_time == 6 * 3600 and j.coalesce for j in jobs)
    assert str(bot.service.scheduler.timezone) == "Asia/Seoul"
    await bot.stop()


async def test_one_channel_gets_one_message_for_reminders_due_at_the_same_time(db):
    clock = FixedClock(at(2021, 10, 26, 18))
    seed(db, clock)
    store = Store(db, clock=clock)
    store.add_manual_milestone(Milestone(title="하노이 기념행사", start=date(2021, 11, 4), precision=Precision.DAY, dept="국제교류담당관"))
    store.close()
    clock.set(at(2021, 10, 28, 9, 30))  # D-day of 10.28 and D-7 of 11.4 both due at 09:00
    bot = Bot(db, clock)
    await bot.start()
    [(_, reply)] = bot.sender.sent
    assert "2건" in reply.title
    assert [s.heading.split(" · ")[0] for s in reply.sections] == ["D-day", "D-7"]
    await bot.stop()


async def test_digest_subscription_gets_a_weekly_job_on_monday_morning(db):
    clock = FixedClock(at(2021, 10, 20, 10))
    bot = Bot(db, clock)
    assert bot.ask("/digest subscribe").kind == "done"
    await bot.start()
    digests = [s for sends in bot.service.scheduled().values() for s in sends if s.kind == "digest"]
    assert [s.due_at for s in digests] == [at(2021, 10, 25), at(2021, 11, 1)]
    assert digests[0].key == "digest|2021-W43|console:ops"
    await bot.stop()

    clock.set(at(2021, 10, 25, 9, 30))  # restarted after the Monday digest was due
    bot = Bot(db, clock)
    assert (await bot.start()).late == 1
    [(_, reply)] = bot.sender.sent
    assert reply.title.startswith("주간 요약") and any("늦은 알림" in s for s in reply.summary)
    assert bot.store.get_meta("digest.last|console:ops")
    await bot.stop()


async def test_a_long_outage_is_logged_in_one_store_write_not_one_per_send(db):
    clock = FixedClock(at(2021, 9, 1, 9))
    store = Store(db, clock=clock)
    for day in range(1, 29):
        store.add_manual_milestone(Milestone(title=f"행사 {day}", start=date(2021, 10, day), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="console", channel="ops", target="all", created_at=clock.now()))
    store.close()
    clock.set(at(2021, 11, 1, 10))  # down for two months
    bot = Bot(db, clock)
    writes = bot.store.file_writes
    report = await bot.start()
    assert report.skipped >= 28 * 2 and report.late == 0
    assert len({r.key for r in bot.store.sent_records()}) == report.skipped
    assert bot.store.file_writes - writes == 1
    await bot.stop()
