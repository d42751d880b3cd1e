"""The running bot's shared parts: settings, clock, store, and the senders through
which reminders and digests leave (one per connected platform).

Every adapter gets one ``Runtime``; it owns the command registry and builds a handler
``Context`` per request."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot import messages as M
from bot import messages as MS
from bot.clock import Clock, clock_for
from bot.config import Settings
from bot.replies import Sender
from bot.store import Store
from handlers.commands import build_registry
from handlers.context import Context
from handlers.registry import Registry

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    store: Store
    clock: Clock
    senders: dict[str, Sender] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # startup messages for the operator
    registry: Registry[Context] = field(default_factory=build_registry)  # the commands this bot answers

    def context(self, platform: str, user_id: str | None = None, channel_id: str | None = None, is_admin: bool = False) -> Context:
        return Context(
            store=self.store,
            clock=self.clock,
            settings=self.settings,
            platform=platform,
            user_id=user_id,
            channel_id=channel_id,
            is_admin=is_admin,
            commands=self.registry,
        )

    def add_sender(self, sender: Sender) -> None:
        self.senders[sender.platform] = sender


def build_store_from_corpus(store: Store, reports_dir: Path, max_bytes: int | None = None) -> list[str]:
    """Ingest every report in ``reports_dir``; a bad file — or one the parser fails on —
    is reported by name, never fatal to the bot's start."""
    from bot.ingest import NotAReportError, parse_file  # the parser loads only to build
    from bot.ingest.text import MAX_REPORT_BYTES

    notes: list[str] = []
    files = sorted(p for p in reports_dir.glob("*.txt") if p.is_file())
    if not files:
        notes.append(M.STORE_NO_REPORTS.format(path=reports_dir))
        return notes
    count = 0
    for path in files:
        try:
            store.ingest(parse_file(path, max_bytes=max_bytes or MAX_REPORT_BYTES))
            count += 1
        except NotAReportError as exc:
            notes.append(M.INGEST_ERROR.format(file=path.name, reason=exc.reason))
        except Exception as exc:
            log.exception("bundled report %s could not be read", path.name)
            notes.append(M.INGEST_ERROR.format(file=path.name, reason=M.INGEST_PARSER_FAILED.format(error=type(exc).__name__)))
    notes.append(M.STORE_BUILT.format(count=count, path=store.path))
    return notes


def open_runtime(settings: Settings, db: Path | str | None = None, clock: Clock | None = None, build_if_missing: bool = True) -> Runtime:
    """Open the store. A corrupt or empty file is restored from the newest good backup
    (said loudly, in ``notices``); the bundled corpus is ingested only into a store
    that has no reports — new, or corrupt without any good backup — never over one.
    Raises ``StoreLocationError`` (a Korean message) when the path cannot be a store."""
    from bot.pgstore import open_store, store_location
    from bot.pgstore.choose import exists

    clock = clock or clock_for(settings.clock.as_of)
    location = store_location(settings, db)  # a TinyDB file, or postgresql://… (PgStore)
    was_missing = not exists(location)
    store = open_store(location, clock=clock, backups=settings.store.backups)
    notices: list[str] = list(store.notices)
    if build_if_missing and store.is_empty():
        if was_missing and store.restored_from is None:
            notices.append(MS.STORE_MISSING_BUILDING.format(path=store.path, reports=settings.store.reports_dir))
        notices.extend(build_store_from_corpus(store, settings.store.reports_dir, settings.store.max_report_bytes))
    store.check(records=False)  # the catalogue; report files are read when a lookup needs them
    skipped = store.skipped_notice()
    if skipped:
        notices.append(skipped)
    return Runtime(settings=settings, store=store, clock=clock, notices=notices)
