"""The store's own file: opening, catching up with other processes, one-writer commits,
corrupt-file recovery, backups and migration of the one-file layout.

The file holds the catalogue and everything people and the bot wrote (edits, delivery
state, the change log); each report's records live in their own file
(``bot.store.reportfiles``). Every other part of the store reads and writes through
``StoreFile``: ``catch_up()`` before a read, ``write(what)`` around a change."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from tinydb import TinyDB
from tinydb.table import Table

from bot import messages as MS
from bot.clock import SEOUL
from bot.store.jsonfile import (
    FILE_MODE,
    AtomicJSONStorage,
    StoreCorruptError,
    atomic_write_bytes,
    backup_time,
    clean_orphans,
    list_backups,
    read_tree,
    writer_lock,
)
from bot.store.reportfiles import RECORD_TABLES, clean_report_orphans, migrate_tree
from bot.store.summaries import SummaryFile

log = logging.getLogger("bot.store")

# Tables the bot writes itself: what a person did (edits) and what it sent.
USER_EDIT_TABLES = ("audit_status", "manual_milestones", "subscriptions")
KNOWN_TABLES = frozenset(
    {"reports", *RECORD_TABLES, *USER_EDIT_TABLES, "sent_log", "send_claims", "changes", "meta", "buttons"}
)
DEFAULT_BACKUPS = 5
# What the corpus's indexes are built from (the catalogue and people's edits), and the
# writes that touch none of it (their ``what``): those leave the indexes standing.
CORPUS_TABLES = ("reports", "audit_status", "manual_milestones")
DELIVERY_WRITES = frozenset({"subscriptions", "sent_log", "send_claims", "buttons", "meta", "changes"})


class StoreLocationError(Exception):
    """The store path cannot be a store (a folder, say); ``message`` is Korean."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class BackupInfo:
    """One timestamped backup, as ``reportbot store backups`` lists it (1 = newest)."""

    n: int
    path: Path
    at: datetime | None
    size: int
    reports: int = 0
    edits: int = 0
    ok: bool = True


def tree_counts(tree: dict[str, Any]) -> tuple[int, int]:
    """(reports, user edits) in a document tree."""
    return len(tree.get("reports", {})), sum(len(tree.get(t, {})) for t in USER_EDIT_TABLES)


def _doc_marks(table: str, docs: Iterable[dict[str, Any]]) -> set[str]:
    """What makes a record the same record across two versions of the store."""
    if table == "reports":
        return {str(d.get("id")) for d in docs}
    if table == "sent_log":
        return {str(d.get("key")) for d in docs}
    return {json.dumps(d, sort_keys=True, ensure_ascii=False) for d in docs}


def lacks(current: dict[str, Any], other: dict[str, Any]) -> dict[str, int]:
    """Per table, how many of ``current``'s records ``other`` does not have."""
    out: dict[str, int] = {}
    for table in ("reports", *USER_EDIT_TABLES, "sent_log"):
        mine = _doc_marks(table, current.get(table, {}).values())
        theirs = _doc_marks(table, other.get(table, {}).values())
        if missing := len(mine - theirs):
            out[table] = missing
    return out


class StoreFile:
    """The store file behind TinyDB: one writer at a time (a file lock), readers that
    notice another process's write by a ``stat``, and a ``generation`` that moves on
    with every committed change, so the parts' in-memory indexes know when to rebuild."""

    def __init__(self, path: Path, backups: int = DEFAULT_BACKUPS) -> None:
        self.path = Path(path)
        self.backups_kept = backups
        self.recovered_from: Path | None = None  # set when a corrupt file was moved aside
        self.restored_from: Path | None = None  # the backup a corrupt or missing store came back from
        self.notices: list[str] = []  # loud Korean notices for the operator (stderr, console)
        self.skipped: dict[tuple[str, str], str] = {}  # (table, doc id) -> why: bad records, skipped
        self.generation = 0  # moves on when the reports or people's edits change (see ``write``)
        self._listeners: list[Callable[[str], None]] = []
        self._open()

    # -- opening, recovery -------------------------------------------------------------
    def _new_db(self) -> TinyDB:
        return TinyDB(self.path, storage=AtomicJSONStorage, tables=KNOWN_TABLES, backups=self.backups_kept)

    def _open(self) -> None:
        if self.path.is_dir():
            raise StoreLocationError(MS.STORE_IS_DIRECTORY.format(path=self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with writer_lock(self.path):
                clean_orphans(self.path)
                clean_report_orphans(self.path)
                missing = not self.path.exists()
                if missing and list_backups(self.path):
                    self._restore_newest("missing")
        except (NotADirectoryError, PermissionError) as exc:
            raise StoreLocationError(MS.STORE_NOT_WRITABLE.format(path=self.path, reason=exc.strerror or exc)) from exc
        try:
            self._db = self._new_db()
            self.storage.read()
        except StoreCorruptError as exc:
            self._recover(exc.reason)
        self._migrate_if_one_file()

    def _migrate_if_one_file(self, locked: bool = False) -> None:
        """A store written by the one-file layout (every record in the one JSON file) is
        split on first open: each report's records into its own file, the catalogue
        keeps a summary. One atomic replace; the old file stays as ``.bak`` and backup."""
        tree = self.storage.read() or {}
        if not any(tree.get(t) for t in RECORD_TABLES):
            return
        with contextlib.nullcontext() if locked else writer_lock(self.path):
            if not locked and self.storage.changed_on_disk():
                self.storage.reload()
            tree = self.storage.read() or {}
            if not any(tree.get(t) for t in RECORD_TABLES):
                return
            with self.storage.batch():
                SummaryFile(self.path).append(migrate_tree(self.path, tree))
                self.storage.write(tree)
        self.generation += 1
        log.warning("store %s: migrated to one file per report (%d reports)", self.path, len(tree.get("reports", {})))

    @property
    def storage(self) -> AtomicJSONStorage:
        return self._db.storage  # type: ignore[return-value]

    def table(self, name: str) -> Table:
        return self._db.table(name)

    def raw(self, name: str) -> dict[str, Any]:
        """A table as stored (doc id → document), to read, never to change: no TinyDB
        ``Document`` made per entry (5,000 of them cost a fifth of opening a large store)."""
        table = (self.storage.read() or {}).get(name)
        return table if isinstance(table, dict) else {}

    def _move_aside(self) -> Path:
        stamp = datetime.now(SEOUL).strftime("%Y%m%d-%H%M%S-%f")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, aside)
        with contextlib.suppress(OSError):
            os.chmod(aside, FILE_MODE)
        return aside

    def _recover(self, reason: str) -> None:
        """An empty, blank, shape-less or unreadable file is corrupt, never new: move it
        aside (nothing is deleted) and restore the newest good backup; only without
        one does the store start empty (and the caller rebuild it from the corpus)."""
        with writer_lock(self.path):
            try:
                read_tree(self.path, KNOWN_TABLES)
            except StoreCorruptError:
                self.recovered_from = self._move_aside()
            except FileNotFoundError:
                pass
            if self.recovered_from is not None:
                self._restore_newest(reason)
        self._db = self._new_db()
        try:
            self.storage.read()
        except StoreCorruptError:  # pragma: no cover - the backup was checked above
            os.replace(self.path, self._move_aside())
            self._db = self._new_db()

    def _backup_candidates(self) -> list[Path]:
        bak = self.path.with_name(self.path.name + ".bak")
        return [*list_backups(self.path), *([bak] if bak.exists() else [])]

    def _restore_newest(self, reason: str) -> None:
        """Copy the newest backup that reads as a store over the store path (0600);
        say so loudly. Called with the writer lock held."""
        bad = 0
        for cand in self._backup_candidates():
            try:
                tree = read_tree(cand, KNOWN_TABLES)
            except (StoreCorruptError, OSError):
                bad += 1
                continue
            atomic_write_bytes(self.path, cand.read_bytes(), keep_backup=False)
            self.restored_from = cand
            at = backup_time(cand) or datetime.fromtimestamp(cand.stat().st_mtime, SEOUL)
            reports, edits = tree_counts(tree)
            template = MS.STORE_RESTORED_MISSING if reason == "missing" else MS.STORE_RESTORED
            notice = template.format(
                path=self.path,
                reason=MS.CORRUPT_REASONS.get(reason, reason),
                aside=self.recovered_from.name if self.recovered_from else "-",
                at=f"{at:%Y-%m-%d %H:%M:%S}",
                reports=reports,
                edits=edits,
            )
            if bad:
                notice += MS.STORE_BAD_BACKUPS.format(count=bad)
            self.notices.append(notice)
            log.error("store %s was %s; restored from backup %s", self.path, reason, cand.name)
            return
        if reason != "missing":
            self.notices.append(
                MS.STORE_CORRUPT_NO_BACKUP.format(
                    path=self.path,
                    reason=MS.CORRUPT_REASONS.get(reason, reason),
                    aside=self.recovered_from.name if self.recovered_from else "-",
                )
            )
            log.error("store %s was %s and no backup is readable; starting empty", self.path, reason)

    # -- backups -----------------------------------------------------------------------
    def backups(self) -> list[BackupInfo]:
        """The timestamped backups, newest first (n = 1, 2, …)."""
        out = []
        for n, path in enumerate(list_backups(self.path), start=1):
            info = BackupInfo(n=n, path=path, at=backup_time(path), size=path.stat().st_size)
            try:
                info.reports, info.edits = tree_counts(read_tree(path, KNOWN_TABLES))
            except (StoreCorruptError, OSError):
                info.ok = False
            out.append(info)
        return out

    def restore_backup(self, n: int = 1) -> tuple[BackupInfo, dict[str, int]]:
        """Replace the store with backup ``n``. The store as it was becomes the newest
        backup (nothing dropped silently); returns the backup and, per table, how many
        of the current records it lacks. Raises ``IndexError`` / ``StoreCorruptError``."""
        infos = self.backups()
        if not 1 <= n <= len(infos):
            raise IndexError(n)
        info = infos[n - 1]
        tree = read_tree(info.path, KNOWN_TABLES)
        body = info.path.read_bytes()
        with writer_lock(self.path):
            if self.storage.changed_on_disk():
                self._reopen()
            current = json.loads(json.dumps(self.storage.read() or {}))
            missing = lacks(current, tree)
            atomic_write_bytes(self.path, body, backups=self.backups_kept)
            self._reopen()
        log.warning("store restored from backup %s; it lacks %s", info.path.name, missing or "nothing")
        self.notify("reports")
        return info, missing

    def close(self) -> None:
        self._db.close()

    # -- changes -----------------------------------------------------------------------
    def on_change(self, listener: Callable[[str], None]) -> None:
        """``listener(table)`` runs after every committed write (reminders reschedule)."""
        self._listeners.append(listener)

    def notify(self, what: str) -> None:
        for fn in list(self._listeners):
            try:
                fn(what)
            except Exception:  # a listener must never undo a committed write
                log.exception("store listener failed")

    @contextlib.contextmanager
    def write(self, what: str) -> Iterator[None]:
        """One committed, atomic change: lock, catch up with other writers, batch. A
        write of delivery state (``DELIVERY_WRITES``) leaves ``generation`` alone, so a
        reminder sent does not make the corpus's indexes be built again."""
        with writer_lock(self.path):
            if self.storage.changed_on_disk():
                self._reopen()
            with self.storage.batch():
                yield
        if what not in DELIVERY_WRITES:
            self.generation += 1
        self.notify(what)

    def _reopen(self) -> bool:
        """Read the file again (another process wrote it). A file that turned corrupt
        under us is moved aside and the last good tree in memory written back; False then."""
        old = self._db
        db = self._new_db()
        try:
            db.storage.read()
        except StoreCorruptError as exc:
            tree = old.storage.read() or {}
            with contextlib.suppress(FileNotFoundError):
                aside = self._move_aside()
                self.notices.append(
                    MS.STORE_CORRUPT_WHILE_RUNNING.format(reason=MS.CORRUPT_REASONS.get(exc.reason, exc.reason), aside=aside.name)
                )
                log.error("store %s turned %s while running; moved aside as %s", self.path, exc.reason, aside.name)
            if tree:
                old.storage.write(tree)
            return False
        if any((old.storage.read() or {}).get(t) != (db.storage.read() or {}).get(t) for t in CORPUS_TABLES):
            self.generation += 1
        old.close()
        self._db = db
        self._migrate_if_one_file(locked=True)  # a restored backup of the one-file layout (callers hold the lock)
        return True

    def catch_up(self) -> None:
        """Before a read: re-read the file if another process replaced it (a ``stat``)."""
        if self.storage.changed_on_disk():
            with writer_lock(self.path):
                if self.storage.changed_on_disk():
                    self._reopen()

    # -- bad records -------------------------------------------------------------------
    def valid(
        self, table: str, doc: Any, model: type[BaseModel], drop: tuple[str, ...] = ("_report",), doc_id: str | None = None
    ) -> Any | None:
        """``doc`` as ``model``, or None: a bad record is skipped with one warning, never
        fatal to every lookup."""
        try:
            if drop and any(k in doc for k in drop):
                doc = {k: v for k, v in doc.items() if k not in drop}
            return model.model_validate(doc)
        except Exception as exc:  # pydantic's ValidationError, or a doc that is not a dict
            self.skip(table, doc_id or str(getattr(doc, "doc_id", "?")), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return None

    def skip(self, table: str, doc_id: str, why: str) -> None:
        """Count a bad record once (with one warning)."""
        key = (table, doc_id)
        if key not in self.skipped:
            self.skipped[key] = why
            log.warning("store: skipped a bad record in %s (doc %s): %s", table, doc_id, why)

    def skipped_notice(self) -> str | None:
        """One Korean line counting the bad records skipped so far (None when none)."""
        if not self.skipped:
            return None
        tables = sorted({t for t, _ in self.skipped})
        return MS.STORE_SKIPPED_RECORDS.format(count=len(self.skipped), tables=", ".join(tables))

    @property
    def writes(self) -> int:
        return self.storage.writes
