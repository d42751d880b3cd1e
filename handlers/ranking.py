"""/budget 순위 low|high|largest [DEPT] [YEAR]: programs ranked by 집행률 or by size
('집행률 낮은 사업', '가장 큰 사업').

Fund operations (money moved into another account, single-row groups of a fund) are
not programs that can lag; ``bot.lookups.budget`` reads them from the tables'
structure and leaves them out."""

from __future__ import annotations

from bot import messages as M
from bot.lookups.budget import ranked_rows, size_of
from bot.lookups.departments import resolve_department
from bot.lookups.fiscal import budget_column
from bot.models import BudgetLine, Report
from bot.replies import Chart, Reply, ReplyKind, Series, Table
from bot.replies.money import format_money, format_rate
from bot.replies.sources import footnote
from handlers.args import parse_year
from handlers.choices import unresolved_reply
from handlers.context import Context

LIMIT = 10
_HOW = ("low", "high", "largest")
_TITLES = {"low": M.RANK_TITLE_LOW, "high": M.RANK_TITLE_HIGH, "largest": M.RANK_TITLE_LARGEST}

Ranked = tuple[Report, BudgetLine, float | None]


def _ordered(rows: list[Ranked], how: str) -> list[Ranked]:
    """Largest budget first, or rated rows by 집행률 (lowest or highest first)."""
    if how == "largest":
        return sorted(rows, key=lambda t: -size_of(t[1]))[:LIMIT]
    rated = [t for t in rows if t[2] is not None]
    return sorted(rated, key=lambda t: (t[2] or 0.0) * (1 if how == "low" else -1))[:LIMIT]


def _view(rows: list[Ranked], how: str, title: str) -> Reply:
    if not rows:
        return Reply(kind=ReplyKind.NOT_FOUND, title=title, summary=[M.BUDGET_NONE])
    table_rows = [[b.name, b.dept or "-", format_money(b.values.get(budget_column(b.values) or ""), b.unit), format_rate(rate)] for _, b, rate in rows]
    chart = None
    if how != "largest":
        series = [Series(name=M.BUDGET_COL_RATE_SERIES, values=[rate for _, _, rate in rows])]
        chart = Chart(kind="bar", title=M.RANK_CHART_TITLE, labels=[b.name for _, b, _ in rows], series=series, unit="%")
    first_report, first_line, _ = rows[0]
    return Reply(
        title=title,
        summary=[M.RANK_NOTE],
        table=Table(columns=[M.BUDGET_COL_NAME, M.RANK_COL_DEPT, M.RANK_COL_BUDGET, M.RANK_COL_RATE], rows=table_rows, align_right=[False, False, True, True]),
        footnote=footnote(first_report, first_line.as_of, None, figures=True),
        chart=chart,
    )


def _parse(words: list[str]) -> tuple[str, int | None, list[str]]:
    """'low 뉴미디어담당관 2021' → ("low", 2021, ["뉴미디어담당관"]); "low" when no order is named."""
    how = words[0] if words and words[0] in _HOW else "low"
    rest = words[1:] if words and words[0] in _HOW else words
    year = next((y for w in rest if (y := parse_year(w)) is not None), None)
    return how, year, [w for w in rest if parse_year(w) is None]


def ranking_reply(ctx: Context, words: list[str]) -> Reply:
    """``/budget 순위 low|high|largest [DEPT] [YEAR]``."""
    how, year, rest = _parse(words)
    dept: str | None = None
    if rest:
        res = resolve_department(ctx.store, " ".join(rest))
        if not res.found or res.value is None:
            return unresolved_reply(" ".join(rest), res, f"/budget 순위 {how}", ctx=ctx)
        dept = res.value
    today = ctx.clock.today()
    reports = [r for r in ctx.store.reports() if r.report_date <= today and (year is None or r.year == year)]
    title = _TITLES[how].format(scope=M.RANK_SCOPE.format(name=dept) if dept else "")
    return _view(_ordered(ranked_rows(ctx.store, reports, dept), how), how, title)
