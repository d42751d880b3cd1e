"""What is still ahead on a day: every milestone that may still happen, each event once,
soonest first — built once per day and state of the store, then cut by bisect.

/upcoming asks the same question with different windows and names many times a day; the
answer for a window ending on day E is the prefix of this list starting by E (the list is
sorted by start, and two printings of one event share their start), so a command costs
the bisect and the page it shows, not a scan of a year of milestones."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.events import same_event
from bot.keys import name_key
from bot.models import Milestone, last_day
from bot.store.api import StoreAPI

PERIOD_SLACK = timedelta(days=366)  # how far a period ('2021년', '하반기') may end after its printed date


@dataclass
class Ahead:
    """The milestones ahead on ``today`` (soonest first) with ``starts`` for bisect and
    positions by department and program key, so a window or a name reads only its own."""

    today: date
    items: list[Milestone] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)
    by_dept: dict[str, list[int]] = field(default_factory=dict)
    by_program: dict[str, list[int]] = field(default_factory=dict)
    first_seen: list[int] = field(default_factory=list)  # positions where a report first appears
    sources: list[str] = field(default_factory=list)  # that report's id ('' for hand-added)

    def until(self, end: date | None) -> list[Milestone]:
        """Those starting by ``end`` (all of them when open)."""
        if end is None:
            return list(self.items)
        return self.items[: bisect.bisect_right(self.starts, end)]

    def sources_until(self, end: date | None) -> list[str]:
        """The reports (ids, '' for hand-added) of those starting by ``end``, in order of
        first appearance — the footnote names them without reading every milestone."""
        if end is None:
            return list(self.sources)
        return self.sources[: bisect.bisect_left(self.first_seen, bisect.bisect_right(self.starts, end))]

    def named(self, kind: str, name: str, end: date | None) -> list[Milestone]:
        """Those of the department (``kind`` "dept") or program named, starting by ``end``."""
        where = self.by_dept if kind == "dept" else self.by_program
        positions = where.get(name_key(name), [])
        if end is not None:
            positions = positions[: bisect.bisect_left(positions, bisect.bisect_right(self.starts, end))]
        return [self.items[i] for i in positions]


def milestones_ahead(store: StoreAPI, today: date) -> Ahead:
    """The milestones that may still happen on or after ``today`` (kept per day and state)."""
    return store.cached(("milestones_ahead", today), lambda: _build(store, today))


def _build(store: StoreAPI, today: date) -> Ahead:
    items = _each_event_once(m for m in store.milestones(start=today - PERIOD_SLACK) if last_day(m.start, m.end, m.precision) >= today)
    out = Ahead(today=today, items=items, starts=[m.start for m in items])
    seen: set[str] = set()
    for i, m in enumerate(items):
        rid = m.source.report_id if m.source is not None else ""
        if rid not in seen:
            seen.add(rid)
            out.first_seen.append(i)
            out.sources.append(rid)
        if m.dept:
            out.by_dept.setdefault(name_key(m.dept), []).append(i)
        if m.program:
            out.by_program.setdefault(name_key(m.program), []).append(i)
    return out


def _each_event_once(milestones: Iterable[Milestone]) -> list[Milestone]:
    """Each event once even if two lines of a report repeat it, sorted by (start, end,
    title): the plainest printing (shortest title) stands for it. Only printings sharing
    report, dates and department (among the last 20 kept) are compared, not every one."""
    candidates = sorted(milestones, key=lambda m: (m.start, m.end or m.start, len(m.title), m.title))
    out: list[Milestone] = []
    kept_at: dict[tuple[object, ...], list[int]] = {}
    for m in candidates:
        key = (m.source.report_id if m.source else None, m.start, m.end, m.precision, m.dept)
        near = [out[i] for i in kept_at.get(key, ()) if i >= len(out) - 20]
        if any(same_event(m, kept) for kept in near):
            continue
        kept_at.setdefault(key, []).append(len(out))
        out.append(m)
    out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
    return out
