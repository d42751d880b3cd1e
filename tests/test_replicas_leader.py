"""One replica runs the reminder scheduler: the holder of a PostgreSQL advisory lock.
Replicas here are ``SchedulerLeadership`` objects in one process, each on its own
connection to the tests' PostgreSQL (tests/pg.py); the two-process story is
tests/test_replicas_processes.py."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.clock import FixedClock
from bot.pgstore.leader import SchedulerLeadership, leadership_for, lock_key
from tests.pg import schema_url

FAST: dict[str, Any] = {"retry_every": 0.2, "check_every": 0.2}


class Replica:
    """A leadership that records when its scheduler starts and stops."""

    def __init__(self, server: str, scope: str) -> None:
        self.lead = SchedulerLeadership(server, scope, **FAST)
        self.events: list[str] = []
        self.task: asyncio.Task[None] | None = None

    async def _gain(self) -> None:
        self.events.append("start")

    async def _lose(self) -> None:
        self.events.append("stop")

    def begin(self) -> Replica:
        self.task = asyncio.create_task(self.lead.run(self._gain, self._lose))
        return self

    async def end(self) -> None:
        await self.lead.stop()
        if self.task is not None:
            await asyncio.wait_for(self.task, 10)


async def until(check: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def holder_backend(server: str, key: int | None) -> int | None:
    """The server process id of the session holding the lock, as an operator finds it."""
    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = (%s::bigint & x'ffffffffffffffff'::bigint)",
            [key],
        ).fetchone()
    return row[0] if row else None


@pytest.fixture
def scope() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


async def test_of_two_replicas_exactly_one_runs_the_scheduler(pg_server: str, scope: str) -> None:
    a, b = Replica(pg_server, scope).begin(), Replica(pg_server, scope).begin()
    try:
        await until(lambda: a.lead.held or b.lead.held)
        await asyncio.sleep(0.6)  # several retries by the other: it still does not get it
        assert [a.lead.held, b.lead.held].count(True) == 1
        assert a.events + b.events == ["start"]
    finally:
        await a.end()
        await b.end()


async def test_when_the_holders_session_dies_the_other_replica_takes_over(pg_server: str, scope: str) -> None:
    a = Replica(pg_server, scope).begin()
    await until(lambda: a.lead.held)
    b = Replica(pg_server, scope).begin()
    try:
        pid = holder_backend(pg_server, a.lead.key)
        assert pid is not None
        with psycopg.connect(pg_server, autocommit=True) as admin:  # as if the holder's machine vanished
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        await until(lambda: b.lead.held)
        await until(lambda: a.events == ["start", "stop"])  # the old holder stopped its scheduler
        await asyncio.sleep(0.6)  # the old holder reconnects and competes, but does not win
        assert not a.lead.held and b.events == ["start"]
    finally:
        await a.end()
        await b.end()


async def test_a_replica_that_stops_hands_the_scheduler_over_without_waiting(pg_server: str, scope: str) -> None:
    a = Replica(pg_server, scope).begin()
    await until(lambda: a.lead.held)
    b = Replica(pg_server, scope).begin()
    await asyncio.sleep(0.3)
    assert not b.lead.held
    await a.end()
    assert a.events == ["start", "stop"]
    try:
        await until(lambda: b.lead.held, timeout=2)
    finally:
        await b.end()
    assert holder_backend(pg_server, b.lead.key) is None  # nothing left holding it


async def test_two_stores_in_one_database_each_have_their_own_scheduler(pg_server: str, scope: str) -> None:
    a, b = Replica(pg_server, scope).begin(), Replica(pg_server, scope + "_other").begin()
    try:
        await until(lambda: a.lead.held and b.lead.held)
    finally:
        await a.end()
        await b.end()
    assert lock_key(scope) != lock_key(scope + "_other")


async def test_a_replica_without_a_database_keeps_trying_and_runs_no_scheduler() -> None:
    lead = SchedulerLeadership("postgresql://postgres@127.0.0.1:1/none", "nowhere", **FAST)
    started: list[str] = []

    async def gain() -> None:
        started.append("start")

    async def lose() -> None:
        started.append("stop")

    task = asyncio.create_task(lead.run(gain, lose))
    await asyncio.sleep(0.5)
    assert not task.done() and not lead.held and started == []
    await lead.stop()
    await asyncio.wait_for(task, 5)


def test_a_tinydb_store_needs_no_lock(tmp_path: Path) -> None:
    from bot.store import Store

    store = Store(tmp_path / "db.json", clock=FixedClock(date(2021, 9, 6)))
    assert leadership_for(store) is None


async def test_the_lock_follows_the_schema_a_store_url_names(pg_server: str) -> None:
    names = [f"test_lead_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE SCHEMA {name}")
    leads = [SchedulerLeadership(schema_url(pg_server, n), **FAST) for n in [*names, names[0]]]
    gained: list[int] = []

    def gain(i: int) -> Callable[[], Awaitable[None]]:
        async def _gain() -> None:
            gained.append(i)

        return _gain

    async def lose() -> None:
        pass

    tasks = [asyncio.create_task(lead.run(gain(i), lose)) for i, lead in enumerate(leads)]
    try:
        await until(lambda: len(gained) >= 2)
        await asyncio.sleep(0.6)
        assert sorted(gained) in ([0, 1], [1, 2])  # one per schema; the third shares the first's
        assert leads[0].scope is not None and leads[0].scope.endswith("." + names[0])
    finally:
        for lead in leads:
            await lead.stop()
        await asyncio.gather(*tasks)
        with psycopg.connect(pg_server, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
