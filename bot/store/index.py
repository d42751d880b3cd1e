"""The compact indexes lookups go through: names in one choice list, milestones by date,
and the records of one report as models (read from its file once, on demand).

Built from the catalogue's summaries alone, so opening the store and resolving a name, a
department's reports or a date window never reads a report file."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.keys import name_key
from bot.models import AuditItem, AuditSummary, BudgetLine, Department, Milestone, Program, Report


@dataclass
class NameIndex:
    """Every name the store knows, in one precomputed choice list for rapidfuzz:
    ``choices[i]`` is the matching key (``name_key``) of ``labels[i]`` as printed;
    ``kinds[key]`` says what it names (dept, budget_dept, program, row, org) and
    ``reports[(kind, key)]`` which reports hold it, so a lookup reads only those."""

    choices: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    kinds: dict[str, set[str]] = field(default_factory=dict)
    reports: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, kind: str, label: str, report_id: str) -> None:
        key = name_key(label)
        if not key:
            return
        if key not in self.kinds:
            self.kinds[key] = set()
            self.choices.append(key)
            self.labels.append(label)
        self.kinds[key].add(kind)
        rids = self.reports.setdefault((kind, key), [])
        if not rids or rids[-1] != report_id:
            rids.append(report_id)

    def report_ids(self, kind: str, name: str) -> list[str]:
        """The reports (catalogue order) in which ``name`` occurs as ``kind``."""
        return list(self.reports.get((kind, name_key(name)), []))

    def names(self, kind: str) -> list[str]:
        """Printed labels of every name of ``kind`` (one per matching key)."""
        return [label for key, label in zip(self.choices, self.labels, strict=True) if kind in self.kinds[key]]


@dataclass
class MilestoneIndex:
    """Milestones by start date, for bisect: ``starts`` sorted (ISO dates, which sort as
    the dates do, so opening a large store parses no date), ``refs[i]`` the (report id,
    position) of the milestone starting at ``starts[i]``, ``lasts[i]`` its last day;
    ``span`` the longest range, so a window scans only what can overlap it."""

    starts: list[str] = field(default_factory=list)
    lasts: list[str] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)
    span: timedelta = timedelta(0)

    @classmethod
    def build(cls, entries: list[tuple[date, date, str, int]]) -> MilestoneIndex:
        """From (first day, last day, report id, position) entries."""
        return cls.build_iso([(a.isoformat(), b.isoformat() if b != a else None, rid, i) for a, b, rid, i in entries])

    @classmethod
    def build_iso(cls, entries: list[tuple[str, str | None, str, int]]) -> MilestoneIndex:
        """From (first day, last day or None, report id, position), days as ISO dates."""
        entries.sort(key=lambda e: e[0])
        idx = cls()
        idx.starts = [e[0] for e in entries]
        idx.lasts = [e[1] or e[0] for e in entries]
        idx.refs = [(e[2], e[3]) for e in entries]
        ranges = {(e[0], e[1]) for e in entries if e[1] and e[1] != e[0]}
        idx.span = max((date.fromisoformat(b) - date.fromisoformat(a) for a, b in ranges), default=timedelta(0))
        return idx

    def window(self, start: date | None, end: date | None) -> list[tuple[str, int]]:
        """Refs of milestones overlapping [start, end] (either side open), in index order."""
        lo = 0 if start is None else bisect.bisect_left(self.starts, (start - self.span).isoformat())
        hi = len(self.starts) if end is None else bisect.bisect_right(self.starts, end.isoformat())
        if start is None:
            return self.refs[lo:hi]
        first = start.isoformat()
        return [self.refs[i] for i in range(lo, hi) if self.lasts[i] >= first]


@dataclass
class Records:
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
class CatalogueIndex:
    """What the catalogue and people's edits say, grouped the ways lookups ask for it.
    Built from the catalogue alone (no report file is read); one per state of the store."""

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
