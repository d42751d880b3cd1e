"""The reads both store backends answer the same way: from the catalogue's indexes (built
once per state) and the records of only the reports an index points to. A backend supplies
the four hooks; how it keeps the catalogue and loads records is its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from bot.keys import name_key
from bot.models import AuditSummary, BudgetLine, Milestone, Program, Report
from bot.store.index import CatalogueIndex, MilestoneIndex, NameIndex


class LoadedRecords(Protocol):
    """One report's records as the reads need them (TinyDB ``ReportRecords``, PostgreSQL ``Records``)."""

    @property
    def budget_lines(self) -> list[BudgetLine]: ...
    @property
    def programs(self) -> list[Program]: ...
    @property
    def audit_summaries(self) -> AuditSummary | None: ...
    @property
    def slots(self) -> list[Milestone | None]: ...
    @property
    def derived(self) -> dict[Any, Any]: ...


class CorpusReads:
    """Mixed into each backend's corpus; the hooks below are the backend's."""

    def fresh(self) -> CatalogueIndex:
        raise NotImplementedError

    def name_index(self) -> NameIndex:
        raise NotImplementedError

    def milestone_index(self) -> MilestoneIndex:
        raise NotImplementedError

    def load_records(self, report_id: str) -> LoadedRecords:
        raise NotImplementedError

    def cached(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per state of the store (until the next write, here or by another
        process or replica): a handler's index (a name pool, a lookup table)."""
        derived = self.fresh().derived
        if key not in derived:
            derived[key] = build()
        return derived[key]

    def report_cached(self, report_id: str, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per report (its records never change)."""
        derived = self.load_records(report_id).derived
        if key not in derived:
            derived[key] = build()
        return derived[key]

    def budget_lines_for_dept(self, dept: str) -> list[BudgetLine]:
        """A department's budget lines in every report (reads only the reports naming it)."""
        key = name_key(dept)
        rids = self.name_index().report_ids("budget_dept", dept)
        return [b for rid in rids for b in self.load_records(rid).budget_lines if b.dept and name_key(b.dept) == key]

    def budget_lines_named(self, name: str) -> list[BudgetLine]:
        """Budget rows printed as ``name``, newest report first."""
        key = name_key(name)
        rids = set(self.name_index().report_ids("row", name))
        return [b for r in self.fresh().newest if r.id in rids for b in self.load_records(r.id).budget_lines if name_key(b.name) == key]

    def programs_titled(self, title: str) -> list[Program]:
        """Programs of that title in every report (reads only the reports holding it)."""
        key = name_key(title)
        rids = self.name_index().report_ids("program", title)
        return [p for rid in rids for p in self.load_records(rid).programs if name_key(p.title) == key]

    def programs_of_dept(self, dept: str) -> list[Program]:
        """A department's programs, newest report first."""
        key = name_key(dept)
        rids = set(self.name_index().report_ids("dept", dept))
        return [p for r in self.fresh().newest if r.id in rids for p in self.load_records(r.id).programs if p.dept and name_key(p.dept) == key]

    def reports_naming(self, kind: str, name: str) -> list[Report]:
        """Reports in which ``name`` occurs as ``kind``, newest first (no records read)."""
        rids = set(self.name_index().report_ids(kind, name))
        return [r for r in self.fresh().newest if r.id in rids]

    def audit_summary(self, report_id: str) -> AuditSummary | None:
        if report_id not in self.fresh().reports:
            return None
        return self.load_records(report_id).audit_summaries

    def milestones(self, start: date | None = None, end: date | None = None) -> list[Milestone]:
        """Parsed and hand-added milestones overlapping the window, soonest first."""
        idx = self.fresh()
        by_report: dict[str, list[int]] = defaultdict(list)
        for rid, i in self.milestone_index().window(start, end):
            by_report[rid].append(i)
        out: list[Milestone] = []
        for rid in idx.reports:  # catalogue order, then hand-added: the order ties keep
            if rid in by_report:
                slots = self.load_records(rid).slots
                out.extend(m for i in sorted(by_report[rid]) if i < len(slots) and (m := slots[i]) is not None)
        out.extend(idx.manual[i] for i in sorted(by_report.get("", [])))
        out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
        return out

    def milestones_of(self, report_id: str) -> list[Milestone]:
        """One report's milestones in ``milestones()`` order (reads only that report)."""
        if report_id not in self.fresh().reports:
            return []
        out = [m for m in self.load_records(report_id).slots if m is not None]
        out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
        return out
