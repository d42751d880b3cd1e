"""A report's parsed records in memory: each table read from the report's file and
validated the first time a lookup asks for it (``/budget`` never validates a program's
prose), and only for the reports recently asked about — weighed by records held, the
least recently used dropped first — so memory follows what is asked, not the corpus."""

from __future__ import annotations

import contextlib
import gc
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from bot.models import AuditItem, AuditSummary, BudgetLine, Department, Milestone, Program
from bot.store.files import StoreFile
from bot.store.jsonfile import StoreCorruptError, read_tree
from bot.store.reportfiles import report_file

# Tables of a report file, one document per record, and the model each holds.
PARSED_TABLES: dict[str, type[BaseModel]] = {
    "departments": Department,
    "budget_lines": BudgetLine,
    "programs": Program,
    "audit_items": AuditItem,
    "audit_summaries": AuditSummary,
    "milestones": Milestone,
}
RECORDS_KEPT = 50_000  # records (models) held for recently used reports: ~100 MB (bench 1,000×: peak RSS 610 → 395 MB at 150,000 → 50,000, p99 unchanged)


@contextlib.contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Building an index makes many long-lived objects at once, and the cyclic garbage
    collector walks every live object again and again meanwhile (over half of opening a
    1,000-report store went to it). Paused while building. ``freeze`` (the catalogue's
    indexes, built when the reports change): what is alive then is frozen (``gc.freeze``),
    so later collections do not walk the corpus — it is still freed by reference counting,
    nothing built here being a cycle. Not for every report read: a garbage cycle alive at
    a freeze is never collected, so freezes stay as rare as changes to the reports."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if freeze:
                gc.freeze()
            gc.enable()


class ReportRecords:
    """One report's records by table, each validated on first use (see module doc)."""

    def __init__(self, report_id: str, cache: RecordCache) -> None:
        self.report_id = report_id
        self._cache = cache
        self._tables: dict[str, list[Any]] = {}
        self.weight = 0  # records held
        self.derived: dict[Any, Any] = {}  # Store.report_cached: per-report indexes

    def load(self, *tables: str) -> None:
        """Read the file once for every table named that is not in memory yet."""
        wanted = [t for t in tables if t not in self._tables]
        if not wanted:
            return
        file = self._cache.file
        path = report_file(file.path, self.report_id)
        try:
            tree = read_tree(path)
        except (OSError, StoreCorruptError) as exc:
            file.skip("reports", self.report_id, f"report file {path.name}: {getattr(exc, 'reason', None) or type(exc).__name__}")
            tree = {}
        self._cache.reads += 1
        added = 0
        with gc_paused():
            for table in wanted:
                model = PARSED_TABLES[table]
                rows: list[Any] = [
                    file.valid(table, doc, model, doc_id=f"{self.report_id[:12]}/{doc_id}")
                    for doc_id, doc in (tree.get(table) or {}).items()
                ]
                if table == "budget_lines":
                    rows = [r for r in rows if r is not None]
                    rows.sort(key=lambda b: (b.table, b.order))
                self._tables[table] = rows  # milestones keep None: the summary's milestone i is the file's i-th
                added += len(rows)
        self.weight += added
        self._cache.grew(self, added)

    def _table(self, name: str) -> list[Any]:
        self.load(name)
        return self._tables[name]

    @property
    def departments(self) -> list[Department]:
        return [r for r in self._table("departments") if r is not None]

    @property
    def budget_lines(self) -> list[BudgetLine]:
        return self._table("budget_lines")

    @property
    def programs(self) -> list[Program]:
        return [r for r in self._table("programs") if r is not None]

    @property
    def audit_items(self) -> list[AuditItem]:
        return [r for r in self._table("audit_items") if r is not None]

    @property
    def audit_summaries(self) -> AuditSummary | None:
        return next((r for r in self._table("audit_summaries") if r is not None), None)

    @property
    def slots(self) -> list[Milestone | None]:
        """Milestones by position in the file (a bad one None)."""
        return self._table("milestones")

    @property
    def milestones(self) -> list[Milestone]:
        return [r for r in self._table("milestones") if r is not None]


class RecordCache:
    """``ReportRecords`` of the reports recently used, at most ``kept`` records in all."""

    def __init__(self, file: StoreFile, kept: int = RECORDS_KEPT) -> None:
        self.file = file
        self.kept = kept
        self.reads = 0  # report files read (tests and bench read it)
        self.weight = 0
        self._lru: OrderedDict[str, ReportRecords] = OrderedDict()

    def get(self, report_id: str) -> ReportRecords:
        recs = self._lru.get(report_id)
        if recs is None:
            recs = self._lru[report_id] = ReportRecords(report_id, self)
        else:
            self._lru.move_to_end(report_id)
        return recs

    def grew(self, recs: ReportRecords, added: int) -> None:
        """Records were loaded into ``recs``: drop the least recently used others over the limit."""
        self.weight += added
        while self.weight > self.kept and len(self._lru) > 1:
            rid, oldest = next(iter(self._lru.items()))
            if oldest is recs:
                self._lru.move_to_end(rid)
                continue
            del self._lru[rid]
            self.weight -= oldest.weight
