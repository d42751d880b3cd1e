"""The one report choice: which report answers, by year or month, and which others exist.

A year names a report the way staff do: a 결산 report by the fiscal year it settles
('2018' → the 2018 회계연도 결산, printed in 2019), any other by its date. With a month
('2021-04') it names the report printed in that month, for years with two reports.
Every command asks here, so they agree on what "2021" means, on what to say when a year
has nothing (``ReportChoice.missing``) and on the other years they offer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.lookups.summaries import newest_rank
from bot.models import Report

if TYPE_CHECKING:
    from bot.store.api import StoreAPI


@dataclass
class ReportChoice:
    """``reports``: those holding the answer, newest first; ``chosen``: the one the year
    (and month) asked for names, or the newest when none was asked; None when the year
    has none (``missing``) or nothing holds the answer at all (``empty``)."""

    reports: list[Report]
    chosen: Report | None
    year: int | None = None
    month: int | None = None
    _per_year: Counter[int] = field(default_factory=Counter, repr=False)

    def __post_init__(self) -> None:
        self._per_year = Counter(r.year for r in self.reports)  # counted once: tokens for many reports stay O(R)

    @property
    def empty(self) -> bool:
        """No report holds the answer, whatever the year."""
        return not self.reports

    @property
    def missing(self) -> bool:
        """Reports hold it, but not the one the year (or month) names."""
        return self.chosen is None and bool(self.reports)

    @property
    def asked(self) -> str:
        """The year as asked: '2021' or '2021-04' ('' when none was)."""
        if self.year is None:
            return ""
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def others(self) -> list[Report]:
        """The reports other than the chosen one, newest first (all of them when none was chosen)."""
        chosen = self.chosen.id if self.chosen else None
        return [r for r in self.reports if r.id != chosen]

    @property
    def pinned(self) -> bool:
        """The answer is not simply the newest: a year was asked, or it names an older report."""
        return self.year is not None or (self.chosen is not None and self.chosen.id != self.reports[0].id)

    def shares_year(self, r: Report) -> bool:
        """Another report of the choice has ``r``'s year (so the year alone does not pick it)."""
        return self._per_year[r.year] > 1

    def token(self, r: Report) -> str:
        """What to type to pick ``r``: its year, or year-month when another report shares the year."""
        return f"{r.report_date.year}-{r.report_date.month:02d}" if self.shares_year(r) else str(r.year)


def pick_report(reports: list[Report], year: int | None, month: int | None = None) -> Report | None:
    """The report a year names (``reports`` newest first); with a month, the report
    printed in that month ('2021-04'). No year: the newest."""
    if year is None:
        return reports[0] if reports else None
    if month is not None:
        return next((r for r in reports if r.report_date.year == year and r.report_date.month == month), None)
    return next((r for r in reports if r.year == year), None)


def choose(reports: list[Report], year: int | None = None, month: int | None = None) -> ReportChoice:
    """Choose among ``reports`` (newest first) by year and month."""
    return ReportChoice(reports, pick_report(reports, year, month), year, month)


def newest_reports(store: StoreAPI, ids: Iterable[str]) -> list[Report]:
    """The reports among ``ids``, newest first (the order every choice uses): sorted by
    their place among the reports, not a pass over every report."""
    by_id = reports_by_id(store)
    rank = newest_rank(store)
    return [by_id[rid] for rid in sorted({rid for rid in ids if rid in rank}, key=rank.__getitem__)]


def reports_by_id(store: StoreAPI) -> dict[str, Report]:
    """Report id → report, for the reports the store (or the dated view) knows."""
    return store.cached("reports_by_id", lambda: {r.id: r for r in store.reports()})


def choose_among(store: StoreAPI, ids: Iterable[str], year: int | None = None, month: int | None = None) -> ReportChoice:
    """Choose among the reports with these ids (e.g. those printing a name)."""
    return choose(newest_reports(store, ids), year, month)


def choose_report(store: StoreAPI, year: int | None = None, month: int | None = None) -> ReportChoice:
    """Choose among every report the store (or the dated view) knows."""
    return choose(store.reports(), year, month)
