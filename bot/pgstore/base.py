"""What every part of the PostgreSQL store shares: the connection pool, the URL (and
its printable form), write transactions that notify, and the freshness version.

The store is called from the bot's worker thread (commands run off the event loop),
the scheduler's jobs and the CLI — all synchronous code — so it uses psycopg's
synchronous API and a ``psycopg_pool.ConnectionPool``; an async driver would only
add a loop hop to every lookup."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from bot import messages as MS
from bot.clock import Clock, SystemClock
from bot.pgstore.schema import NOTIFY_SQL, migrate
from bot.pgstore.url import StoreUnreachableError, redact_url
from bot.store.files import BackupInfo

log = logging.getLogger(__name__)

class PgBase:
    """Pool, URL, listeners and the write transaction (``_write``)."""

    def __init__(self, url: str, clock: Clock | None = None, pool_size: int = 4, connect_timeout: float = 10.0) -> None:
        self.url = url  # secret-bearing: never logged; ``path`` is the printable form
        self.path = redact_url(url)
        self.clock = clock or SystemClock()
        self.notices: list[str] = []
        self.skipped: dict[tuple[str, str], str] = {}
        self.recovered_from = None  # TinyDB's file recovery has no PostgreSQL counterpart
        self.restored_from = None
        self.backups_kept = 0
        self._listeners: list[Callable[[str], None]] = []
        try:  # one plain connection first: a clear reason when no server answers, and the schema
            with psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(connect_timeout))) as conn:
                applied = migrate(conn)
        except psycopg.OperationalError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].replace(url, self.path)
            raise StoreUnreachableError(MS.STORE_DB_UNREACHABLE.format(url=self.path, reason=reason)) from None
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True},
            timeout=connect_timeout,
            name="reportbot-store",
            open=False,
        )
        try:
            self.pool.open(wait=True, timeout=connect_timeout)
        except PoolTimeout:
            self.pool.close()
            raise StoreUnreachableError(MS.STORE_DB_UNREACHABLE.format(url=self.path, reason="pool timeout")) from None
        if applied:
            log.info("store %s: schema migrated to version %s", self.path, applied[-1])

    # -- connections ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        with self.pool.connection() as conn:
            yield conn

    @contextlib.contextmanager
    def _write(self, what: str, bump: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One committed change: a transaction that (``bump``) moves the version every
        reader checks — its row lock also makes catalogue writers take turns, as the
        TinyDB file lock does — and notifies other replicas at commit. In-process
        listeners run after the commit."""
        with self._conn() as conn, conn.transaction():
            if bump:
                conn.execute("UPDATE store_state SET version = version + 1 WHERE id = 1")
            yield conn
            conn.execute(NOTIFY_SQL, (what,))
        self._changed(what, catalogue=bump)

    def _changed(self, what: str, catalogue: bool = True) -> None:
        """Our own write committed: drop the indexes it makes stale (a catalogue change:
        delivery tables are read from the database each time), tell the listeners."""
        if catalogue:
            self._drop_caches(what)
        self._notify(what)

    def _drop_caches(self, what: str) -> None:  # overridden by the catalogue
        pass

    def notice_change(self, what: str) -> None:
        """Another replica changed ``what`` (a NOTIFY arrived; "*": anything may have):
        the next read checks the version again (caches drop if it moved), and this
        process's listeners run (the scheduler reschedules). Safe from any thread."""
        self._recheck()
        self._notify(what)

    def _recheck(self) -> None:  # overridden by the catalogue
        pass

    def on_change(self, listener: Callable[[str], None]) -> None:
        """``listener(table)`` runs after every committed write (reminders reschedule)."""
        self._listeners.append(listener)

    def _notify(self, what: str) -> None:
        for fn in list(self._listeners):
            try:
                fn(what)
            except Exception:  # a listener must never undo a committed write
                log.exception("store listener failed")

    def close(self) -> None:
        self.pool.close()

    # -- what TinyDB's file store has and a database does not ---------------------------
    def backups(self) -> list[BackupInfo]:
        """Backups of a PostgreSQL store are the database's (pg_dump): none listed here."""
        return []

    def restore_backup(self, n: int = 1) -> tuple[BackupInfo, dict[str, int]]:
        raise IndexError(n)

    def _valid(self, table: str, doc: Any, model: Any, key: str = "?") -> Any | None:
        """``doc`` as ``model``, or None: a bad record is skipped with one warning."""
        try:
            return model.model_validate(doc)
        except Exception as exc:  # pydantic's ValidationError
            if (table, key) not in self.skipped:
                self.skipped[(table, key)] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning("store: skipped a bad record in %s (%s): %s", table, key, self.skipped[(table, key)])
            return None

    def skipped_notice(self) -> str | None:
        """One Korean line counting the bad records skipped so far (None when none)."""
        if not self.skipped:
            return None
        tables = sorted({t for t, _ in self.skipped})
        return MS.STORE_SKIPPED_RECORDS.format(count=len(self.skipped), tables=", ".join(tables))
