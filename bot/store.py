"""The store: TinyDB in one JSON file behind one repository class.

Parsed records are written once per ingest and read from in-memory indexes, so a
lookup never re-reads the file (it only ``stat``s it, to notice another process's
ingest). Records the bot writes itself — hand-added milestones, audit status
changes, subscriptions, the sent-log, the change log — live in their own tables
and survive re-ingesting a report."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from bot import messages as MS
from bot.clock import SEOUL, Clock, SystemClock
from bot.index import (
    RECORD_TABLES,
    MilestoneIndex,
    NameIndex,
    name_key,
    report_file,
    reports_dir,
    squash,
    summarize,
    write_report_file,
)
from bot.models import (
    AuditItem,
    AuditStatus,
    AuditSummary,
    BudgetLine,
    ChangeEvent,
    Department,
    Milestone,
    ParsedReport,
    Program,
    Report,
    SentRecord,
    Subscription,
)
from bot.storage import (
    FILE_MODE,
    AtomicJSONStorage,
    StoreCorruptError,
    atomic_write_bytes,
    backup_dir,
    backup_time,
    clean_orphans,
    list_backups,
    read_tree,
    writer_lock,
)

log = logging.getLogger(__name__)

# Tables filled by ingest, one document per record, each tagged with its report id.
PARSED_TABLES: dict[str, type] = {
    "departments": Department,
    "budget_lines": BudgetLine,
    "programs": Program,
    "audit_items": AuditItem,
    "audit_summaries": AuditSummary,
    "milestones": Milestone,
}


# Tables the bot writes itself: what a person did (edits) and what it sent.
USER_EDIT_TABLES = ("audit_status", "manual_milestones", "subscriptions")
KNOWN_TABLES = frozenset(
    {"reports", *PARSED_TABLES, *USER_EDIT_TABLES, "sent_log", "send_claims", "changes", "meta", "buttons"}
)
DEFAULT_BACKUPS = 5


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


@dataclass
class IngestOutcome:
    report: Report
    status: str  # added | replaced | unchanged
    replaced_report_id: str | None = None


# What a new version of a stored report may lose before it is refused without --force.
SHRINK_SECTIONS = {"budget_lines": "예산", "programs": "주요업무", "audit_items": "감사", "milestones": "일정"}


class IngestShrinkError(ValueError):
    """A new version of a stored report yields far fewer records (a truncated copy):
    ``lost`` says, per section, how many records there were and would be."""

    def __init__(self, report: Report, lost: dict[str, tuple[int, int]]) -> None:
        super().__init__(", ".join(f"{k} {a}→{b}" for k, (a, b) in lost.items()))
        self.report = report
        self.lost = lost


def shrinkage(old: dict[str, int], new: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Sections a re-ingest would gut: under half of what was there (of at least 4), or
    everything gone (of at least 1)."""
    out: dict[str, tuple[int, int]] = {}
    for table, label in SHRINK_SECTIONS.items():
        a, b = old.get(table, 0), new.get(table, 0)
        if (a >= 1 and b == 0) or (a >= 4 and b < a / 2):
            out[label] = (a, b)
    return out


@dataclass
class _Records:
    """One report's parsed records, as models (read from its file once, on demand)."""

    departments: list[Department] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    audit_items: list[AuditItem] = field(default_factory=list)
    audit_summaries: AuditSummary | None = None
    milestones: list[Milestone] = field(default_factory=list)
    slots: list[Milestone | None] = field(default_factory=list)  # by position in the file (bad ones None)
    derived: dict[Any, Any] = field(default_factory=dict)  # Store.report_cached: per-report indexes


@dataclass
class _Index:
    """What the catalogue says, grouped the ways lookups ask for it. Built from the
    catalogue alone (no report file is read); records come from ``Store._records``."""

    reports: dict[str, Report] = field(default_factory=dict)  # catalogue order
    newest: list[Report] = field(default_factory=list)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: NameIndex | None = None
    milestone_index: MilestoneIndex | None = None
    manual: list[Milestone] = field(default_factory=list)
    overrides: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    stable: dict[str, dict[str, Any]] = field(default_factory=dict)
    audit_items: dict[str, list[AuditItem]] = field(default_factory=dict)  # with people's status changes
    derived: dict[Any, Any] = field(default_factory=dict)  # Store.cached: handlers' indexes of this state


def migrate_tree(store_path: Path, tree: dict[str, Any]) -> None:
    """Split a one-file tree in place: each report's records into its own file (written
    now), a summary on its catalogue entry, the record tables dropped. Records of no
    stored report (ignored before, too) are dropped."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in RECORD_TABLES:
        for doc in (tree.pop(table, None) or {}).values():
            if isinstance(doc, dict) and isinstance(doc.get("_report"), str):
                grouped[doc["_report"]][table].append({k: v for k, v in doc.items() if k != "_report"})
            elif isinstance(doc, dict):  # kept for the record (a bad record is skipped at read)
                grouped["?"][table].append(doc)
    for doc in (tree.get("reports") or {}).values():
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            continue
        tables = {t: grouped.get(doc["id"], {}).get(t, []) for t in RECORD_TABLES}
        write_report_file(store_path, doc["id"], tables)
        try:
            doc["summary"] = summarize(tables)
        except (KeyError, TypeError, AttributeError):  # a bad record: summarised from the models later
            doc.pop("summary", None)


def copy_store(src: Path, dst: Path) -> None:
    """Copy a store: its catalogue file and its folder of report files (0600/0700)."""
    import shutil

    src, dst = Path(src), Path(dst)
    shutil.copyfile(src, dst)
    os.chmod(dst, FILE_MODE)
    if reports_dir(src).is_dir():
        shutil.copytree(reports_dir(src), reports_dir(dst), dirs_exist_ok=True)


def _clean_report_orphans(store_path: Path) -> int:
    """Temporary files a killed ingest left in the report-file folder."""
    folder = reports_dir(store_path)
    gone = 0
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                tmp.unlink()
                gone += 1
    return gone


def legacy_milestone_key(m: Milestone) -> str:
    """The key sent-logs written before stable identities used: content hash and line.
    Still recognised, so an upgrade does not resend."""
    if m.manual_id is not None:
        return f"m{m.manual_id}"
    src = m.source
    digest = hashlib.sha1(f"{m.title}|{m.start}|{m.end}".encode()).hexdigest()[:8]
    return f"{src.report_id if src else '-'}:{src.line if src else 0}:{digest}"


def milestone_key(m: Milestone, report: Report | None = None) -> str:
    """A milestone's identity for the sent-log: office + report kind + program +
    normalised title + date. A corrected re-ingest (new content hash, lines moved)
    keeps it, so reminders already sent are recognised."""
    if m.manual_id is not None:
        return f"m{m.manual_id}"
    office = squash(report.org) if report else (m.source.report_id if m.source else "-")
    kind = report.kind if report else "-"
    parts = [office, kind, squash(m.program or ""), squash(m.title), m.start.isoformat()]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    return f"id:{digest}"


def audit_identity(report: Report, kind: str | None, number: int) -> str:
    """An audit follow-up's identity across corrected re-ingests: office + year + kind + number."""
    return f"{squash(report.org)}|{report.year}|{kind or '-'}|{number}"


class Store:
    """Repository over the TinyDB file. One writer at a time (a file lock)."""

    def __init__(self, path: Path, clock: Clock | None = None, backups: int = DEFAULT_BACKUPS) -> None:
        self.path = Path(path)
        self.clock = clock or SystemClock()
        self.backups_kept = backups
        self.recovered_from: Path | None = None  # set when a corrupt file was moved aside
        self.restored_from: Path | None = None  # the backup a corrupt or missing store came back from
        self.notices: list[str] = []  # loud Korean notices for the operator (stderr, console)
        self.skipped: dict[tuple[str, str], str] = {}  # (table, doc id) -> why: bad records, skipped
        self._listeners: list[Callable[[str], None]] = []
        self._index: _Index | None = None
        self._records: dict[str, _Records] = {}  # report id -> its records (files never change)
        self.report_reads = 0  # report files read (tests and bench read it)
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
                _clean_report_orphans(self.path)
                missing = not self.path.exists()
                if missing and list_backups(self.path):
                    self._restore_newest("missing")
        except (NotADirectoryError, PermissionError) as exc:
            raise StoreLocationError(MS.STORE_NOT_WRITABLE.format(path=self.path, reason=exc.strerror or exc)) from exc
        try:
            self._db = self._new_db()
            self._storage.read()
        except StoreCorruptError as exc:
            self._recover(exc.reason)
        self._migrate_if_one_file()
        self._index = None
        self._write_back_summaries()

    def _migrate_if_one_file(self, locked: bool = False) -> None:
        """A store written by the previous layout (every record in the one JSON file) is
        split on first open: each report's records into its own file, the catalogue
        keeps a summary. One atomic replace; the old file stays as ``.bak`` and backup."""
        tree = self._storage.read() or {}
        if not any(tree.get(t) for t in RECORD_TABLES):
            return
        with contextlib.nullcontext() if locked else writer_lock(self.path):
            if not locked and self._storage.changed_on_disk():
                self._storage.reload()
            tree = self._storage.read() or {}
            if not any(tree.get(t) for t in RECORD_TABLES):
                return
            with self._storage.batch():
                migrate_tree(self.path, tree)
                self._storage.write(tree)
        log.warning("store %s: migrated to one file per report (%d reports)", self.path, len(tree.get("reports", {})))

    @property
    def _storage(self) -> AtomicJSONStorage:
        return self._db.storage  # type: ignore[return-value]

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
            self._storage.read()
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
            if self._storage.changed_on_disk():
                self._reopen()
            current = json.loads(json.dumps(self._storage.read() or {}))
            missing = lacks(current, tree)
            atomic_write_bytes(self.path, body, backups=self.backups_kept)
            self._reopen()
        log.warning("store restored from backup %s; it lacks %s", info.path.name, missing or "nothing")
        self._notify("reports")
        return info, missing

    def close(self) -> None:
        self._db.close()

    def on_change(self, listener: Callable[[str], None]) -> None:
        """``listener(table)`` runs after every committed write (reminders reschedule)."""
        self._listeners.append(listener)

    def _notify(self, what: str) -> None:
        for fn in list(self._listeners):
            try:
                fn(what)
            except Exception:  # a listener must never undo a committed write
                log.exception("store listener failed")

    @contextlib.contextmanager
    def _write(self, what: str) -> Iterator[None]:
        """One committed, atomic change: lock, catch up with other writers, batch."""
        with writer_lock(self.path):
            if self._storage.changed_on_disk():
                self._reopen()
            with self._storage.batch():
                yield
        self._index = None
        self._notify(what)

    def _reopen(self) -> bool:
        """Read the file again (another process wrote it). A file that turned corrupt
        under us is moved aside and the last good tree in memory written back; False then."""
        old = self._db
        db = self._new_db()
        try:
            db.storage.read()
        except StoreCorruptError as exc:
            tree = old.storage.read() or {}  # type: ignore[attr-defined]
            with contextlib.suppress(FileNotFoundError):
                aside = self._move_aside()
                self.notices.append(MS.STORE_CORRUPT_WHILE_RUNNING.format(reason=MS.CORRUPT_REASONS.get(exc.reason, exc.reason), aside=aside.name))
                log.error("store %s turned %s while running; moved aside as %s", self.path, exc.reason, aside.name)
            if tree:
                old.storage.write(tree)  # type: ignore[attr-defined]
            return False
        old.close()
        self._db = db
        self._index = None
        self._migrate_if_one_file(locked=True)  # a restored backup of the previous layout (callers hold the lock)
        return True

    def _fresh(self) -> _Index:
        if self._storage.changed_on_disk():
            with writer_lock(self.path):
                if self._storage.changed_on_disk():
                    self._reopen()
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def _valid(
        self, table: str, doc: Any, model: type, drop: tuple[str, ...] = ("_report",), doc_id: str | None = None
    ) -> Any | None:
        """``doc`` as ``model``, or None: a bad record is skipped with one warning, never
        fatal to every lookup."""
        try:
            if drop and any(k in doc for k in drop):
                doc = {k: v for k, v in doc.items() if k not in drop}
            return model.model_validate(doc)
        except Exception as exc:  # pydantic's ValidationError, or a doc that is not a dict
            key = (table, doc_id or str(getattr(doc, "doc_id", "?")))
            if key not in self.skipped:
                self.skipped[key] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning("store: skipped a bad record in %s (doc %s): %s", table, key[1], self.skipped[key])
            return None

    def skipped_notice(self) -> str | None:
        """One Korean line counting the bad records skipped so far (None when none)."""
        if not self.skipped:
            return None
        tables = sorted({t for t, _ in self.skipped})
        return MS.STORE_SKIPPED_RECORDS.format(count=len(self.skipped), tables=", ".join(tables))

    def check(self, records: bool = True) -> None:
        """Read every table once, so bad records are counted up front. ``records=False``
        (the bot's start) reads the catalogue only: report files are read when asked,
        and a bad record in one is skipped with a notice then."""
        self._fresh()
        if records:
            for rid in list(self._fresh().reports):
                self._load_records(rid)
        self.subscriptions()
        self.sent_records()
        self.changes_since(None)

    @property
    def file_writes(self) -> int:
        return self._storage.writes

    # -- ingest ------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self._db.table("reports")

    def ingest(self, parsed: ParsedReport, force: bool = False) -> IngestOutcome:
        """Add a report, or replace the records of the same report (same content hash,
        or same office/title/date) — never duplicate them. A replacement that would lose
        most of a section (a truncated copy) raises ``IngestShrinkError`` unless ``force``."""
        new = parsed.report
        R = Query()
        outcome = IngestOutcome(report=new, status="unchanged")
        with self._write("reports"):
            reports = self._db.table("reports")
            existing = reports.search((R.id == new.id) | (R.identity == new.identity))
            if any(doc["id"] == new.id for doc in existing):
                return outcome
            replaced = existing[0]["id"] if existing else None
            if replaced and not force:
                old_counts = self._counts(existing[0])
                new_counts = {t: len(getattr(parsed, t)) for t in SHRINK_SECTIONS}
                lost = shrinkage(old_counts, new_counts)
                if lost:
                    raise IngestShrinkError(new, lost)
            stamped = new.model_copy(update={"ingested_at": self.clock.now()})
            for old in existing:
                self._delete_report_records(old["id"])
            tables = {
                name: [r.model_dump(mode="json") for r in getattr(parsed, name)]
                for name in ("departments", "budget_lines", "programs", "audit_items", "milestones")
            }
            tables["audit_summaries"] = [parsed.audit_summary.model_dump(mode="json")] if parsed.audit_summary else []
            # the report's own file first (content-addressed: an orphan if we die before the
            # catalogue's replace below, which is the commit), then its summary in the catalogue
            self.write_report_records(new.id, tables)
            reports.insert(
                {**stamped.model_dump(mode="json"), "identity": stamped.identity, "summary": summarize(tables)}
            )
            verb = "다시 반영" if replaced else "추가"
            self._log_change_unlocked(
                "report_ingested", f"보고서 {verb}: {new.org} {new.title} ({new.report_date.isoformat()})"
            )
            outcome = IngestOutcome(
                report=stamped, status="replaced" if replaced else "added", replaced_report_id=replaced
            )
        return outcome

    def write_report_records(self, report_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Write one report's records to its own TinyDB file (atomic, 0600)."""
        write_report_file(self.path, report_id, tables)

    def _counts(self, doc: dict[str, Any]) -> dict[str, int]:
        summary = doc.get("summary")
        if isinstance(summary, dict) and isinstance(summary.get("counts"), dict):
            return summary["counts"]
        recs = self._load_records(doc["id"])
        return {t: len(getattr(recs, t)) for t in SHRINK_SECTIONS}

    def _delete_report_records(self, report_id: str) -> None:
        """Drop the report from the catalogue. Its file stays: an older backup of the
        catalogue may name it (restoring one must find its records)."""
        self._db.table("reports").remove(Query().id == report_id)

    def remove_report(self, report_id: str) -> bool:
        with self._write("reports"):
            if not self._db.table("reports").contains(Query().id == report_id):
                return False
            self._delete_report_records(report_id)
        return True

    # -- the index ---------------------------------------------------------------------
    def _build_index(self) -> _Index:
        """The catalogue as indexes: reports, names, milestone dates, people's edits.
        Reads no report file."""
        idx = _Index()
        for doc in self._db.table("reports").all():
            r = self._valid("reports", doc, Report, drop=("identity", "summary"))
            if r is not None:
                idx.reports[r.id] = r
                summary = doc.get("summary")
                idx.summaries[r.id] = summary if isinstance(summary, dict) else {}
        idx.newest = sorted(idx.reports.values(), key=lambda r: (r.report_date, r.id), reverse=True)
        # keyed by kind too; a record from before kinds were kept names the number alone
        # also by the item's own identity (office + year + kind + number): a corrected copy
        # whose title or date moved still finds what a person recorded
        for d in self._db.table("audit_status").all():
            try:
                AuditStatus(d["status"])
                idx.overrides[(d["report_identity"], d.get("kind"), d["number"])] = d
                if d.get("identity"):
                    idx.stable[d["identity"]] = d
            except (KeyError, ValueError, TypeError) as exc:
                key = ("audit_status", str(getattr(d, "doc_id", "?")))
                if key not in self.skipped:
                    self.skipped[key] = repr(exc)
                    log.warning("store: skipped a bad record in audit_status (doc %s): %r", key[1], exc)
        for doc in self._db.table("manual_milestones").all():
            m = self._valid("manual_milestones", doc, Milestone)
            if m is not None:
                idx.manual.append(m)
        return idx

    def _write_back_summaries(self) -> int:
        """Summaries of reports stored before the catalogue kept all of them ("ms",
        "order") are made from the report files once and written back in one catalogue
        write, so the next open reads no report file for them. A store that cannot be
        written (read-only copy) keeps making them in memory. Returns how many."""
        idx = self._fresh()
        stale = [rid for rid in idx.reports if not _complete(idx.summaries.get(rid))]
        if not stale:
            return 0
        made = {rid: self._summary(rid) for rid in stale}
        made = {rid: s for rid, s in made.items() if ("reports", rid) not in self.skipped}  # an unreadable file: not made permanent
        if not made:
            return 0
        R = Query()
        try:
            with self._write("summaries"):
                reports = self._db.table("reports")
                for rid, summary in made.items():
                    reports.update({"summary": summary}, R.id == rid)
        except OSError as exc:
            log.warning("store %s: summaries not written back (%s); made from the report files each open", self.path, exc)
            return 0
        log.info("store %s: wrote back the summaries of %d reports", self.path, len(made))
        return len(made)

    def _summary(self, report_id: str) -> dict[str, Any]:
        """A report's catalogue summary; one written before summaries is made from its file."""
        idx = self._fresh()
        summary = idx.summaries.get(report_id) or {}
        if not _complete(summary) and report_id in idx.reports:  # "order": since the handlers' name pools
            recs = self._load_records(report_id)
            tables = {t: [r.model_dump(mode="json") for r in getattr(recs, t)] for t in ("departments", *SHRINK_SECTIONS)}
            tables["milestones"] = [m.model_dump(mode="json") if m else {"start": "9999-12-31"} for m in recs.slots]
            summary = summarize(tables)
            idx.summaries[report_id] = summary
        return summary

    def report_summary(self, report_id: str) -> dict[str, Any]:
        """What the catalogue keeps of a report (``bot.index.summarize``): counts, names in
        printed order (``order``), milestone dates. Reads no report file (but for a
        report stored before the summary had them, once)."""
        return self._summary(report_id)

    def cached(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per state of the store: a handler's index (a name pool, a
        lookup table) kept until the next write or a change by another process."""
        derived = self._fresh().derived
        if key not in derived:
            derived[key] = build()
        return derived[key]

    def report_cached(self, report_id: str, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per report file: a handler's index of one report's parsed
        records (budget lines by department …), kept as long as the records are — the
        file never changes (its name is the content hash). Not for anything people edit
        (audit statuses): those change without a new file."""
        derived = self._load_records(report_id).derived
        if key not in derived:
            derived[key] = build()
        return derived[key]

    def milestones_of(self, report_id: str) -> list[Milestone]:
        """One report's milestones in ``milestones()`` order (reads only that report)."""
        if report_id not in self._fresh().reports:
            return []
        out = [m for m in self._load_records(report_id).slots if m is not None]
        out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
        return out

    def name_index(self) -> NameIndex:
        """Every department, program, budget row and office name in one choice list (see
        ``NameIndex``): resolve a name with rapidfuzz against ``choices`` once, then read
        only the reports ``report_ids(kind, name)`` names. Built from the catalogue."""
        idx = self._fresh()
        if idx.names is None:
            names = NameIndex()
            for rid, r in idx.reports.items():
                s = self._summary(rid)
                names.add("org", r.org, rid)
                for kind, field_ in (("dept", "depts"), ("budget_dept", "budget_depts"), ("program", "programs"), ("row", "rows")):
                    for label in s.get(field_, []):
                        names.add(kind, label, rid)
            for m in idx.manual:
                if m.dept:
                    names.add("dept", m.dept, "")
            idx.names = names
        return idx.names

    def _milestone_index(self) -> MilestoneIndex:
        idx = self._fresh()
        if idx.milestone_index is None:
            entries: list[tuple[date, date, str, int]] = []
            for rid in idx.reports:
                for i, (start, end) in enumerate(self._summary(rid).get("ms", [])):
                    first = date.fromisoformat(start)
                    entries.append((first, date.fromisoformat(end) if end else first, rid, i))
            for i, m in enumerate(idx.manual):
                entries.append((m.start, m.end or m.start, "", i))
            idx.milestone_index = MilestoneIndex.build(entries)
        return idx.milestone_index

    def _load_records(self, report_id: str) -> _Records:
        """A report's records from its file, validated once and kept (the file never
        changes: its name is the content hash). A missing or unreadable file is a
        skipped record with a notice, never fatal."""
        recs = self._records.get(report_id)
        if recs is not None:
            return recs
        recs = _Records()
        path = report_file(self.path, report_id)
        try:
            tree = read_tree(path)
        except (OSError, StoreCorruptError) as exc:
            key = ("reports", report_id)
            if key not in self.skipped:
                self.skipped[key] = f"report file {path.name}: {getattr(exc, 'reason', None) or type(exc).__name__}"
                log.warning("store: report file %s unreadable: %s", path, exc)
            tree = {}
        self.report_reads += 1
        for table, model in PARSED_TABLES.items():
            for doc_id, doc in (tree.get(table) or {}).items():
                rec = self._valid(table, doc, model, doc_id=f"{report_id[:12]}/{doc_id}")
                if table == "milestones":
                    recs.slots.append(rec)  # the summary's milestone i is the file's i-th
                if rec is None:
                    continue
                if table == "audit_summaries":
                    recs.audit_summaries = rec
                else:
                    getattr(recs, table).append(rec)
        recs.budget_lines.sort(key=lambda b: (b.table, b.order))
        self._records[report_id] = recs
        return recs

    def _audit_items_of(self, report_id: str) -> list[AuditItem]:
        """A report's follow-ups with the status people recorded (survives re-ingest)."""
        idx = self._fresh()
        cached = idx.audit_items.get(report_id)
        if cached is not None:
            return cached
        items = list(self._load_records(report_id).audit_items)
        report = idx.reports.get(report_id)
        if report is not None and (idx.overrides or idx.stable):
            for i, item in enumerate(items):
                o = (
                    idx.overrides.get((report.identity, item.kind, item.number))
                    or idx.stable.get(audit_identity(report, item.kind, item.number))
                    or idx.overrides.get((report.identity, None, item.number))
                )
                if o:
                    items[i] = item.model_copy(
                        update={"status": AuditStatus(o["status"]), "action": o.get("note") or item.action}
                    )
        idx.audit_items[report_id] = items
        return items

    # -- reads (memory only) -----------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, newest first."""
        return list(self._fresh().newest)

    def report(self, report_id: str) -> Report | None:
        return self._fresh().reports.get(report_id)

    def departments(self, report_id: str | None = None) -> list[Department]:
        return self._by_report(lambda rid: self._load_records(rid).departments, report_id)

    def budget_lines(self, report_id: str | None = None) -> list[BudgetLine]:
        return self._by_report(lambda rid: self._load_records(rid).budget_lines, report_id)

    def budget_lines_for_dept(self, dept: str) -> list[BudgetLine]:
        """A department's budget lines in every report (reads only the reports naming it)."""
        key = squash(dept)
        rids = self.name_index().report_ids("budget_dept", dept)
        return [b for rid in rids for b in self._load_records(rid).budget_lines if b.dept and squash(b.dept) == key]

    def budget_lines_named(self, name: str) -> list[BudgetLine]:
        """Budget rows printed as ``name`` (a program's line), newest report first."""
        key = name_key(name)
        rids = set(self.name_index().report_ids("row", name))
        return [b for r in self._fresh().newest if r.id in rids for b in self._load_records(r.id).budget_lines if name_key(b.name) == key]

    def programs(self, report_id: str | None = None) -> list[Program]:
        return self._by_report(lambda rid: self._load_records(rid).programs, report_id)

    def programs_titled(self, title: str) -> list[Program]:
        """Programs of that title in every report (reads only the reports holding it)."""
        key = squash(title)
        rids = self.name_index().report_ids("program", title)
        return [p for rid in rids for p in self._load_records(rid).programs if squash(p.title) == key]

    def programs_of_dept(self, dept: str) -> list[Program]:
        """A department's programs, newest report first (reads only reports naming it)."""
        key = name_key(dept)
        rids = set(self.name_index().report_ids("dept", dept))
        return [p for r in self._fresh().newest if r.id in rids for p in self._load_records(r.id).programs if p.dept and name_key(p.dept) == key]

    def reports_naming(self, kind: str, name: str) -> list[Report]:
        """Reports in which ``name`` occurs as ``kind`` (dept, budget_dept, program, row,
        org), newest first — from the name index, no report file read."""
        rids = set(self.name_index().report_ids(kind, name))
        return [r for r in self._fresh().newest if r.id in rids]

    def audit_items(self, report_id: str | None = None) -> list[AuditItem]:
        return self._by_report(self._audit_items_of, report_id)

    def has_audit(self, report_id: str) -> bool:
        """Whether a report holds follow-ups or a 총괄, from its summary (no file read)."""
        counts = self._summary(report_id).get("counts") or {}
        return bool(counts.get("audit_items") or counts.get("audit_summaries"))

    def audit_summary(self, report_id: str) -> AuditSummary | None:
        if report_id not in self._fresh().reports:
            return None
        return self._load_records(report_id).audit_summaries

    def milestones(self, start: date | None = None, end: date | None = None) -> list[Milestone]:
        """Parsed and hand-added milestones, soonest first; ``start``/``end`` keep those
        that overlap the window (a range still running counts). Found by bisect on the
        start date; only the reports holding a milestone in the window are read."""
        idx = self._fresh()
        refs = self._milestone_index().window(start, end)
        by_report: dict[str, list[int]] = defaultdict(list)
        for rid, i in refs:
            by_report[rid].append(i)
        out: list[Milestone] = []
        for rid in idx.reports:  # catalogue order, then hand-added: the order ties keep
            if rid in by_report:
                slots = self._load_records(rid).slots
                out.extend(m for i in sorted(by_report[rid]) if i < len(slots) and (m := slots[i]) is not None)
        out.extend(idx.manual[i] for i in sorted(by_report.get("", [])))
        out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
        return out

    def _by_report(self, records_of: Callable[[str], list[Any]], report_id: str | None) -> list[Any]:
        if report_id is not None:
            if report_id not in self._fresh().reports:
                return []
            return list(records_of(report_id))
        return [rec for r in self.reports() for rec in records_of(r.id)]

    # -- what the bot writes itself ----------------------------------------------------
    def add_manual_milestone(self, m: Milestone) -> Milestone:
        with self._write("milestones"):
            table = self._db.table("manual_milestones")
            next_id = max((d.get("manual_id") or 0 for d in table.all()), default=0) + 1
            saved = m.model_copy(update={"manual_id": next_id, "source": None})
            table.insert(saved.model_dump(mode="json"))
            self._log_change_unlocked("milestone_added", f"일정 추가: {saved.start.isoformat()} {saved.title}")
        return saved

    def remove_manual_milestone(self, manual_id: int) -> Milestone | None:
        with self._write("milestones"):
            table = self._db.table("manual_milestones")
            docs = table.search(Query().manual_id == manual_id)
            if not docs:
                return None
            m = Milestone.model_validate(docs[0])
            table.remove(Query().manual_id == manual_id)
            self._log_change_unlocked("milestone_removed", f"일정 삭제: {m.start.isoformat()} {m.title}")
        return m

    def set_audit_status(
        self, report_id: str, number: int, status: AuditStatus, note: str | None, by: str | None, kind: str | None = None
    ) -> AuditItem | None:
        """Record a follow-up's status by report, kind and number (numbers restart per kind
        in some reports), so it survives a re-ingest."""
        report = self.report(report_id)
        item = next((a for a in self.audit_items(report_id) if a.number == number and kind in (None, a.kind)), None)
        if report is None or item is None:
            return None
        q = Query()
        cond = (q.report_identity == report.identity) & (q.number == number) & (q.kind == item.kind)
        with self._write("audit"):
            self._db.table("audit_status").upsert(
                {
                    "report_identity": report.identity,
                    "identity": audit_identity(report, item.kind, number),
                    "kind": item.kind,
                    "number": number,
                    "status": status.value,
                    "note": note,
                    "by": by,
                    "at": self.clock.now().isoformat(),
                },
                cond,
            )
            self._log_change_unlocked(
                "audit_status", f"감사 후속조치 {number}번 상태 변경: {item.status.value} → {status.value}"
            )
        return item.model_copy(update={"status": status, "action": note or item.action})

    def subscriptions(self, kind: str | None = None, include_paused: bool = False) -> list[Subscription]:
        """Subscriptions that deliver; ``include_paused`` adds those paused because the
        platform refused the channel (``pause_subscriptions``)."""
        self._fresh()
        docs = self._db.table("subscriptions").all()
        if not include_paused:
            docs = [d for d in docs if not d.get(PAUSED_AT)]
        subs = [s for s in (self._valid("subscriptions", _without_pause(d), Subscription) for d in docs) if s is not None]
        return [s for s in subs if kind is None or s.kind == kind]

    def paused_subscriptions(self) -> dict[tuple[str, str, str, str], tuple[str, str]]:
        """(platform, channel, target, kind) → (paused at, reason) of each paused subscription."""
        self._fresh()
        return {
            (d["platform"], d["channel"], d["target"], d.get("kind", "reminder")): (d[PAUSED_AT], d.get(PAUSED_REASON, ""))
            for d in self._db.table("subscriptions").all()
            if d.get(PAUSED_AT) and all(isinstance(d.get(k), str) for k in ("platform", "channel", "target"))
        }

    def pause_subscriptions(self, platform: str, channel: str, reason: str) -> list[Subscription]:
        """The platform refused to post in ``channel`` (the bot is not in it): its
        subscriptions stop delivering until ``resume_subscriptions``. Returns those paused
        now (not those paused already), so the subscriber is told once."""
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & ~(q[PAUSED_AT].exists())
        with self._write("subscriptions"):
            table = self._db.table("subscriptions")
            docs = table.search(cond)
            if docs:
                table.update({PAUSED_AT: self.clock.now().isoformat(), PAUSED_REASON: reason}, cond)
        return [s for s in (self._valid("subscriptions", _without_pause(d), Subscription) for d in docs) if s is not None]

    def resume_subscriptions(self, platform: str, channel: str) -> int:
        """Deliver to ``channel`` again (someone subscribed there after inviting the bot)."""
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & q[PAUSED_AT].exists()
        with self._write("subscriptions"):
            table = self._db.table("subscriptions")
            docs = table.search(cond)
            if docs:
                table.update(_unpause, cond)
        return len(docs)

    # -- long button commands (Telegram callback_data over 64 bytes) --------------------
    def remember_button(self, key: str, command: str) -> None:
        """Keep ``key`` → ``command`` across restarts; entries older than
        ``BUTTON_DAYS`` are dropped on the way."""
        now = self.clock.now()
        cutoff = (now - timedelta(days=BUTTON_DAYS)).isoformat()
        q = Query()
        with self._write("buttons"):
            table = self._db.table("buttons")
            table.remove(q.at < cutoff)
            table.upsert({"key": key, "command": command, "at": now.isoformat()}, q.key == key)

    def button_command(self, key: str) -> str | None:
        """The command behind a stored button key, or None when unknown or expired."""
        self._fresh()
        docs = self._db.table("buttons").search(Query().key == key)
        if not docs or not isinstance(docs[0].get("command"), str):
            return None
        cutoff = (self.clock.now() - timedelta(days=BUTTON_DAYS)).isoformat()
        return docs[0]["command"] if str(docs[0].get("at", "")) >= cutoff else None

    def add_subscription(self, sub: Subscription) -> bool:
        """False when the channel already has it (subscribing twice is harmless)."""
        q = Query()
        cond = (q.platform == sub.platform) & (q.channel == sub.channel) & (q.target == sub.target) & (q.kind == sub.kind)
        with self._write("subscriptions"):
            table = self._db.table("subscriptions")
            if table.contains(cond):
                return False
            table.insert(sub.model_dump(mode="json"))
        return True

    def remove_subscription(self, platform: str, channel: str, target: str, kind: str = "reminder") -> bool:
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & (q.target == target) & (q.kind == kind)
        with self._write("subscriptions"):
            table = self._db.table("subscriptions")
            if not table.contains(cond):
                return False
            table.remove(cond)
        return True

    def sent(self, key: str, *also: str) -> SentRecord | None:
        """The sent-log record of ``key`` (or of an older key of the same send)."""
        self._fresh()
        keys = (key, *also)
        docs = self._db.table("sent_log").search(Query().key.one_of(keys))
        recs = [r for r in (self._valid("sent_log", d, SentRecord) for d in docs) if r is not None]
        return recs[0] if recs else None

    def record_sent(self, rec: SentRecord) -> bool:
        """Record a send; False if the key was already recorded (then do not send again)."""
        with self._write("sent_log"):
            table = self._db.table("sent_log")
            if table.contains(Query().key == rec.key):
                return False
            table.insert(rec.model_dump(mode="json"))
        return True

    def record_sent_many(self, recs: list[SentRecord]) -> int:
        """Record several sends in one file write (a catch-up after a long outage logs
        hundreds); keys already recorded are left alone. Returns how many were new."""
        with self._write("sent_log"):
            table = self._db.table("sent_log")
            known = {d["key"] for d in table.all()}
            new: list[SentRecord] = []
            for r in recs:
                if r.key not in known:
                    known.add(r.key)
                    new.append(r)
            if new:
                table.insert_multiple([r.model_dump(mode="json") for r in new])
        return len(new)

    def sent_records(self) -> list[SentRecord]:
        self._fresh()
        docs = self._db.table("sent_log").all()
        return [r for r in (self._valid("sent_log", d, SentRecord) for d in docs) if r is not None]

    # -- claim, send, confirm ----------------------------------------------------------
    def claim_send(self, claim: dict[str, Any]) -> list[str]:
        """Record, before a send, that it is about to happen: ``claim`` names the
        ``keys`` of one message (plus platform, channel, batch, due_at, wall time).
        Returns the keys claimed now: those neither sent nor claimed already. A key
        waiting to be sent again (``mark_resend``) is claimed anew, still marked."""
        with self._write("send_claims"):
            sent = {d.get("key") for d in self._db.table("sent_log").all()}
            table = self._db.table("send_claims")
            held = {k for d in table.all() if not d.get("resend") for k in d.get("keys", [])}
            again = {k for d in table.all() if d.get("resend") for k in d.get("keys", [])}
            keys = [k for k in claim["keys"] if k not in sent and k not in held]
            if keys:
                if again & set(keys):
                    table.remove(Query().resend.exists() & Query().keys.any(keys))
                table.insert({**claim, "keys": keys, "resend": bool(again & set(keys))})
        return keys

    def mark_resend(self, keys: list[str]) -> None:
        """A claim the platform cannot vouch for: to be sent again, marked as possibly
        repeated — kept in the store, so a second crash does not lose the mark."""
        with self._write("send_claims"):
            self._db.table("send_claims").update({"resend": True}, Query().keys.any(keys))

    def resend_keys(self) -> set[str]:
        """Keys to be sent again, marked (see ``mark_resend``)."""
        return {k for c in self.claims() if c.get("resend") for k in c["keys"]}

    def claims(self) -> list[dict[str, Any]]:
        """Sends claimed but never confirmed (the bot stopped between the two)."""
        self._fresh()
        out = []
        for d in self._db.table("send_claims").all():
            if isinstance(d.get("keys"), list) and d.get("platform") and d.get("channel"):
                out.append(dict(d))
            else:
                self.skipped.setdefault(("send_claims", str(d.doc_id)), "claim without keys")
        return out

    def claimed_keys(self) -> set[str]:
        """Keys claimed by a send under way (or cut short); not those waiting to be resent."""
        return {k for c in self.claims() if not c.get("resend") for k in c["keys"]}

    def confirm_send(self, keys: list[str], recs: list[SentRecord]) -> int:
        """After the platform accepted: the sent-log records and the claim's end, in one write."""
        with self._write("sent_log"):
            self._db.table("send_claims").remove(Query().keys.any(keys))
            table = self._db.table("sent_log")
            known = {d.get("key") for d in table.all()}
            new = [r.model_dump(mode="json") for r in recs if r.key not in known]
            if new:
                table.insert_multiple(new)
        return len(new)

    def release_claim(self, keys: list[str]) -> None:
        """The send failed (or is to be made again): forget the claim."""
        with self._write("send_claims"):
            self._db.table("send_claims").remove(Query().keys.any(keys))

    def log_change(self, kind: str, summary: str) -> None:
        with self._write("changes"):
            self._log_change_unlocked(kind, summary)

    def _log_change_unlocked(self, kind: str, summary: str) -> None:
        ev = ChangeEvent(at=self.clock.now(), kind=kind, summary=summary)
        self._db.table("changes").insert(ev.model_dump(mode="json"))

    def changes_since(self, since: datetime | None) -> list[ChangeEvent]:
        docs = self._db.table("changes").all()
        events = [e for e in (self._valid("changes", d, ChangeEvent) for d in docs) if e is not None]
        return [e for e in events if since is None or e.at > since]

    def get_meta(self, key: str) -> Any:
        docs = self._db.table("meta").search(Query().key == key)
        return docs[0]["value"] if docs else None

    def set_meta(self, key: str, value: Any) -> None:
        with self._write("meta"):
            self._db.table("meta").upsert({"key": key, "value": value}, Query().key == key)


PAUSED_AT = "paused_at"  # on a subscription document: the platform refused the channel then
PAUSED_REASON = "paused_reason"
BUTTON_DAYS = 30  # a long Telegram button command is kept this long


def _complete(summary: Any) -> bool:
    """Whether a catalogue summary has everything the indexes read ("ms": milestone dates,
    "order": names in printed order for the handlers' pools)."""
    return isinstance(summary, dict) and "ms" in summary and "order" in summary


def _without_pause(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in (PAUSED_AT, PAUSED_REASON)}


def _unpause(doc: dict[str, Any]) -> None:
    doc.pop(PAUSED_AT, None)
    doc.pop(PAUSED_REASON, None)


def ingest_files(store: Store, paths: Iterable[Path]) -> list[IngestOutcome]:
    """Parse and ingest several files; raises ``NotAReportError`` (with the file) on the
    first bad one, before anything of it is written."""
    from bot.ingest import parse_file

    return [store.ingest(parse_file(p)) for p in paths]
