"""What the PostgreSQL store keeps in memory: the catalogue's indexes (one per state of the
store) and the records of recently read reports (a budget of records, least recently read
dropped first — memory follows what is asked, not the corpus, as in the TinyDB store).
Kept here, not shared with the TinyDB store's internals, so either can change alone."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.models import AuditItem, AuditSummary, BudgetLine, Department, Milestone, ParsedReport, Program, Report
from bot.store import MilestoneIndex, NameIndex

RECORDS_KEPT = 150_000  # parsed records (models) kept for recently read reports


@dataclass
class Records:
    """One report's parsed records, as models (read once, on demand)."""

    departments: list[Department] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    audit_items: list[AuditItem] = field(default_factory=list)
    audit_summaries: AuditSummary | None = None
    milestones: list[Milestone] = field(default_factory=list)
    slots: list[Milestone | None] = field(default_factory=list)  # by stored position (bad ones None)
    derived: dict[Any, Any] = field(default_factory=dict)  # report_cached: per-report indexes
    size: int = 0  # records held


@dataclass
class Catalogue:
    """The catalogue and people's edits, grouped the ways lookups ask for them."""

    reports: dict[str, Report] = field(default_factory=dict)  # catalogue (ingest) order
    newest: list[Report] = field(default_factory=list)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: NameIndex | None = None
    milestone_index: MilestoneIndex | None = None
    manual: list[Milestone] = field(default_factory=list)
    overrides: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    stable: dict[str, dict[str, Any]] = field(default_factory=dict)
    audit_items: dict[str, list[AuditItem]] = field(default_factory=dict)  # with people's status changes
    derived: dict[Any, Any] = field(default_factory=dict)  # cached(): handlers' indexes of this state


class RecordCache:
    """Records of recently read reports, within a budget of ``kept`` records. Locked: the
    command worker, the scheduler and the change listener may read at once."""

    def __init__(self, kept: int = RECORDS_KEPT) -> None:
        self.kept = kept
        self.held = 0
        self._lru: OrderedDict[str, Records] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, report_id: str) -> Records | None:
        with self._lock:
            recs = self._lru.get(report_id)
            if recs is not None:
                self._lru.move_to_end(report_id)
            return recs

    def put(self, report_id: str, recs: Records) -> None:
        with self._lock:
            old = self._lru.pop(report_id, None)
            self.held += recs.size - (old.size if old else 0)
            self._lru[report_id] = recs
            while self.held > self.kept and len(self._lru) > 1:
                _, dropped = self._lru.popitem(last=False)
                self.held -= dropped.size

    def drop(self, report_id: str) -> None:
        with self._lock:
            old = self._lru.pop(report_id, None)
            if old is not None:
                self.held -= old.size


def record_tables(parsed: ParsedReport) -> dict[str, list[dict[str, Any]]]:
    """A parsed report's records as the JSON documents the store keeps."""
    tables = {
        name: [r.model_dump(mode="json") for r in getattr(parsed, name)]
        for name in ("departments", "budget_lines", "programs", "audit_items", "milestones")
    }
    tables["audit_summaries"] = [parsed.audit_summary.model_dump(mode="json")] if parsed.audit_summary else []
    return tables
