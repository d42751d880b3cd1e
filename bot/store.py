"""The store: TinyDB in one JSON file behind one repository class.

Parsed records are written once per ingest and read from in-memory indexes, so a
lookup never re-reads the file (it only ``stat``s it, to notice another process's
ingest). Records the bot writes itself — hand-added milestones, audit status
changes, subscriptions, the sent-log, the change log — live in their own tables
and survive re-ingesting a report."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from bot.clock import Clock, SystemClock
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
from bot.storage import AtomicJSONStorage, StoreCorruptError, writer_lock

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


def milestone_key(m: Milestone) -> str:
    """A stable id for a milestone: survives re-ingest of the same report text."""
    if m.manual_id is not None:
        return f"m{m.manual_id}"
    src = m.source
    digest = hashlib.sha1(f"{m.title}|{m.start}|{m.end}".encode()).hexdigest()[:8]
    return f"{src.report_id if src else '-'}:{src.line if src else 0}:{digest}"


class Store:
    """Repository over the TinyDB file. One writer at a time (a file lock)."""

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or SystemClock()
        self.recovered_from: Path | None = None  # set when a corrupt file was moved aside
        self._listeners: list[Callable[[str], None]] = []
        self._open()

    # -- opening, recovery -------------------------------------------------------------
    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = TinyDB(self.path, storage=AtomicJSONStorage)
            self._storage.read()
        except StoreCorruptError:
            self._recover()
        self._index: _Index | None = None

    @property
    def _storage(self) -> AtomicJSONStorage:
        return self._db.storage  # type: ignore[return-value]

    def _recover(self) -> None:
        """Move the corrupt file aside (nothing is deleted) and fall back to the last
        good backup, or to an empty store that the caller rebuilds from the corpus."""
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        shutil.move(self.path, aside)
        self.recovered_from = aside
        bak = self.path.with_name(self.path.name + ".bak")
        if bak.exists():
            try:
                AtomicJSONStorage(bak).read()
                shutil.copyfile(bak, self.path)
            except StoreCorruptError:
                pass
        log.warning("store file was corrupt; moved aside")
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        try:
            self._storage.read()
        except StoreCorruptError:  # pragma: no cover - the backup was checked above
            self.path.unlink()
            self._db = TinyDB(self.path, storage=AtomicJSONStorage)

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

    def _reopen(self) -> None:
        self._db.close()
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._index = None

    def _fresh(self) -> _Index:
        if self._storage.changed_on_disk():
            with contextlib.suppress(StoreCorruptError):
                self._reopen()
        if self._index is None:
            self._index = self._build_index()
        return self._index

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
            data = {k: v for k, v in doc.items() if k != "identity"}
            r = Report.model_validate(data)
            idx.reports[r.id] = r
        for table, model in PARSED_TABLES.items():
            for doc in self._db.table(table).all():
                rid = doc.get("_report")
                if rid not in idx.reports:
                    continue
                rec = model.model_validate({k: v for k, v in doc.items() if k != "_report"})
                if table == "audit_summaries":
                    idx.audit_summaries[rid] = rec
                elif table == "milestones":
                    idx.milestones.append(rec)
                else:
                    getattr(idx, table)[rid].append(rec)
        # keyed by kind too; a record from before kinds were kept names the number alone
        overrides = {(d["report_identity"], d.get("kind"), d["number"]): d for d in self._db.table("audit_status").all()}
        if overrides:
            identity_of = {rid: r.identity for rid, r in idx.reports.items()}
            for rid, items in idx.audit_items.items():
                for i, item in enumerate(items):
                    o = overrides.get((identity_of[rid], item.kind, item.number)) or overrides.get(
                        (identity_of[rid], None, item.number)
                    )
                    if o:
                        items[i] = item.model_copy(
                            update={"status": AuditStatus(o["status"]), "action": o.get("note") or item.action}
                        )
        for doc in self._db.table("manual_milestones").all():
            idx.milestones.append(Milestone.model_validate({k: v for k, v in doc.items() if k != "_report"}))
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
        subs = [Subscription.model_validate(d) for d in docs]
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

    def sent(self, key: str) -> SentRecord | None:
        self._fresh()
        docs = self._db.table("sent_log").search(Query().key == key)
        return SentRecord.model_validate(docs[0]) if docs else None

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
        return [SentRecord.model_validate(d) for d in self._db.table("sent_log").all()]

    def log_change(self, kind: str, summary: str) -> None:
        with self._write("changes"):
            self._log_change_unlocked(kind, summary)

    def _log_change_unlocked(self, kind: str, summary: str) -> None:
        ev = ChangeEvent(at=self.clock.now(), kind=kind, summary=summary)
        self._db.table("changes").insert(ev.model_dump(mode="json"))

    def changes_since(self, since: datetime | None) -> list[ChangeEvent]:
        events = [ChangeEvent.model_validate(d) for d in self._db.table("changes").all()]
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
