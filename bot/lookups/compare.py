"""A department's or a row's budget in every report that has it, by fiscal year, and
its rows matched across the years for /budget X 비교.

Rows are matched by name; a match that needed fuzziness is listed, a row with no
counterpart is named, and a department missing in a year while a similar name exists
there is a possible rename — never merged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.lookups.budget import leaf_rows, similar_in_year
from bot.lookups.catalog import budget_lines_of_dept, budget_rows_named
from bot.lookups.fiscal import Figure, figure_rank, figures_of, is_year_label
from bot.lookups.names import normalize
from bot.lookups.reports import reports_by_id

if TYPE_CHECKING:
    from bot.store.api import StoreAPI

FUZZY_ROW = 80.0

Row = tuple[str, float]  # (printed name, budget in 천원)


@dataclass
class Comparison:
    """``best``: the figure speaking for each fiscal year; ``shown``: the years compared
    (those asked, or all, that have one); ``order`` the row keys, newest year's first;
    ``matched[year][key]`` a row's name and figure that year."""

    name: str
    subject: str  # "dept" (a department and its rows) or "row" (one budget row)
    best: dict[int, Figure]
    wanted: list[int]
    renamed: list[tuple[int, str]] = field(default_factory=list)  # (year, a similar name that year)
    order: list[str] = field(default_factory=list)
    matched: dict[int, dict[str, Row]] = field(default_factory=dict)
    fuzzy_pairs: list[str] = field(default_factory=list)  # 'name(2018) ≈ name(2021)'
    orphans: list[str] = field(default_factory=list)  # 'name(2018)': no counterpart

    @property
    def have(self) -> list[int]:
        return sorted(self.best)

    @property
    def shown(self) -> list[int]:
        return [y for y in self.wanted if y in self.best]

    @property
    def missing(self) -> list[int]:
        return [y for y in self.wanted if y not in self.best]

    def change(self) -> tuple[float, float]:
        """(first shown year's total, last shown year's total) in 천원."""
        return self.best[self.shown[0]].thousand, self.best[self.shown[-1]].thousand

    def label(self, key: str) -> str:
        """A row's newest printed name."""
        return next((self.matched[y][key][0] for y in reversed(self.shown) if key in self.matched[y]), key)

    def is_fuzzy(self, key: str) -> bool:
        return any(key in self.matched[y] and normalize(self.matched[y][key][0]) != key for y in self.shown)


def _best_per_year(figs: list[Figure], size: Callable[[Figure], int]) -> dict[int, Figure]:
    def rank(f: Figure) -> tuple[int, int, int, int]:
        return figure_rank(f) + (size(f),)

    best: dict[int, Figure] = {}
    for f in figs:
        if f.year not in best or rank(f) > rank(best[f.year]):
            best[f.year] = f
    return best


def _year_figures(store: StoreAPI, name: str, subject: str) -> dict[int, Figure]:
    """Each fiscal year's figure for the name, read only from the reports printing it:
    kept per name and state of the store (a department printed by a thousand reports is
    a thousand reports' lines weighed; the answer changes only with the reports)."""
    best: dict[int, Figure] = store.cached(("year_figures", subject, normalize(name)), lambda: _weigh_years(store, name, subject))
    return best


def _weigh_years(store: StoreAPI, name: str, subject: str) -> dict[int, Figure]:
    reports = reports_by_id(store)
    of_dept = budget_lines_of_dept(store, name)
    heads = [b for b in of_dept if b.level == "dept"] if subject == "dept" else budget_rows_named(store, name)
    figs = [f for b in heads if b.source.report_id in reports for f in figures_of(b, reports[b.source.report_id])]
    # Of one report's tables for the department, its main account (most rows) speaks for
    # the year: a fund table beside the general account is not the department's budget.
    rows_in: dict[tuple[str, str], int] = defaultdict(int)
    for b in of_dept:
        rows_in[(b.source.report_id, b.table)] += 1
    return _best_per_year(figs, lambda f: rows_in[(f.report.id, f.line.table)])


def _rows_of_year(store: StoreAPI, f: Figure, year: int) -> dict[str, Row]:
    """The department's program rows in the table its year's figure comes from, by name key."""
    table = [b for b in store.budget_lines(f.report.id) if b.table == f.line.table and b.dept == f.line.dept]
    per: dict[str, Row] = {}
    for b in leaf_rows(table):
        if is_year_label(b.name):
            continue
        vals = [g for g in figures_of(b, f.report) if g.year == year]
        if vals:
            per[normalize(b.name)] = (b.name, vals[0].thousand)
    return per


def _match_year(c: Comparison, year: int, per: dict[str, Row], base: dict[str, Row]) -> None:
    """Match one year's rows to the rows known so far: same key, then a close name; the rest are orphans."""
    last = c.shown[-1]
    free = dict(per)
    got = c.matched[year]
    for k in c.order:
        if k in free:
            got[k] = free.pop(k)
    for k in c.order:
        if k in got or not free:
            continue
        cand = max(free, key=lambda other: fuzz.ratio(k, other))
        if fuzz.ratio(k, cand) >= FUZZY_ROW:
            got[k] = free.pop(cand)
            c.fuzzy_pairs.append(f"{per[cand][0]}({year}) ≈ {base[k][0] if k in base else c.label(k)}({last})")
    for k, (label, value) in free.items():
        c.orphans.append(f"{label}({year})")
        if year != last:
            c.order.append(k)
            got[k] = (label, value)


def _match_rows(store: StoreAPI, c: Comparison) -> None:
    rows_by_year = {y: _rows_of_year(store, c.best[y], y) if c.subject == "dept" else {} for y in c.shown}
    last = c.shown[-1]
    base = rows_by_year[last]
    c.order = list(base)
    c.matched = {y: {} for y in c.shown}
    for y in c.shown:
        _match_year(c, y, rows_by_year[y], base)
    c.orphans += [f"{base[k][0]}({last})" for k in base if not any(k in c.matched[y] for y in c.shown if y != last)]


def compare_budget(store: StoreAPI, name: str, subject: str, years: list[int]) -> Comparison:
    """The comparison of ``name`` (a department when ``subject`` is "dept", else a row) over
    ``years`` (every year that has it when empty)."""
    best = _year_figures(store, name, subject)
    c = Comparison(name, subject, best, sorted(set(years)) if years else sorted(best))
    if subject == "dept":
        key = normalize(name)
        for y in c.missing:
            similar = [s for s in similar_in_year(store, name, y) if normalize(s) != key]
            if similar:
                c.renamed.append((y, similar[0]))
    if len(c.shown) >= 2:
        _match_rows(store, c)
    return c

