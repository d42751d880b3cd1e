"""Which fiscal year a printed figure belongs to.

A report prints figures of several years: the 2018 결산 report settles 2018 and, in its
'19년 예산 table, prints the 2019 budget under a column headed '2019년예산'. A figure's
year is therefore read from its column header first ('2019년예산' → 2019), then from its
table's title ("'19년 예산 …", '2015년도 예산 집행현황' → 2015), and only then from the
report (a 결산 report's fiscal year, a work report's own year). Rows named only by a year
('2018년' in a table of yearly counts) are labels of someone else's table, never names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.lookups.columns import column_kind
from bot.models import BudgetLine, Report

_COL_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*년?\s*도?\s*(.*)$")
_TABLE_YEAR = re.compile(r"^\s*(?:'(\d{2})|((?:19|20)\d{2}))\s*년")
_YEAR_LABEL = re.compile(r"^\s*(?:(?:19|20)\d{2}|'\d{2})\s*(?:년도?|회계연도)?\s*(?:\(.*\))?\s*$")
_BUDGET_WORDS = ("예산현액", "예산액", "예산편성액", "예산")
_NOT_A_BUDGET = ("대비", "증감", "비율", "이월", "잔액", "집행")
_TO_THOUSAND = {"천원": 1.0, "백만원": 1000.0, "억원": 100_000.0, "원": 0.001}


def is_year_label(name: str) -> bool:
    """'2018년', "'19년", '2020' — a row labelled by a year, not a program or department."""
    return bool(_YEAR_LABEL.match(name))


def column_year(col: str) -> int | None:
    """'2019년예산' → 2019; '2018년대비증감' → None (a difference, not a year's budget)."""
    m = _COL_YEAR.match(col.replace(" ", ""))
    if not m:
        return None
    rest = m.group(2)
    if any(w in rest for w in _NOT_A_BUDGET) or not any(w in rest for w in _BUDGET_WORDS):
        return None
    return int(m.group(1))


def table_year(table: str) -> int | None:
    m = _TABLE_YEAR.match(table)
    if not m:
        return None
    return 2000 + int(m.group(1)) if m.group(1) else int(m.group(2))


def budget_column(values: Mapping[str, object]) -> str | None:
    """The budget column as staff read it: 예산현액, else 예산액, 예산편성액, 예산."""
    for w in _BUDGET_WORDS:
        for k in values:
            kk = k.replace(" ", "")
            if w in kk and column_kind(k) == "money" and not any(x in kk for x in _NOT_A_BUDGET) and column_year(k) is None:
                return k
    return None


@dataclass(frozen=True)
class Figure:
    """One fiscal year's budget of one row, in 천원 (for arithmetic) and as printed."""

    year: int
    thousand: float
    column: str
    line: BudgetLine
    report: Report
    executed: bool  # from an execution table (it has 집행률): the settled or current figure


def figures_of(b: BudgetLine, report: Report) -> list[Figure]:
    """Every fiscal year's budget figure printed on ``b``."""
    factor = _TO_THOUSAND.get(b.unit, 1.0)
    executed = any("집행률" in k.replace(" ", "") for k in b.values)
    out: list[Figure] = []
    for col, v in b.values.items():
        y = column_year(col)
        if y is not None and isinstance(v, (int, float)):
            out.append(Figure(y, float(v) * factor, col, b, report, False))
    if out:
        return out
    budget = budget_column(b.values)
    v = b.values.get(budget) if budget else None
    if budget is None or not isinstance(v, (int, float)):
        return []
    year = table_year(b.table)
    if year is None:
        year = report.fiscal_year if report.kind == "settlement" and report.fiscal_year else (b.as_of.year if b.as_of else report.report_date.year)
    return [Figure(year, float(v) * factor, budget, b, report, executed)]


def figure_rank(f: Figure) -> tuple[int, int, int]:
    """Which of several figures for one year to show: an execution table's, then the
    report closest after the year (a 결산 settles it), then the newest."""
    settles = int(f.report.kind == "settlement" and f.report.fiscal_year == f.year)
    return (int(f.executed), settles, f.report.report_date.toordinal())
