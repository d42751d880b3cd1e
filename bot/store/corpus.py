"""The corpus: which reports the store holds, ingesting and removing them, and reading
their records through the catalogue's indexes.

The catalogue (which reports there are) sits in the store file, each report's summary in
the summaries file, its records in its own file: an ingest writes its report's file and
summary line and replaces the small store file once per batch, whatever the corpus holds.
A report's records are read table by table when asked for (``records``). The indexes
(names, milestone dates, newest first) are rebuilt when the store file's ``generation``
moves on (the reports or people's edits changed)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tinydb import Query

from bot.keys import audit_identity
from bot.models import (
    AuditItem,
    AuditStatus,
    ParsedReport,
    Report,
)
from bot.store.edits import load_edits
from bot.store.files import StoreFile
from bot.store.index import CatalogueIndex, MilestoneIndex, NameIndex
from bot.store.journal import Journal
from bot.store.jsonfile import fsync_dir
from bot.store.reads import CorpusReads
from bot.store.records import PARSED_TABLES, RecordCache, ReportRecords, gc_paused
from bot.store.reportfiles import complete, reports_dir, summarize, write_report_file
from bot.store.summaries import SummaryFile

log = logging.getLogger("bot.store")

# What a new version of a stored report may lose before it is refused without --force.
SHRINK_SECTIONS = {"budget_lines": "예산", "programs": "주요업무", "audit_items": "감사", "milestones": "일정"}


@dataclass
class IngestOutcome:
    report: Report
    status: str  # added | replaced | unchanged
    replaced_report_id: str | None = None


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


def record_tables(parsed: ParsedReport) -> dict[str, list[dict[str, Any]]]:
    """A parsed report's records as the JSON documents of its report file."""
    tables = {
        name: [r.model_dump(mode="json") for r in getattr(parsed, name)]
        for name in ("departments", "budget_lines", "programs", "audit_items", "milestones")
    }
    tables["audit_summaries"] = [parsed.audit_summary.model_dump(mode="json")] if parsed.audit_summary else []
    return tables


def _without_summary(doc: MutableMapping[str, Any]) -> None:
    doc.pop("summary", None)


class _Batch:
    """The catalogue as an ingest batch changes it: which reports are live (by id and by
    identity), catalogue documents to drop and to add, summaries and change events."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.live: dict[str, dict[str, Any]] = {}
        self.doc_ids: dict[str, int] = {}
        self.by_identity: dict[str, list[str]] = defaultdict(list)
        self.removed: list[int] = []
        self.new: list[dict[str, Any]] = []
        self.summaries: dict[str, dict[str, Any]] = {}
        self.events: list[tuple[str, str]] = []
        for doc_id, doc in table.items():  # the raw table (no Document per entry: 5,000 of them cost)
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                self.live.setdefault(doc["id"], doc)
                self.doc_ids.setdefault(doc["id"], int(doc_id))
                if isinstance(doc.get("identity"), str):
                    self.by_identity[doc["identity"]].append(doc["id"])

    def drop(self, doc: dict[str, Any]) -> None:
        """Drop a report from the catalogue. Its file stays: an older backup of the
        catalogue may name it (restoring one must find its records)."""
        self.live.pop(doc["id"], None)
        if doc["id"] in self.doc_ids:
            self.removed.append(self.doc_ids.pop(doc["id"]))

    def add(self, doc: dict[str, Any], summary: dict[str, Any]) -> None:
        self.live[doc["id"]] = doc
        self.by_identity[doc["identity"]].append(doc["id"])
        self.new.append(doc)
        self.summaries[doc["id"]] = summary


class Corpus(CorpusReads):
    """The reports and their records, over the store file's catalogue (``reports``)."""

    def __init__(self, file: StoreFile, now: Callable[[], datetime], journal: Journal) -> None:
        self.file = file
        self.now = now
        self.journal = journal
        self._index: CatalogueIndex | None = None
        self._index_generation = -1
        self.summaries = SummaryFile(file.path)
        self.records = RecordCache(file)

    # -- the catalogue's state ---------------------------------------------------------
    def fresh(self) -> CatalogueIndex:
        """The indexes of the store as it is now (another process's write included)."""
        self.file.catch_up()
        if self._index is None or self._index_generation != self.file.generation:
            self._index_generation = self.file.generation
            with gc_paused(freeze=True):
                self._index = self._build_index()
        return self._index

    def _build_index(self) -> CatalogueIndex:
        """The catalogue as indexes: reports, names, milestone dates, people's edits.
        Reads no report file."""
        idx = CatalogueIndex()
        self.summaries.refresh()
        for doc_id, doc in self.file.raw("reports").items():
            r = self.file.valid("reports", doc, Report, drop=("identity", "summary"), doc_id=doc_id)
            if r is not None:
                idx.reports[r.id] = r
                summary = self.summaries.get(r.id) or doc.get("summary")  # in the catalogue: a store of 996b5cb
                idx.summaries[r.id] = summary if isinstance(summary, dict) else {}
        idx.newest = sorted(idx.reports.values(), key=lambda r: (r.report_date, r.id), reverse=True)
        load_edits(self.file, idx)
        return idx

    def is_empty(self) -> bool:
        self.file.catch_up()
        return not self.file.table("reports")

    # -- ingest ------------------------------------------------------------------------
    def ingest(self, parsed: ParsedReport, force: bool = False) -> IngestOutcome:
        """Add a report, or replace the records of the same report (same content hash,
        or same office/title/date) — never duplicate them. A replacement that would lose
        most of a section (a truncated copy) raises ``IngestShrinkError`` unless ``force``."""
        return self.ingest_many([parsed], force)[0]

    def ingest_many(self, batch: list[ParsedReport], force: bool = False) -> list[IngestOutcome]:
        """Ingest several reports in one commit of the catalogue, in order, each as
        ``ingest`` would; all or nothing (a refused shrink stops the batch unwritten).
        Costs what the batch holds: each report's own file and summary line are written,
        the store file (which reports there are, people's edits) replaced once."""
        with self.file.write("reports"):
            state = _Batch(self.file.raw("reports"))
            outcomes = [self._ingest_unlocked(parsed, force, state) for parsed in batch]
            kept = [doc for doc in state.new if doc["id"] in state.live]
            # report files are written (the folder synced once), then their summaries, then
            # the catalogue: its replace at the end of this block is the commit
            if state.new:
                fsync_dir(reports_dir(self.file.path))
            self.summaries.append({doc["id"]: state.summaries[doc["id"]] for doc in kept})
            reports = self.file.table("reports")
            if state.removed:
                reports.remove(doc_ids=state.removed)
            if kept:
                reports.insert_multiple(kept)
            self.journal.record_many(state.events)
        return outcomes

    def _ingest_unlocked(self, parsed: ParsedReport, force: bool, state: _Batch) -> IngestOutcome:
        """One report of a batch: its file written, the catalogue's change noted in ``state``."""
        new = parsed.report
        if new.id in state.live:
            return IngestOutcome(report=new, status="unchanged")
        existing = [state.live[rid] for rid in state.by_identity.get(new.identity, []) if rid in state.live]
        replaced = existing[0]["id"] if existing else None
        if replaced and not force:
            old_counts = state.summaries.get(replaced, {}).get("counts") or self._counts(existing[0])
            new_counts = {t: len(getattr(parsed, t)) for t in SHRINK_SECTIONS}
            lost = shrinkage(old_counts, new_counts)
            if lost:
                raise IngestShrinkError(new, lost)
        stamped = new.model_copy(update={"ingested_at": self.now()})
        for old in existing:
            state.drop(old)
        tables = record_tables(parsed)
        # the report's own file (content-addressed: an orphan if we die before the commit)
        write_report_file(self.file.path, new.id, tables, sync_dir=False)
        state.add({**stamped.model_dump(mode="json"), "identity": stamped.identity}, summarize(tables))
        verb = "다시 반영" if replaced else "추가"
        state.events.append(("report_ingested", f"보고서 {verb}: {new.org} {new.title} ({new.report_date.isoformat()})"))
        return IngestOutcome(report=stamped, status="replaced" if replaced else "added", replaced_report_id=replaced)

    def write_report_records(self, report_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Write one report's records to its own TinyDB file (atomic, 0600)."""
        write_report_file(self.file.path, report_id, tables)

    def _counts(self, doc: dict[str, Any]) -> dict[str, int]:
        summary = self.summaries.get(doc["id"]) or doc.get("summary")
        if isinstance(summary, dict) and isinstance(summary.get("counts"), dict):
            return summary["counts"]
        recs = self.load_records(doc["id"])
        return {t: len(getattr(recs, t)) for t in SHRINK_SECTIONS}

    def _delete_report_records(self, report_id: str) -> None:
        """Drop the report from the catalogue. Its file stays: an older backup of the
        catalogue may name it (restoring one must find its records)."""
        self.file.table("reports").remove(Query().id == report_id)

    def remove_report(self, report_id: str) -> bool:
        with self.file.write("reports"):
            if not self.file.table("reports").contains(Query().id == report_id):
                return False
            self._delete_report_records(report_id)
        return True

    # -- summaries ---------------------------------------------------------------------
    def write_back_summaries(self) -> int:
        """At open: every stored report's summary into the summaries file, once. Those of
        a store written before the summaries had their own file (in the catalogue, or
        without "ms"/"order") are moved or made from the report files, and the catalogue
        is written back without them — so the next open reads no report file and a write
        no longer carries every summary. Dead lines are compacted away. A store that
        cannot be written (a read-only copy) keeps doing this in memory. Returns how many
        summaries were written."""
        idx = self.fresh()
        missing = [rid for rid in idx.reports if not complete(self.summaries.get(rid))]
        made = {rid: self.summary(rid, idx) for rid in missing}
        made = {rid: s for rid, s in made.items() if ("reports", rid) not in self.file.skipped}  # an unreadable file: not made permanent
        strip = [
            int(doc_id)
            for doc_id, d in self.file.raw("reports").items()
            if isinstance(d, dict) and "summary" in d and (d.get("id") in made or complete(self.summaries.get(str(d.get("id")))))
        ]
        if not made and not strip and not self.summaries.wants_compacting(idx.reports):
            return 0
        try:
            with self.file.write("summaries"):
                self.summaries.append(made)
                if strip:
                    self.file.table("reports").update(_without_summary, doc_ids=strip)
                self.summaries.compact({str(d.get("id")) for d in self.file.raw("reports").values() if isinstance(d, dict)})
        except OSError as exc:
            log.warning("store %s: summaries not written back (%s); made from the report files each open", self.file.path, exc)
            return 0
        if made:
            log.info("store %s: wrote back the summaries of %d reports", self.file.path, len(made))
        return len(made)

    def summary(self, report_id: str, idx: CatalogueIndex | None = None) -> dict[str, Any]:
        """A report's catalogue summary (``summarize``): counts, names in printed order,
        milestone dates. One written before summaries had them is made from its file.
        ``idx``: the state a caller already holds (no ``stat`` per report in a loop)."""
        idx = idx or self.fresh()
        summary = idx.summaries.get(report_id)
        if summary is not None and complete(summary):
            return summary
        summary = summary or {}
        if not complete(summary) and report_id in idx.reports:  # "order": since the handlers' name pools
            recs = self.load_records(report_id)
            recs.load(*PARSED_TABLES)  # one read of the file for every table
            tables = {t: [r.model_dump(mode="json") for r in getattr(recs, t)] for t in ("departments", *SHRINK_SECTIONS)}
            tables["milestones"] = [m.model_dump(mode="json") if m else {"start": "9999-12-31"} for m in recs.slots]
            summary = summarize(tables)
            idx.summaries[report_id] = summary
        return summary

    # -- derived indexes ---------------------------------------------------------------
    def name_index(self) -> NameIndex:
        """Every department, program, budget row and office name in one choice list."""
        idx = self.fresh()
        if idx.names is None:
            with gc_paused(freeze=True):
                idx.names = self._name_index(idx)
        return idx.names

    def _name_index(self, idx: CatalogueIndex) -> NameIndex:
        names = NameIndex()
        for rid, r in idx.reports.items():
            s = self.summary(rid, idx)
            names.add("org", r.org, rid)
            for kind, field_ in (("dept", "depts"), ("budget_dept", "budget_depts"), ("program", "programs"), ("row", "rows")):
                for label in s.get(field_, []):
                    names.add(kind, label, rid)
        for m in idx.manual:
            if m.dept:
                names.add("dept", m.dept, "")
        return names

    def milestone_index(self) -> MilestoneIndex:
        idx = self.fresh()
        if idx.milestone_index is None:
            entries: list[tuple[str, str | None, str, int]] = []
            for rid in idx.reports:
                entries.extend((start, end, rid, i) for i, (start, end) in enumerate(self.summary(rid, idx).get("ms", [])))
            for i, m in enumerate(idx.manual):
                entries.append((m.start.isoformat(), m.end.isoformat() if m.end else None, "", i))
            with gc_paused(freeze=True):
                idx.milestone_index = MilestoneIndex.build_iso(entries)
        return idx.milestone_index

    # -- records -----------------------------------------------------------------------
    def load_records(self, report_id: str) -> ReportRecords:
        """A report's records: each table read from its file and validated on first use,
        then kept while the report is among those recently used. A missing or unreadable
        file is a skipped record with a notice, never fatal."""
        return self.records.get(report_id)

    @property
    def report_reads(self) -> int:
        return self.records.reads

    def audit_items_of(self, report_id: str) -> list[AuditItem]:
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
                    items[i] = item.model_copy(
                        update={"status": AuditStatus(o["status"]), "action": o.get("note") or item.action}
                    )
        idx.audit_items[report_id] = items
        return items

    def by_report(self, records_of: Callable[[str], list[Any]], report_id: str | None) -> list[Any]:
        """One report's records, or every report's, newest report first."""
        if report_id is not None:
            if report_id not in self.fresh().reports:
                return []
            return list(records_of(report_id))
        return [rec for r in list(self.fresh().newest) for rec in records_of(r.id)]

    # -- reads -------------------------------------------------------------------------
    def has_audit(self, report_id: str) -> bool:
        counts = self.summary(report_id).get("counts") or {}
        return bool(counts.get("audit_items") or counts.get("audit_summaries"))

