"""Another replica's writes, heard here: LISTEN for the store's change notices.

Every PostgreSQL store write sends ``NOTIFY reportbot_changes`` inside its transaction (so
it is delivered at commit, and only then). Reads already notice another replica's
catalogue change by the store's version row; what needs the notice is what runs without
being asked — the reminder scheduler, which reschedules when milestones or subscriptions
change (a ``/subscribe`` answered by one replica must reach the scheduler running on
another) — and caches of tables the version does not cover.

``ChangeListener`` holds one connection of its own in a daemon thread (psycopg's
``notifies()`` blocks) and hands each notice to ``store.notice_change(what)``, which drops
the caches and runs the process's ``on_change`` listeners (the reminder service moves the
work onto its event loop itself). Notices of another store in the same database (another
schema) are ignored. A broken connection is reopened; since notices sent meanwhile are
lost, the first notice after a reconnect is ``"*"``: anything may have changed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from bot.pgstore.schema import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

CHANNEL = NOTIFY_CHANNEL  # what the store's writes notify (bot.pgstore.schema)
EVERYTHING = "*"  # what changed is unknown (notices were missed): drop every cache
RETRY_EVERY = 2.0  # seconds before reconnecting after the connection broke
POLL = 0.5  # seconds; how soon ``stop`` is noticed
CHECK_EVERY = 30.0  # seconds between checks that a quiet connection is still there
CONNECT_TIMEOUT = 5
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3, "keepalives_count": 3}


def parse_notice(payload: str, schema: str) -> str | None:
    """What changed, or None for a notice of another store. The payload is
    ``'<schema>|<what>'``; one without a schema is taken as ours."""
    owner, sep, what = payload.partition("|")
    if not sep:
        return payload or EVERYTHING
    if owner != schema:
        return None
    return what or EVERYTHING


class ChangeListener:
    """Calls ``on_notice(what)`` for each change committed to this store by another
    replica (and by this one: the store takes its own news as already known)."""

    def __init__(self, conninfo: str, on_notice: Callable[[str], None], *, retry_every: float = RETRY_EVERY) -> None:
        self.conninfo = conninfo
        self.on_notice = on_notice
        self.retry_every = retry_every
        self.schema: str | None = None
        self.backend_pid: int | None = None  # the server process listening for us
        self.connected = threading.Event()  # set while listening
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ChangeListener:
        self._thread = threading.Thread(target=self._run, name="reportbot-change-listener", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                conninfo = make_conninfo(self.conninfo, connect_timeout=CONNECT_TIMEOUT, application_name="reportbot-listener", **KEEPALIVES)
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    row = conn.execute("SELECT coalesce(current_schema(), '')").fetchone()
                    self.schema = str(row[0]) if row else ""
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = conn.info.backend_pid
                    self.connected.set()
                    if not first:  # notices sent while we were away are lost
                        self._hand_on(EVERYTHING)
                    first = False
                    self._listen(conn)
            except (psycopg.Error, OSError) as exc:
                if not self._stop.is_set():
                    log.warning("change notices: connection lost (%s); listening again in %.0f s", type(exc).__name__, self.retry_every)
            self.connected.clear()
            self._stop.wait(self.retry_every)

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        checked = time.monotonic()
        while not self._stop.is_set():
            for notice in conn.notifies(timeout=POLL):
                what = parse_notice(notice.payload, self.schema or "")
                if what is not None:
                    self._hand_on(what)
            if time.monotonic() - checked > CHECK_EVERY:
                conn.execute("SELECT 1")  # a server gone quiet raises here rather than never
                checked = time.monotonic()

    def _hand_on(self, what: str) -> None:
        try:
            self.on_notice(what)
        except Exception:  # one failing listener must not stop the notices
            log.exception("handling a change notice (%s) failed", what)


def listen_for_changes(store: object) -> ChangeListener | None:
    """Start listening for a PostgreSQL store's notices from other replicas; None for a
    TinyDB file (one process per file; it notices another's write by the file's stat)."""
    url = getattr(store, "url", None)
    notice = getattr(store, "notice_change", None)
    if not isinstance(url, str) or not url.startswith(("postgresql://", "postgres://")) or notice is None:
        return None
    return ChangeListener(url, notice).start()
