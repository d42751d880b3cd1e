"""A replica hears the others' writes: the change notices (LISTEN/NOTIFY) of its store,
not of another store in the same database, and "anything may have changed" after its
listening connection was cut; the scheduler's holder reschedules for a subscription
made through another replica."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime

import psycopg
import pytest

from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, Precision, Subscription
from bot.pgstore.notify import CHANNEL, EVERYTHING, ChangeListener, parse_notice
from bot.pgstore.replica import ReplicaDuties
from bot.pgstore.store import PgStore
from bot.runtime import Runtime
from reminders.calendar import WorkCalendar
from reminders.service import ReminderService
from tests.pg import schema_url


class Heard:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, what: str) -> None:
        with self.lock:
            self.items.append(what)

    def wait_for(self, expected: list[str], timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.items == expected:
                    return list(self.items)
            time.sleep(0.05)
        return list(self.items)


@pytest.fixture
def schema(pg_server: str) -> Iterator[str]:
    name = f"test_notify_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def notify(server: str, payload: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])


def test_a_notice_names_its_store_and_what_changed() -> None:
    assert parse_notice("s1|subscriptions", "s1") == "subscriptions"
    assert parse_notice("s2|subscriptions", "s1") is None
    assert parse_notice("s1|", "s1") == EVERYTHING
    assert parse_notice("reports", "s1") == "reports"  # no schema: taken as ours


def test_a_subscription_made_on_another_replica_reaches_this_one(pg_server: str, schema: str) -> None:
    heard = Heard()
    listener = ChangeListener(schema_url(pg_server, schema), heard, retry_every=0.2).start()
    try:
        assert listener.connected.wait(10)
        notify(pg_server, f"{schema}|subscriptions")
        notify(pg_server, f"other_{schema}|reports")  # another store in the same database
        notify(pg_server, f"{schema}|reports")
        assert heard.wait_for(["subscriptions", "reports"]) == ["subscriptions", "reports"]
    finally:
        listener.stop()


def test_after_its_connection_is_cut_a_replica_assumes_anything_changed(pg_server: str, schema: str) -> None:
    heard = Heard()
    listener = ChangeListener(schema_url(pg_server, schema), heard, retry_every=0.2).start()
    try:
        assert listener.connected.wait(10)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [listener.backend_pid])
        assert heard.wait_for([EVERYTHING]) == [EVERYTHING]
        assert listener.connected.wait(10)
        notify(pg_server, f"{schema}|milestones")
        assert heard.wait_for([EVERYTHING, "milestones"]) == [EVERYTHING, "milestones"]
    finally:
        listener.stop()


async def until_true(check: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out: {what}"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("notice_missed", [False, True], ids=["heard", "missed-while-reconnecting"])
async def test_the_lock_holder_schedules_a_subscription_made_through_another_replica(pg_url: str, notice_missed: bool) -> None:
    clock = FixedClock(datetime(2021, 10, 25, 9, 30, tzinfo=SEOUL))
    holder_store, other_store = PgStore(pg_url, clock=clock), PgStore(pg_url, clock=clock)
    holder_store.add_manual_milestone(Milestone(title="복제시험 위원회", start=date(2021, 10, 28), precision=Precision.DAY, dept="복제시험담당관"))
    service = ReminderService(Runtime(settings=Settings(), store=holder_store, clock=clock), WorkCalendar("KR"))
    duties = ReplicaDuties(holder_store, service.start, service.stop)
    await duties.start()
    try:
        listener = duties.listener
        assert listener is not None
        await until_true(lambda: service.running and listener.connected.is_set(), "the only replica takes the scheduler")
        assert service.scheduled_keys() == set()
        if notice_missed:  # the listening connection is cut: the subscription's notice reaches nobody
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [listener.backend_pid])

        other_store.add_subscription(Subscription(platform="console", channel="ops", target="복제시험담당관", created_at=clock.now()))
        await until_true(service.scheduled_keys, "the holder reschedules for the other replica's subscription")
        assert {s.channel for group in service.scheduled().values() for s in group} == {"ops"}
    finally:
        await duties.stop()
        holder_store.close()
        other_store.close()
    assert not service.running


@pytest.mark.parametrize("claimed_ago", [0.0, 60.0], ids=["claimed-just-now", "claimed-a-minute-ago"])
async def test_a_new_lock_holder_leaves_a_send_just_claimed_to_its_claimer_for_a_moment(pg_url: str, claimed_ago: float) -> None:
    store = PgStore(pg_url, clock=FixedClock(datetime(2021, 10, 28, 9, 0, tzinfo=SEOUL)))
    claim = {"keys": ["reminder|x|0"], "batch": "b", "platform": "slack", "channel": "C1", "due_at": "2021-10-28T09:00:00+09:00"}
    assert store.claim_send({**claim, "claimed_at": "2021-10-28T09:00:00+09:00", "wall": time.time() - claimed_ago, "late": False})
    started: list[float] = []

    async def start() -> None:
        started.append(time.monotonic())

    async def stop() -> None:
        pass

    duties = ReplicaDuties(store, start, stop, handover=1.5)
    t0 = time.monotonic()
    await duties.start()
    try:
        await until_true(lambda: started, "the scheduler starts")
    finally:
        await duties.stop()
        store.close()
    waited = started[0] - t0
    assert (waited >= 1.2) if claimed_ago == 0 else (waited < 1.2)
