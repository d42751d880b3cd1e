"""Which replica runs the reminder scheduler: the one holding a PostgreSQL advisory lock.

Several bot processes may share one PostgreSQL store (Slack HTTP mode behind a load
balancer, or an old and a new process during a restart). Each answers requests; only one
may run the scheduler, or every due reminder would be attempted by all of them (the
sent-log's unique claim would still stop a second send, but each replica would also log
misses, retry and catch up on its own). So the scheduler goes with a *session-level*
advisory lock, held on a connection of its own:

- ``pg_try_advisory_lock`` never waits: a replica that does not get it tries again every
  ``retry_every`` seconds (5 by default), so another one takes over well within a minute.
- The lock lives as long as the holder's session. A holder that dies (SIGKILL, power,
  a lost network) loses its connection and with it the lock — no lease to expire, no
  clock to trust. TCP keepalives on both ends bound how long a silent network partition
  can keep a dead holder's session open (about 20 s).
- The holder checks its connection every ``check_every`` seconds; when the check fails it
  stops its scheduler at once (``on_lose``) and competes again like everyone else.

The lock key is derived from the store's database and schema (the session's
``current_schema()``), so two stores sharing one database (tests, a staging copy) each
have their own scheduler. ``application_name`` carries the
process id: ``pg_stat_activity`` joined with ``pg_locks`` shows which process holds it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

log = logging.getLogger(__name__)

RETRY_EVERY = 5.0  # seconds between attempts by a replica without the lock
CHECK_EVERY = 5.0  # seconds between the holder's checks that its session is alive
CONNECT_TIMEOUT = 5  # seconds; a server that does not answer is tried again later
APPLICATION_NAME = "reportbot-scheduler"
# Client- and server-side keepalives: a partitioned holder's session ends in ~20 s.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3, "keepalives_count": 3}
SERVER_KEEPALIVES = (
    "SELECT set_config('tcp_keepalives_idle', '10', false),"
    " set_config('tcp_keepalives_interval', '3', false),"
    " set_config('tcp_keepalives_count', '3', false)"
)

Hook = Callable[[], Awaitable[Any]]


def lock_key(scope: str) -> int:
    """The advisory lock's 64-bit key for one store (``scope``: database and schema)."""
    digest = hashlib.blake2b(f"reportbot:scheduler:{scope}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class SchedulerLeadership:
    """Runs ``on_gain`` when this process takes the scheduler lock and ``on_lose`` when
    it no longer holds it (its session broke, or ``stop``)."""

    def __init__(
        self,
        conninfo: str,
        scope: str | None = None,
        *,
        retry_every: float = RETRY_EVERY,
        check_every: float = CHECK_EVERY,
    ) -> None:
        self.conninfo = conninfo
        self.scope = scope  # None: the connection's database and schema, known once connected
        self.key = lock_key(scope) if scope is not None else None
        self.retry_every = retry_every
        self.check_every = check_every
        self.held = False
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._stopping = asyncio.Event()
        self._on_lose: Hook | None = None
        self._task: asyncio.Task[Any] | None = None

    async def run(self, on_gain: Hook, on_lose: Hook) -> None:
        """Compete for the lock until ``stop``: hold it as long as the session lives."""
        self._on_lose = on_lose
        self._task = asyncio.current_task()
        while not self._stopping.is_set():
            try:
                conn = await self._connect()
                try:
                    await self._compete(conn, on_gain)
                finally:
                    await self._release(conn)
            except (psycopg.Error, OSError) as exc:
                log.warning("scheduler lock: the database connection failed (%s); trying again in %.0f s", type(exc).__name__, self.retry_every)
            except Exception:  # never leave the competition for good: this replica may be the last one
                log.exception("scheduler lock: unexpected failure; trying again in %.0f s", self.retry_every)
            await self._lose()
            await self._pause(self.retry_every)

    async def stop(self) -> None:
        """Leave: stop the scheduler here (if it ran here) and free the lock for another."""
        self._stopping.set()
        await self._lose()
        task = self._task
        if task is not None and task is not asyncio.current_task() and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), CONNECT_TIMEOUT + 1)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        conn, self._conn = self._conn, None
        if conn is not None:  # run() never got to close it
            await self._release(conn)

    # -- inside ------------------------------------------------------------------------
    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conninfo = make_conninfo(
            self.conninfo, connect_timeout=CONNECT_TIMEOUT, application_name=f"{APPLICATION_NAME}-{os.getpid()}", **KEEPALIVES
        )
        conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
        await conn.execute(SERVER_KEEPALIVES)
        if self.key is None:
            cur = await conn.execute("SELECT current_database() || '.' || coalesce(current_schema(), '')")
            row = await cur.fetchone()
            self.scope = str(row[0]) if row else ""
            self.key = lock_key(self.scope)
        self._conn = conn
        return conn

    async def _compete(self, conn: psycopg.AsyncConnection[Any], on_gain: Hook) -> None:
        """Try until the lock is ours, then check the session until it breaks (raises) or
        ``stop`` is asked."""
        while not self._stopping.is_set():
            cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            row = await cur.fetchone()
            if row and row[0]:
                break
            await self._pause(self.retry_every)
        else:
            return
        self.held = True
        log.info("scheduler lock taken: reminders and digests are sent from this replica (pid %d)", os.getpid())
        try:
            await on_gain()
        except Exception:  # the scheduler's own start logs what failed; keep the lock and its jobs
            log.exception("starting the scheduler after taking the lock failed")
        while not self._stopping.is_set():
            await self._pause(self.check_every)
            if self._stopping.is_set():
                return
            await conn.execute("SELECT 1")  # a broken session raises: the lock is gone with it

    async def _lose(self) -> None:
        if not self.held:
            return
        self.held = False
        log.warning("scheduler lock released: this replica stops sending reminders")
        if self._on_lose is not None:
            try:
                await self._on_lose()
            except Exception:
                log.exception("stopping the scheduler after losing the lock failed")

    async def _release(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Close the session: that frees the lock (an explicit unlock first, when it still answers)."""
        if self._conn is conn:
            self._conn = None
        with contextlib.suppress(psycopg.Error, OSError):
            if not conn.closed:
                await conn.execute("SELECT pg_advisory_unlock_all()")
        with contextlib.suppress(psycopg.Error, OSError):
            await conn.close()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


def leadership_for(store: object) -> SchedulerLeadership | None:
    """The scheduler lock for a PostgreSQL store; None for a TinyDB file, where every
    process runs its scheduler as before (sends are claimed under the file lock)."""
    url = getattr(store, "url", None)
    if not isinstance(url, str) or not url.startswith(("postgresql://", "postgres://")):
        return None
    return SchedulerLeadership(url)
