"""Budget queries: a department's, a row's, a program's or an office's figures in the
report a year names, read the way a careful colleague in the budget team would.

Which table speaks for a department (the 집행 table, with 집행률, then the newest and the
largest), which rows are listed (each won once: a 정책사업 line that only adds up the
단위사업 under it is left out), which tables of the same shape add their rows (a fund
beside the general account) and which rows are fund operations rather than programs —
all read from the tables' structure. The replies are built by ``handlers.budget``."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.lookups.catalog import budget_lines_of_dept, budget_rows_named, lines_by_dept, reports_with_budget, rows_by_name
from bot.lookups.columns import column_kind
from bot.lookups.fiscal import Figure, budget_column, figure_rank, figures_of, is_year_label
from bot.lookups.names import normalize, resolve
from bot.lookups.reports import ReportChoice, choose, choose_among, choose_report
from bot.lookups.summaries import names_in_order, report_ids
from bot.models import BudgetLine, Report

if TYPE_CHECKING:
    from bot.store.api import StoreAPI

BUDGET_COLS = ("예산현액", "예산액", "예산편성액", "예산")
EXEC_COLS = ("집행액", "집행실적")
RATE_COLS = ("집행률",)


# -- reading budget lines ----------------------------------------------------------------
def _column(keys: Iterable[str], wanted: tuple[str, ...], kind: str) -> str | None:
    keys = list(keys)
    for w in wanted:
        for k in keys:
            if w in k.replace(" ", "") and column_kind(k) == kind:
                return k
    return None


def key_columns(lines: list[BudgetLine]) -> list[str]:
    """The columns staff read first (budget, spent, rate), as printed; all columns when
    the table has none of them (e.g. a year-on-year 편성 table)."""
    keys: list[str] = []
    for b in lines:
        for k in b.values:
            if k not in keys:
                keys.append(k)
    wanted = ((BUDGET_COLS, "money"), (EXEC_COLS, "money"), (RATE_COLS, "rate"))
    chosen = [c for cols, kind in wanted if (c := _column(keys, cols, kind))]
    return chosen if len(chosen) >= 2 else keys[:5]


def rate_of(b: BudgetLine) -> float | None:
    """The row's 집행률 as printed, None when the table has none."""
    col = _column(b.values, RATE_COLS, "rate")
    v = b.values.get(col) if col else None
    return float(v) if v is not None else None


def has_rate(cols: list[str]) -> bool:
    return any(column_kind(c) == "rate" for c in cols)


def leaf_rows(lines: list[BudgetLine]) -> list[BudgetLine]:
    """Rows below the department line, without 정책사업 lines that only add up the
    단위사업 printed under them (so each won is listed once)."""
    body = [b for b in sorted(lines, key=lambda b: b.order) if b.level in ("policy", "unit")]
    out: list[BudgetLine] = []
    for i, b in enumerate(body):
        nxt = body[i + 1] if i + 1 < len(body) else None
        if b.level == "policy" and nxt is not None and nxt.level == "unit":
            continue
        out.append(b)
    return out


def nameable_rows(lines: Iterable[BudgetLine]) -> list[str]:
    """Budget rows a person can ask for by name: not totals, not a year's label ('2018년'
    in a table of yearly counts is a header someone else's table printed as a row)."""
    return [b.name for b in lines if b.level != "total" and not is_year_label(b.name)]


def by_report(lines: Iterable[BudgetLine]) -> dict[str, list[BudgetLine]]:
    groups: dict[str, list[BudgetLine]] = defaultdict(list)
    for b in lines:
        groups[b.source.report_id].append(b)
    return groups


def by_table(lines: Iterable[BudgetLine]) -> dict[str, list[BudgetLine]]:
    """Lines by table, each table's in printed order (tables in order of their first line)."""
    groups: dict[str, list[BudgetLine]] = {}
    for b in sorted(lines, key=lambda b: (b.order, b.source.line or 0)):
        groups.setdefault(b.table, []).append(b)
    return groups


def table_rank(lines: list[BudgetLine]) -> tuple[int, int, int]:
    """Prefer the 집행 table (it has 집행률), then the newest 기준일, then the most rows."""
    cols = key_columns(lines)
    rated = any(column_kind(c) == "rate" and "집행" in c for c in cols)
    as_of = max((b.as_of.toordinal() for b in lines if b.as_of), default=0)
    return (int(rated), as_of, len(lines))


def head_line(lines: Iterable[BudgetLine], level: str = "dept") -> BudgetLine | None:
    """The table's line for the department itself (or the office's total)."""
    return next((b for b in lines if b.level == level), None)


@dataclass
class BudgetTable:
    """One printed table's lines for the answer, its head line and the columns to show."""

    name: str
    lines: list[BudgetLine]
    head: BudgetLine | None
    cols: list[str]

    @classmethod
    def of(cls, name: str, lines: list[BudgetLine], level: str = "dept") -> BudgetTable:
        return cls(name, lines, head_line(lines, level), key_columns(lines))


# -- a department ------------------------------------------------------------------------
@dataclass
class DeptBudget:
    """A department's budget in the chosen report: ``main`` speaks for it; ``others``
    are its other tables (with a mark number when their rows join the list); ``rows``
    are (table, line) lowest 집행률 first when the table has rates."""

    choice: ReportChoice
    every_line: Callable[[], list[BudgetLine]]  # read only when asked (``lines``)
    main: BudgetTable | None = None
    others: list[BudgetTable] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)  # same-shape table → its [n]
    rows: list[tuple[str, BudgetLine]] = field(default_factory=list)

    @functools.cached_property
    def lines(self) -> list[BudgetLine]:
        """Every report's lines of the department (for the fiscal-year path): read on
        demand, as a department printed by a thousand reports means a thousand files."""
        return self.every_line()

    @property
    def rate_known(self) -> bool:
        return self.main is not None and has_rate(self.main.cols)

    def rated(self) -> list[tuple[str, float]]:
        """(row name, 집행률) of the listed rows that print one."""
        return [(b.name, r) for _, b in self.rows if (r := rate_of(b)) is not None]


def dept_budget(store: StoreAPI, dept: str, year: int | None = None, month: int | None = None) -> DeptBudget:
    """The department's lines in the report the year names (see ``DeptBudget``): the
    report is chosen among those the name index says print the department, and only the
    chosen one is read."""
    choice = choose_among(store, report_ids(store, "budget_dept", dept), year, month)
    found = DeptBudget(choice, lambda: budget_lines_of_dept(store, dept))
    chosen = choice.chosen
    if chosen is None:
        return found
    mine = lines_by_dept(store, chosen.id).get(normalize(dept), [])
    if not mine:  # the summary names it but no line reads as valid: choose among the lines themselves
        every = found.lines
        groups = by_report(every)
        found = DeptBudget(choose_among(store, groups, year, month), lambda: every)
        if found.choice.chosen is None:
            return found
        mine = groups[found.choice.chosen.id]
    tables = by_table(mine)
    with_head = {t: ls for t, ls in tables.items() if head_line(ls) is not None} or tables
    ranked = [BudgetTable.of(t, ls) for t, ls in sorted(with_head.items(), key=lambda kv: table_rank(kv[1]), reverse=True)]
    found.main, found.others = ranked[0], ranked[1:]
    # Tables of the same shape (a fund beside the general account) add their rows, marked [2], [3] …
    for t in found.others:
        if t.cols == found.main.cols and leaf_rows(t.lines):
            found.marks[t.name] = len(found.marks) + 2
    found.rows = [(t.name, b) for t in ranked if t is found.main or t.name in found.marks for b in leaf_rows(t.lines)]
    if found.rate_known:
        found.rows.sort(key=lambda tb: (rate_of(tb[1]) is None, rate_of(tb[1]) or 0.0))
    return found


def similar_in_year(store: StoreAPI, name: str, year: int) -> list[str]:
    """Departments of that year's reports whose names resemble ``name`` — offered, never
    substituted: a renamed department is a different name."""
    names = names_in_order(store, "budget_depts", [r for r in store.reports() if r.year == year])
    res = resolve(name, names)
    return ([res.value] if res.value else res.candidates) or res.closest


@dataclass
class FiscalBudget:
    """A year no report is named for, printed as a column of another report's table
    ('2019년예산' in the 2018 결산 report's '19년 예산 table)."""

    figure: Figure
    rows: list[BudgetLine]
    everyone: ReportChoice  # every report: its tokens name a report among all of them

    @property
    def report(self) -> Report:
        return self.figure.report

    @property
    def head(self) -> BudgetLine:
        return self.figure.line


def fiscal_budget(store: StoreAPI, lines: list[BudgetLine], year: int) -> FiscalBudget | None:
    """The best figure for ``year`` among the department lines ``lines`` (None: none prints it)."""
    everyone = choose_report(store)
    reports = {r.id: r for r in everyone.reports}
    heads = [b for b in lines if b.level == "dept" and b.source.report_id in reports]
    figs = [f for b in heads for f in figures_of(b, reports[b.source.report_id]) if f.year == year]
    if not figs:
        return None
    best = max(figs, key=figure_rank)
    table = [b for b in lines if b.source.report_id == best.report.id and b.table == best.line.table]
    return FiscalBudget(best, leaf_rows(table), everyone)


# -- a row, the office ----------------------------------------------------------
@dataclass
class RowBudget:
    """Budget rows printed as one name, in the chosen report (by table, then order)."""

    choice: ReportChoice
    here: list[BudgetLine]


def row_budget(store: StoreAPI, name: str, year: int | None = None, month: int | None = None) -> RowBudget:
    """The rows printed as ``name`` in the report the year names: chosen among the reports
    the name index says print the row, and only the chosen one read."""
    choice = choose_among(store, report_ids(store, "row", name), year, month)
    here = rows_by_name(store, choice.chosen.id).get(normalize(name), []) if choice.chosen else []
    if choice.chosen and not here:  # the summary names it but no line reads as valid: choose among the lines
        groups = by_report(budget_rows_named(store, name))
        choice = choose_among(store, groups, year, month)
        here = groups[choice.chosen.id] if choice.chosen else []
    return RowBudget(choice, sorted(here, key=lambda b: (b.table, b.order)))


@dataclass
class OfficeBudget:
    """An office's budget table (the one listing most departments) in the chosen report."""

    choice: ReportChoice
    orgs: set[str] = field(default_factory=set)  # every office with budget tables
    main: BudgetTable | None = None
    table_names: list[str] = field(default_factory=list)  # the report's budget tables

    @property
    def depts(self) -> list[BudgetLine]:
        return [b for b in self.main.lines if b.level == "dept"] if self.main else []


def office_budget(store: StoreAPI, org: str | None, year: int | None = None, month: int | None = None) -> OfficeBudget:
    """``org`` None: any office (the newest report with budget tables)."""
    reports = reports_with_budget(store)
    if org is not None:
        reports = [r for r in reports if normalize(r.org) == normalize(org)]
    choice = choose(reports, year, month)
    found = OfficeBudget(choice, {r.org for r in reports})
    report = choice.chosen
    if report is None:
        return found
    # the other years of the same office
    found.choice = ReportChoice([r for r in reports if r.org == report.org], report, year, month)
    tables = by_table(store.budget_lines(report.id))

    def rank(lines: list[BudgetLine]) -> tuple[int, int, int, int]:
        return (sum(1 for b in lines if b.level == "dept"),) + table_rank(lines)

    name = max(tables, key=lambda t: rank(tables[t]))
    found.main = BudgetTable.of(name, tables[name], "total")
    found.table_names = list(tables)
    return found


# -- rankings and fund operations ------------------------------------------------------------
def _account(table: str) -> str:
    """'예 산 대외협력기금(국제협력계정)' → '대외협력기금(국제협력계정)' as a key."""
    key = normalize(table)
    for head in ("예산", "세출", "세입"):
        if key.startswith(head):
            key = key[len(head) :]
    return key


def _transfers(lines: list[BudgetLine], tables: dict[str, list[BudgetLine]]) -> set[int]:
    """Rows moving money into another account of the report (their name holds its title)."""
    accounts = {t: _account(t) for t in tables if len(_account(t)) >= 4}
    return {id(b) for b in lines if any(acc in normalize(b.name) for t, acc in accounts.items() if t != b.table)}


def _single_child_groups(rows: list[BudgetLine]) -> set[int]:
    """A group line with exactly one row under it carrying the same budget, and that row."""
    out: set[int] = set()
    for i, b in enumerate(rows):
        if b.level != "policy":
            continue
        children = []
        for c in rows[i + 1 :]:
            if c.level != "unit":
                break
            children.append(c)
        col = budget_column(b.values)
        if len(children) == 1 and col and children[0].values.get(col) == b.values.get(col):
            out |= {id(b), id(children[0])}
    return out


def fund_operations(lines: list[BudgetLine]) -> set[int]:
    """ids (``id()``) of the rows of one report that are fund operations: transfers into
    another account, and single-row groups in a department's second account (a fund)."""
    tables: dict[str, list[BudgetLine]] = defaultdict(list)
    for b in sorted(lines, key=lambda b: (b.table, b.order)):
        tables[b.table].append(b)
    out = _transfers(lines, tables)
    by_dept: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for b in lines:
        by_dept[b.dept][b.table] += 1
    for dept, counts in by_dept.items():
        main = max(counts, key=lambda t: counts[t])  # the department's first account: its most rows
        for t in counts:
            if t != main:
                out |= _single_child_groups([b for b in tables[t] if b.dept == dept])
    return out


def _program_rows(lines: list[BudgetLine], rated: list[BudgetLine]) -> list[BudgetLine]:
    """The rated rows that are programs with a budget (not fund operations, year labels or running costs)."""
    funds = fund_operations(lines)
    tables: dict[str, list[BudgetLine]] = defaultdict(list)
    for b in rated:  # tables in the order the store lists them (ties in a ranking keep it)
        tables[b.table].append(b)
    out: list[BudgetLine] = []
    for ls in tables.values():
        for b in leaf_rows(ls):
            if id(b) in funds or is_year_label(b.name) or "행정운영경비" in b.name:
                continue
            col = budget_column(b.values)
            if col is not None and b.values.get(col):
                out.append(b)
    return out


def ranked_rows(store: StoreAPI, reports: list[Report], dept: str | None) -> list[tuple[Report, BudgetLine, float | None]]:
    """Program rows of each office's newest execution table (or the department's)."""
    out: list[tuple[Report, BudgetLine, float | None]] = []
    seen_orgs: set[str] = set()
    key = normalize(dept) if dept is not None else None
    for r in reports:
        lines = store.budget_lines(r.id)
        rated = [b for b in lines if rate_of(b) is not None and (key is None or (b.dept and normalize(b.dept) == key))]
        if not rated or (dept is None and r.org in seen_orgs):
            continue
        seen_orgs.add(r.org)
        out += [(r, b, rate_of(b)) for b in _program_rows(lines, rated)]
        if dept is not None:
            break
    return out


_TO_THOUSAND = {"천원": 1.0, "백만원": 1000.0, "억원": 100_000.0, "원": 0.001}


def size_of(b: BudgetLine) -> float:
    """The row's budget in 천원 (0 when it prints none)."""
    col = budget_column(b.values)
    v = b.values.get(col) if col else None
    return float(v or 0) * _TO_THOUSAND.get(b.unit, 1.0)
