"""The reports on PostgreSQL: the catalogue (``reports``), each report's records
(``report_records``), people's edits, the change log and meta values.

Reads work as the TinyDB store's do: the catalogue's indexes (names in one choice
list, milestones by date, newest first) are built in memory from the catalogue's
summaries and rebuilt when ``store_state.version`` moves on (a write by this process
or by another replica); a report's records are read on demand and kept while recently
read (``memory.RecordCache``) — its id is the content hash, so they never change."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.types.json import Json

from bot.clock import Clock
from bot.keys import audit_identity
from bot.models import (
    AuditItem,
    AuditStatus,
    BudgetLine,
    ChangeEvent,
    Department,
    Milestone,
    ParsedReport,
    Program,
    Report,
)
from bot.pgstore.base import PgBase
from bot.pgstore.memory import Catalogue, RecordCache, Records
from bot.pgstore.schema import LOCK_CHANGES, LOCK_SQL, NOTIFY_SQL
from bot.store import PARSED_TABLES, SHRINK_SECTIONS, IngestOutcome, IngestShrinkError, MilestoneIndex, NameIndex, shrinkage
from bot.store.corpus import record_tables
from bot.store.reads import CorpusReads
from bot.store.reportfiles import summarize

log = logging.getLogger("bot.pgstore")

# How long a read trusts the version it last read (seconds). Another process's write is
# seen within this, or at once when its change notice arrives (bot/pgstore/notify.py).
FRESH_EVERY = 0.1
_LOCAL_WRITES: dict[str, int] = {}  # url -> writes committed by this process's store objects


class PgCorpus(PgBase, CorpusReads):
    """Catalogue, records, edits and journal over the pool (see the module doc)."""

    def __init__(self, url: str, clock: Clock | None = None, pool_size: int = 4, fresh_every: float = FRESH_EVERY) -> None:
        super().__init__(url, clock=clock, pool_size=pool_size)
        self.fresh_every = fresh_every  # seconds a version check is trusted (0: every read checks)
        self._local_seen = _LOCAL_WRITES.get(url, 0)
        self._index: Catalogue | None = None
        self._index_version = -1
        self._checked_at = 0.0
        self._records = RecordCache()  # recently read reports' records, within a budget
        self.report_reads = 0  # report tables read from the database (tests and bench read it)
        self._changes: list[ChangeEvent] = []  # the change log as read so far (it only grows)
        self._changes_seq = 0
        self._changes_lock = threading.Lock()

    # -- freshness -------------------------------------------------------------------------
    def _version(self, conn: psycopg.Connection[Any]) -> int:
        row = conn.execute("SELECT version FROM store_state WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def fresh(self) -> Catalogue:
        """The indexes of the store as it is now. The version row is read at most every
        ``fresh_every`` seconds (a command asks the store dozens of times; the digest
        hundreds); sooner when this process wrote (any store object on this URL) or when
        another replica's change notice arrived (``notice_change``)."""
        now = time.monotonic()
        local = _LOCAL_WRITES.get(self.url, 0)
        if self._index is not None and local == self._local_seen and now - self._checked_at < self.fresh_every:
            return self._index
        with self._conn() as conn:
            version = self._version(conn)
            self._checked_at = now
            self._local_seen = local
            if self._index is None or version != self._index_version:
                self._index = self._build_index(conn)
                self._index_version = version
        return self._index

    def _drop_caches(self, what: str) -> None:
        self._index = None
        _LOCAL_WRITES[self.url] = _LOCAL_WRITES.get(self.url, 0) + 1  # other store objects here re-check

    def _recheck(self) -> None:
        self._checked_at = 0.0

    def _build_index(self, conn: psycopg.Connection[Any]) -> Catalogue:
        """The catalogue as indexes: reports, names, milestone dates, people's edits."""
        idx = Catalogue()
        for rid, doc, summary in conn.execute("SELECT id, doc, summary FROM reports ORDER BY seq"):
            r = self._valid("reports", doc, Report, key=rid)
            if r is not None:
                idx.reports[r.id] = r
                idx.summaries[r.id] = summary if isinstance(summary, dict) else {}
        idx.newest = sorted(idx.reports.values(), key=lambda r: (r.report_date, r.id), reverse=True)
        for seq, d in conn.execute("SELECT seq, doc FROM audit_status ORDER BY seq"):
            try:
                AuditStatus(d["status"])
                idx.overrides[(d["report_identity"], d.get("kind"), d["number"])] = d
                if d.get("identity"):
                    idx.stable[d["identity"]] = d
            except (KeyError, ValueError, TypeError) as exc:
                self.skipped.setdefault(("audit_status", str(seq)), repr(exc))
        for manual_id, doc in conn.execute("SELECT manual_id, doc FROM manual_milestones ORDER BY seq"):
            m = self._valid("manual_milestones", doc, Milestone, key=str(manual_id))
            if m is not None:
                idx.manual.append(m)
        return idx

    def is_empty(self) -> bool:
        with self._conn() as conn:
            return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM reports)").fetchone() == (True,)

    def check(self, records: bool = True) -> None:
        """Read every table once, so bad records are counted up front (``records=False``:
        the catalogue only; records are read when a lookup needs them)."""
        idx = self.fresh()
        if records:
            for rid in list(idx.reports):
                recs = self.load_records(rid)
                for table in PARSED_TABLES:
                    recs.table(table)
        self.subscriptions()  # type: ignore[attr-defined]  # PgDelivery, beside this in PgStore
        self.sent_records()  # type: ignore[attr-defined]
        self.changes_since(None)

    # -- ingest ----------------------------------------------------------------------------
    def ingest(self, parsed: ParsedReport, force: bool = False) -> IngestOutcome:
        """Add a report, or replace the records of the same report (same content hash, or
        same office/title/date) — never duplicate them. A replacement that would lose most
        of a section raises ``IngestShrinkError`` unless ``force``. One transaction."""
        return self.ingest_many([parsed], force)[0]

    def ingest_many(self, parsed: list[ParsedReport], force: bool = False) -> list[IngestOutcome]:
        """Ingest several reports in one transaction, in order, each as ``ingest`` would;
        all or nothing (a refused shrink stops the batch unwritten). Nothing new: rolled
        back, so no replica rebuilds its indexes for it."""
        outcomes: list[IngestOutcome] = []
        try:
            with self._conn() as conn, conn.transaction():
                conn.execute("UPDATE store_state SET version = version + 1 WHERE id = 1")  # writers take turns
                outcomes = [self._ingest_in(conn, one, force) for one in parsed]
                if all(o.status == "unchanged" for o in outcomes):
                    raise _Unchanged
                conn.execute(NOTIFY_SQL, ("reports",))
        except _Unchanged:
            return outcomes
        self._changed("reports")
        return outcomes

    def _ingest_in(self, conn: psycopg.Connection[Any], parsed: ParsedReport, force: bool) -> IngestOutcome:
        """One report, inside the caller's transaction."""
        new = parsed.report
        existing = conn.execute(
            "SELECT id, summary FROM reports WHERE id = %s OR identity = %s ORDER BY seq", (new.id, new.identity)
        ).fetchall()
        if any(rid == new.id for rid, _ in existing):
            return IngestOutcome(report=new, status="unchanged")
        replaced = existing[0][0] if existing else None
        if replaced and not force:
            lost = shrinkage(self._counts(replaced, existing[0][1]), {t: len(getattr(parsed, t)) for t in SHRINK_SECTIONS})
            if lost:
                raise IngestShrinkError(new, lost)
        stamped = new.model_copy(update={"ingested_at": self.clock.now()})
        if existing:
            conn.execute("DELETE FROM reports WHERE id = ANY(%s)", ([rid for rid, _ in existing],))
        tables = record_tables(parsed)
        conn.execute(
            "INSERT INTO reports (id, identity, report_date, doc, summary) VALUES (%s, %s, %s, %s, %s)",
            (new.id, stamped.identity, new.report_date, Json(stamped.model_dump(mode="json")), Json(summarize(tables))),
        )
        self._copy_records(conn, new.id, tables)
        verb = "다시 반영" if replaced else "추가"
        self._record_change(conn, "report_ingested", f"보고서 {verb}: {new.org} {new.title} ({new.report_date.isoformat()})")
        return IngestOutcome(report=stamped, status="replaced" if replaced else "added", replaced_report_id=replaced)

    def _copy_records(self, conn: psycopg.Connection[Any], report_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        with conn.cursor() as cur, cur.copy("COPY report_records (report_id, tbl, pos, doc) FROM STDIN") as copy:
            for tbl, docs in tables.items():
                for pos, doc in enumerate(docs):
                    copy.write_row((report_id, tbl, pos, Json(doc)))

    def write_report_records(self, report_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Replace one stored report's records (the migration copies them this way)."""
        with self._conn() as conn, conn.transaction():
            conn.execute("DELETE FROM report_records WHERE report_id = %s", (report_id,))
            self._copy_records(conn, report_id, tables)
        self._records.drop(report_id)

    def _counts(self, report_id: str, summary: Any) -> dict[str, int]:
        if isinstance(summary, dict) and isinstance(summary.get("counts"), dict):
            return summary["counts"]
        recs = self.load_records(report_id)
        return {t: len(getattr(recs, t)) for t in SHRINK_SECTIONS}

    def remove_report(self, report_id: str) -> bool:
        with self._write("reports") as conn:
            gone = conn.execute("DELETE FROM reports WHERE id = %s", (report_id,)).rowcount
        return bool(gone)

    # -- summaries and derived indexes -------------------------------------------------------
    def _summary(self, report_id: str) -> dict[str, Any]:
        return self.fresh().summaries.get(report_id) or {}

    def report_summary(self, report_id: str) -> dict[str, Any]:
        """What the catalogue keeps of a report (``summarize``): counts, names in printed
        order, milestone dates. Reads no records."""
        return self._summary(report_id)

    def name_index(self) -> NameIndex:
        """Every department, program, budget row and office name in one choice list."""
        idx = self.fresh()
        if idx.names is None:
            names = NameIndex()
            for rid, r in idx.reports.items():
                s = idx.summaries.get(rid) or {}
                names.add("org", r.org, rid)
                for kind, field_ in (("dept", "depts"), ("budget_dept", "budget_depts"), ("program", "programs"), ("row", "rows")):
                    for label in s.get(field_, []):
                        names.add(kind, label, rid)
            for m in idx.manual:
                if m.dept:
                    names.add("dept", m.dept, "")
            idx.names = names
        return idx.names

    def milestone_index(self) -> MilestoneIndex:
        idx = self.fresh()
        if idx.milestone_index is None:
            entries: list[tuple[date, date, str, int]] = []
            for rid in idx.reports:
                for i, (start, end) in enumerate((idx.summaries.get(rid) or {}).get("ms", [])):
                    first = date.fromisoformat(start)
                    entries.append((first, date.fromisoformat(end) if end else first, rid, i))
            for i, m in enumerate(idx.manual):
                entries.append((m.start, m.end or m.start, "", i))
            idx.milestone_index = MilestoneIndex.build(entries)
        return idx.milestone_index

    # -- records ---------------------------------------------------------------------------
    def load_records(self, report_id: str) -> Records:
        """A report's records: each table read and validated when first asked for, kept
        while the report is recently read (within ``RECORDS_KEPT`` records, as the TinyDB
        store keeps them). They never change: the report id is the content hash."""
        recs = self._records.get(report_id)
        if recs is not None:
            return recs
        recs = Records(fetch=lambda table: self._fetch_table(report_id, table), cache=self._records)
        self._records.put(report_id, recs)
        return recs

    def _fetch_table(self, report_id: str, table: str) -> list[Any]:
        """One table of one report as models (None for a bad record: skipped with a notice)."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT pos, doc FROM report_records WHERE report_id = %s AND tbl = %s ORDER BY pos", (report_id, table)
            ).fetchall()
        self.report_reads += 1
        model = PARSED_TABLES[table]
        was = gc.isenabled()
        gc.disable()  # many long-lived objects at once: the cyclic collector would walk them again and again
        try:
            return [self._valid(table, doc, model, key=f"{report_id[:12]}/{table}/{pos}") for pos, doc in rows]
        finally:
            if was:
                gc.enable()

    def _audit_items_of(self, report_id: str) -> list[AuditItem]:
        """A report's follow-ups with the status people recorded (survives re-ingest)."""
        idx = self.fresh()
        cached = idx.audit_items.get(report_id)
        if cached is not None:
            return cached
        items = list(self.load_records(report_id).audit_items)
        report = idx.reports.get(report_id)
        if report is not None and (idx.overrides or idx.stable):
            for i, item in enumerate(items):
                o = (
                    idx.overrides.get((report.identity, item.kind, item.number))
                    or idx.stable.get(audit_identity(report, item.kind, item.number))
                    or idx.overrides.get((report.identity, None, item.number))
                )
                if o:
                    items[i] = item.model_copy(update={"status": AuditStatus(o["status"]), "action": o.get("note") or item.action})
        idx.audit_items[report_id] = items
        return items

    def _by_report(self, records_of: Callable[[str], list[Any]], report_id: str | None) -> list[Any]:
        """One report's records, or every report's, newest report first."""
        if report_id is not None:
            if report_id not in self.fresh().reports:
                return []
            return list(records_of(report_id))
        return [rec for r in list(self.fresh().newest) for rec in records_of(r.id)]

    # -- reads -----------------------------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, newest first."""
        return list(self.fresh().newest)

    def report(self, report_id: str) -> Report | None:
        return self.fresh().reports.get(report_id)

    def departments(self, report_id: str | None = None) -> list[Department]:
        return self._by_report(lambda rid: self.load_records(rid).departments, report_id)

    def budget_lines(self, report_id: str | None = None) -> list[BudgetLine]:
        return self._by_report(lambda rid: self.load_records(rid).budget_lines, report_id)

    def programs(self, report_id: str | None = None) -> list[Program]:
        return self._by_report(lambda rid: self.load_records(rid).programs, report_id)

    def audit_items(self, report_id: str | None = None) -> list[AuditItem]:
        return self._by_report(self._audit_items_of, report_id)

    def has_audit(self, report_id: str) -> bool:
        counts = self._summary(report_id).get("counts") or {}
        return bool(counts.get("audit_items") or counts.get("audit_summaries"))


    # -- people's edits ----------------------------------------------------------------------
    def add_manual_milestone(self, m: Milestone) -> Milestone:
        with self._write("milestones") as conn:
            row = conn.execute("SELECT coalesce(max(manual_id), 0) + 1 FROM manual_milestones").fetchone()
            saved = m.model_copy(update={"manual_id": int(row[0]) if row else 1, "source": None})
            conn.execute(
                "INSERT INTO manual_milestones (manual_id, doc) VALUES (%s, %s)", (saved.manual_id, Json(saved.model_dump(mode="json")))
            )
            self._record_change(conn, "milestone_added", f"일정 추가: {saved.start.isoformat()} {saved.title}")
        return saved

    def remove_manual_milestone(self, manual_id: int) -> Milestone | None:
        with self._write("milestones") as conn:
            row = conn.execute("DELETE FROM manual_milestones WHERE manual_id = %s RETURNING doc", (manual_id,)).fetchone()
            if row is None:
                return None
            m = Milestone.model_validate(row[0])
            self._record_change(conn, "milestone_removed", f"일정 삭제: {m.start.isoformat()} {m.title}")
        return m

    def set_audit_status(
        self, report_id: str, number: int, status: AuditStatus, note: str | None, by: str | None, kind: str | None = None
    ) -> AuditItem | None:
        """Record a follow-up's status by report, kind and number, so it survives a re-ingest."""
        report = self.report(report_id)
        item = next((a for a in self.audit_items(report_id) if a.number == number and kind in (None, a.kind)), None)
        if report is None or item is None:
            return None
        doc = {
            "report_identity": report.identity,
            "identity": audit_identity(report, item.kind, number),
            "kind": item.kind,
            "number": number,
            "status": status.value,
            "note": note,
            "by": by,
            "at": self.clock.now().isoformat(),
        }
        with self._write("audit") as conn:
            conn.execute(
                "INSERT INTO audit_status (report_identity, kind, number, identity, doc) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (report_identity, coalesce(kind, ''), number)"
                " DO UPDATE SET identity = EXCLUDED.identity, doc = EXCLUDED.doc",
                (report.identity, item.kind, number, doc["identity"], Json(doc)),
            )
            self._record_change(conn, "audit_status", f"감사 후속조치 {number}번 상태 변경: {item.status.value} → {status.value}")
        return item.model_copy(update={"status": status, "action": note or item.action})

    # -- the change log and meta ---------------------------------------------------------------
    def _record_change(self, conn: psycopg.Connection[Any], kind: str, summary: str) -> None:
        """One change event, inside the caller's transaction. Writers of the log take turns
        (a transaction lock held to commit), so events commit in ``seq`` order and a reader
        that has seen ``seq`` n never misses a later commit with a smaller one."""
        ev = ChangeEvent(at=self.clock.now(), kind=kind, summary=summary)
        conn.execute(LOCK_SQL, (LOCK_CHANGES,))
        conn.execute("INSERT INTO changes (at, doc) VALUES (%s, %s)", (ev.at, Json(ev.model_dump(mode="json"))))

    def log_change(self, kind: str, summary: str) -> None:
        with self._write("changes", bump=False) as conn:
            self._record_change(conn, kind, summary)

    def changes_since(self, since: datetime | None) -> list[ChangeEvent]:
        """The change log after ``since`` (all of it for None). The log only grows: events
        are kept in memory and only those committed since the last call are read (the
        digest asks every time; a large store has thousands)."""
        with self._changes_lock:
            with self._conn() as conn:
                rows = conn.execute("SELECT seq, doc FROM changes WHERE seq > %s ORDER BY seq", (self._changes_seq,)).fetchall()
            for seq, doc in rows:
                ev = self._valid("changes", doc, ChangeEvent, key=str(seq))
                if ev is not None:
                    self._changes.append(ev)
                self._changes_seq = max(self._changes_seq, int(seq))
            events = list(self._changes)
        return [e for e in events if since is None or e.at > since]

    def get_meta(self, key: str) -> Any:
        with self._conn() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: Any) -> None:
        with self._write("meta", bump=False) as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (key, Json(value)),
            )


class _Unchanged(Exception):
    """Every report of a batch is stored already: roll back, nothing written."""
