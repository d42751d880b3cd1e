"""The running bot's shared parts: settings, clock, store, and the senders through
which reminders and digests leave (one per connected platform).

Every adapter gets one ``Runtime``; it builds a handler ``Context`` per request."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot import messages as M
from bot.clock import Clock, clock_for
from bot.config import Settings
from bot.ingest import NotAReportError, parse_file
from bot.store import Store
from handlers.context import Context
from handlers.reply import Reply

log = logging.getLogger(__name__)


class Sender(Protocol):
    """Delivers a reply to a channel of one platform (reminders and digests use it)."""

    platform: str

    async def send(self, channel: str, reply: Reply) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    store: Store
    clock: Clock
    senders: dict[str, Sender] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # startup messages for the operator

    def context(self, platform: str, user_id: str | None = None, channel_id: str | None = None, is_admin: bool = False) -> Context:
        return Context(
            store=self.store,
            clock=self.clock,
            settings=self.settings,
            platform=platform,
            user_id=user_id,
            channel_id=channel_id,
            is_admin=is_admin,
        )

    def add_sender(self, sender: Sender) -> None:
        self.senders[sender.platform] = sender


def build_store_from_corpus(store: Store, reports_dir: Path) -> list[str]:
    """Ingest every report in ``reports_dir``; bad files are reported, not fatal."""
    notes: list[str] = []
    files = sorted(p for p in reports_dir.glob("*.txt") if p.is_file())
    if not files:
        notes.append(M.STORE_NO_REPORTS.format(path=reports_dir))
        return notes
    count = 0
    for path in files:
        try:
            store.ingest(parse_file(path))
            count += 1
        except NotAReportError as exc:
            notes.append(M.INGEST_ERROR.format(file=path.name, reason=exc.reason))
    notes.append(M.STORE_BUILT.format(count=count, path=store.path))
    return notes


def open_runtime(settings: Settings, db: Path | None = None, clock: Clock | None = None, build_if_missing: bool = True) -> Runtime:
    """Open the store (building it from the bundled corpus when missing or corrupt)."""
    clock = clock or clock_for(settings.clock.as_of)
    path = db or settings.store.path
    store = Store(path, clock=clock)
    notices: list[str] = []
    if store.recovered_from is not None:
        notices.append(M.STORE_CORRUPT.format(aside=store.recovered_from.name))
    if build_if_missing and store.is_empty():
        notices.extend(build_store_from_corpus(store, settings.store.reports_dir))
    return Runtime(settings=settings, store=store, clock=clock, notices=notices)
