"""What the PostgreSQL store keeps in memory: the catalogue's indexes (one per state of the
store) and the records of recently read reports (a budget of records, least recently read
dropped first — memory follows what is asked, not the corpus, as in the TinyDB store).
Kept here, not shared with the TinyDB store's internals, so either can change alone."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.models import AuditItem, AuditSummary, BudgetLine, Department, Milestone, Program
from bot.store.index import CatalogueIndex

RECORDS_KEPT = 50_000  # parsed records (models) kept for recently read reports (as the TinyDB store)


class Records:
    """One report's parsed records, as models: each table read and validated the first
    time a lookup asks for it (``/budget`` never validates a program's prose), then kept
    while the report is recently read (``RecordCache``)."""

    def __init__(self, fetch: Callable[[str], list[Any]] | None = None, cache: RecordCache | None = None, size: int = 0) -> None:
        self._fetch = fetch  # table name -> its records as models, None for a bad one
        self._cache = cache
        self._tables: dict[str, list[Any]] = {}
        self.derived: dict[Any, Any] = {}  # report_cached: per-report indexes
        self.size = size  # records held

    def table(self, name: str) -> list[Any]:
        rows = self._tables.get(name)
        if rows is None:
            rows = self._fetch(name) if self._fetch else []
            if name == "budget_lines":
                rows = sorted((b for b in rows if b is not None), key=lambda b: (b.table, b.order))
            self._tables[name] = rows
            self.size += len(rows)
            if self._cache is not None:
                self._cache.grew(len(rows))
        return rows

    def _valid(self, name: str) -> list[Any]:
        return [r for r in self.table(name) if r is not None]

    @property
    def departments(self) -> list[Department]:
        return self._valid("departments")

    @property
    def budget_lines(self) -> list[BudgetLine]:
        return self.table("budget_lines")

    @property
    def programs(self) -> list[Program]:
        return self._valid("programs")

    @property
    def audit_items(self) -> list[AuditItem]:
        return self._valid("audit_items")

    @property
    def audit_summaries(self) -> AuditSummary | None:
        found = self._valid("audit_summaries")
        return found[0] if found else None

    @property
    def slots(self) -> list[Milestone | None]:
        """Milestones by stored position (a bad one None): the summary's i-th is the i-th."""
        return self.table("milestones")

    @property
    def milestones(self) -> list[Milestone]:
        return self._valid("milestones")


# The catalogue and people's edits grouped the ways lookups ask for them: the same index
# as the file store's, built from rows instead of the catalogue file.
Catalogue = CatalogueIndex


class RecordCache:
    """Records of recently read reports, within a budget of ``kept`` records. Locked: the
    command worker, the scheduler and the change listener may read at once."""

    def __init__(self, kept: int = RECORDS_KEPT) -> None:
        self.kept = kept
        self.held = 0
        self._lru: OrderedDict[str, Records] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, report_id: str) -> Records | None:
        recs = self._lru.get(report_id)  # a hit takes no lock (OrderedDict's C methods are atomic)
        if recs is not None:
            with contextlib.suppress(KeyError):  # dropped meanwhile by another thread: still valid here
                self._lru.move_to_end(report_id)
        return recs

    def put(self, report_id: str, recs: Records) -> None:
        with self._lock:
            old = self._lru.pop(report_id, None)
            self.held += recs.size - (old.size if old else 0)
            self._lru[report_id] = recs
            self._evict()

    def grew(self, n: int) -> None:
        """A held report read another table: keep within the budget (the newest stays)."""
        with self._lock:
            self.held += n
            self._evict()

    def _evict(self) -> None:
        while self.held > self.kept and len(self._lru) > 1:
            _, dropped = self._lru.popitem(last=False)
            self.held -= dropped.size

    def drop(self, report_id: str) -> None:
        with self._lock:
            old = self._lru.pop(report_id, None)
            if old is not None:
                self.held -= old.size
