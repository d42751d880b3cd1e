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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from bot import messages as MS
from bot.clock import SEOUL, Clock, SystemClock
from bot.ingest.text import squash
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
    {"reports", *PARSED_TABLES, *USER_EDIT_TABLES, "sent_log", "send_claims", "changes", "meta"}
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
class _Index:
    """Everything parsed, as models, grouped the ways lookups ask for it."""

    reports: dict[str, Report] = field(default_factory=dict)
    departments: dict[str, list[Department]] = field(default_factory=lambda: defaultdict(list))
    budget_lines: dict[str, list[BudgetLine]] = field(default_factory=lambda: defaultdict(list))
    programs: dict[str, list[Program]] = field(default_factory=lambda: defaultdict(list))
    audit_items: dict[str, list[AuditItem]] = field(default_factory=lambda: defaultdict(list))
    audit_summaries: dict[str, AuditSummary] = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)  # parsed + manual, by start date
    budget_by_dept: dict[str, list[BudgetLine]] = field(default_factory=lambda: defaultdict(list))
    programs_by_title: dict[str, list[Program]] = field(default_factory=lambda: defaultdict(list))


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
        self._index = None

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
        return True

    def _fresh(self) -> _Index:
        if self._storage.changed_on_disk():
            with writer_lock(self.path):
                if self._storage.changed_on_disk():
                    self._reopen()
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def _valid(self, table: str, doc: Any, model: type, drop: tuple[str, ...] = ("_report",)) -> Any | None:
        """``doc`` as ``model``, or None: a bad record is skipped with one warning, never
        fatal to every lookup."""
        try:
            return model.model_validate({k: v for k, v in doc.items() if k not in drop})
        except Exception as exc:  # pydantic's ValidationError, or a doc that is not a dict
            key = (table, str(getattr(doc, "doc_id", "?")))
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

    def check(self) -> None:
        """Read every table once (at start), so bad records are counted up front."""
        self._fresh()
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
                q = Query()
                old_counts = {t: self._db.table(t).count(q._report == replaced) for t in SHRINK_SECTIONS}
                new_counts = {t: len(getattr(parsed, t)) for t in SHRINK_SECTIONS}
                lost = shrinkage(old_counts, new_counts)
                if lost:
                    raise IngestShrinkError(new, lost)
            stamped = new.model_copy(update={"ingested_at": self.clock.now()})
            for old in existing:
                self._delete_report_records(old["id"])
            reports.insert({**stamped.model_dump(mode="json"), "identity": stamped.identity})
            for table, records in (
                ("departments", parsed.departments),
                ("budget_lines", parsed.budget_lines),
                ("programs", parsed.programs),
                ("audit_items", parsed.audit_items),
                ("milestones", parsed.milestones),
            ):
                rows = [{"_report": new.id, **r.model_dump(mode="json")} for r in records]
                if rows:
                    self._db.table(table).insert_multiple(rows)
            if parsed.audit_summary:
                self._db.table("audit_summaries").insert(
                    {"_report": new.id, **parsed.audit_summary.model_dump(mode="json")}
                )
            verb = "다시 반영" if replaced else "추가"
            self._log_change_unlocked(
                "report_ingested", f"보고서 {verb}: {new.org} {new.title} ({new.report_date.isoformat()})"
            )
            outcome = IngestOutcome(
                report=stamped, status="replaced" if replaced else "added", replaced_report_id=replaced
            )
        return outcome

    def _delete_report_records(self, report_id: str) -> None:
        q = Query()
        for table in PARSED_TABLES:
            self._db.table(table).remove(q._report == report_id)
        self._db.table("reports").remove(q.id == report_id)

    def remove_report(self, report_id: str) -> bool:
        with self._write("reports"):
            if not self._db.table("reports").contains(Query().id == report_id):
                return False
            self._delete_report_records(report_id)
        return True

    # -- the index ---------------------------------------------------------------------
    def _build_index(self) -> _Index:
        idx = _Index()
        for doc in self._db.table("reports").all():
            r = self._valid("reports", doc, Report, drop=("identity",))
            if r is not None:
                idx.reports[r.id] = r
        for table, model in PARSED_TABLES.items():
            for doc in self._db.table(table).all():
                rid = doc.get("_report")
                if rid not in idx.reports:
                    continue
                rec = self._valid(table, doc, model)
                if rec is None:
                    continue
                if table == "audit_summaries":
                    idx.audit_summaries[rid] = rec
                elif table == "milestones":
                    idx.milestones.append(rec)
                else:
                    getattr(idx, table)[rid].append(rec)
        # keyed by kind too; a record from before kinds were kept names the number alone
        # also by the item's own identity (office + year + kind + number): a corrected copy
        # whose title or date moved still finds what a person recorded
        overrides: dict[tuple[Any, ...], dict[str, Any]] = {}
        stable: dict[str, dict[str, Any]] = {}
        for d in self._db.table("audit_status").all():
            try:
                AuditStatus(d["status"])
                overrides[(d["report_identity"], d.get("kind"), d["number"])] = d
                if d.get("identity"):
                    stable[d["identity"]] = d
            except (KeyError, ValueError, TypeError) as exc:
                key = ("audit_status", str(getattr(d, "doc_id", "?")))
                if key not in self.skipped:
                    self.skipped[key] = repr(exc)
                    log.warning("store: skipped a bad record in audit_status (doc %s): %r", key[1], exc)
        if overrides:
            for rid, items in idx.audit_items.items():
                report = idx.reports[rid]
                for i, item in enumerate(items):
                    o = (
                        overrides.get((report.identity, item.kind, item.number))
                        or stable.get(audit_identity(report, item.kind, item.number))
                        or overrides.get((report.identity, None, item.number))
                    )
                    if o:
                        items[i] = item.model_copy(
                            update={"status": AuditStatus(o["status"]), "action": o.get("note") or item.action}
                        )
        for doc in self._db.table("manual_milestones").all():
            m = self._valid("manual_milestones", doc, Milestone)
            if m is not None:
                idx.milestones.append(m)
        idx.milestones.sort(key=lambda m: (m.start, m.end or m.start, m.title))
        for lines in idx.budget_lines.values():
            lines.sort(key=lambda b: (b.table, b.order))
            for b in lines:
                if b.dept:
                    idx.budget_by_dept[squash(b.dept)].append(b)
        for progs in idx.programs.values():
            for p in progs:
                idx.programs_by_title[squash(p.title)].append(p)
        return idx

    # -- reads (memory only) -----------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, newest first."""
        return sorted(self._fresh().reports.values(), key=lambda r: (r.report_date, r.id), reverse=True)

    def report(self, report_id: str) -> Report | None:
        return self._fresh().reports.get(report_id)

    def departments(self, report_id: str | None = None) -> list[Department]:
        return self._by_report(self._fresh().departments, report_id)

    def budget_lines(self, report_id: str | None = None) -> list[BudgetLine]:
        return self._by_report(self._fresh().budget_lines, report_id)

    def budget_lines_for_dept(self, dept: str) -> list[BudgetLine]:
        return list(self._fresh().budget_by_dept.get(squash(dept), []))

    def programs(self, report_id: str | None = None) -> list[Program]:
        return self._by_report(self._fresh().programs, report_id)

    def programs_titled(self, title: str) -> list[Program]:
        return list(self._fresh().programs_by_title.get(squash(title), []))

    def audit_items(self, report_id: str | None = None) -> list[AuditItem]:
        return self._by_report(self._fresh().audit_items, report_id)

    def audit_summary(self, report_id: str) -> AuditSummary | None:
        return self._fresh().audit_summaries.get(report_id)

    def milestones(self, start: date | None = None, end: date | None = None) -> list[Milestone]:
        """Parsed and hand-added milestones, soonest first; ``start``/``end`` keep those
        that overlap the window (a range still running counts)."""
        out = []
        for m in self._fresh().milestones:
            last = m.end or m.start
            if start and last < start:
                continue
            if end and m.start > end:
                continue
            out.append(m)
        return out

    def _by_report(self, groups: dict[str, list[Any]], report_id: str | None) -> list[Any]:
        if report_id is not None:
            return list(groups.get(report_id, []))
        order = [r.id for r in self.reports()]
        return [rec for rid in order for rec in groups.get(rid, [])]

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

    def subscriptions(self, kind: str | None = None) -> list[Subscription]:
        self._fresh()
        docs = self._db.table("subscriptions").all()
        subs = [s for s in (self._valid("subscriptions", d, Subscription) for d in docs) if s is not None]
        return [s for s in subs if kind is None or s.kind == kind]

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


def ingest_files(store: Store, paths: Iterable[Path]) -> list[IngestOutcome]:
    """Parse and ingest several files; raises ``NotAReportError`` (with the file) on the
    first bad one, before anything of it is written."""
    from bot.ingest import parse_file

    return [store.ingest(parse_file(p)) for p in paths]
