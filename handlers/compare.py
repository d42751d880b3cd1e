"""/budget X 비교 [YEARS]: a department's or a row's budget in every report that has
it, side by side by fiscal year, with 증감 and 증감률.

The query (``bot.lookups.compare``) matches rows across years by name; here a match
that needed fuzziness is marked ≈ and listed, a row with no counterpart is named, and a
department missing in a year while a similar name exists there is flagged as a
possible rename — never merged."""

from __future__ import annotations

from collections import defaultdict

from bot import messages as M
from bot.lookups.compare import Comparison, compare_budget
from bot.replies import Action, Chart, Reply, ReplyKind, Series, Table
from bot.replies.money import format_money, format_rate
from bot.replies.sources import report_label
from handlers.context import Context

MAX_ROWS = 25
MAX_ACTIONS = 5


def _won(thousand: float) -> str:
    return format_money(thousand, "천원")


def _pct(a: float, b: float) -> str:
    if a == 0:
        return "-"
    return format_rate(round((b - a) / a * 100, 1))


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years))


def _year_actions(c: Comparison, years: list[int]) -> list[Action]:
    return [Action(label=M.OTHER_YEAR.format(year=y), command=f"/budget {c.name} {y}") for y in years][:MAX_ACTIONS]


def _notes(c: Comparison) -> list[str]:
    """Years asked for without a figure (and a possible rename in them)."""
    if not c.missing:
        return []
    notes = [M.COMPARE_NO_YEARS.format(asked=_years(c.wanted), have=_years(c.have) or "-", missing=_years(c.missing))]
    return notes + [M.COMPARE_RENAMED.format(year=y, name=c.name, similar=similar) for y, similar in c.renamed]


def _matching_notes(c: Comparison) -> list[str]:
    """Rows matched by a close name, and rows with no counterpart in another year."""
    notes = [M.COMPARE_FUZZY.format(pairs=", ".join(c.fuzzy_pairs[:6]))] if c.fuzzy_pairs else []
    if c.orphans:
        notes.append(M.COMPARE_ORPHANS.format(rows=", ".join(c.orphans[:8]) + (" …" if len(c.orphans) > 8 else "")))
    return notes


def _rows(c: Comparison) -> list[list[str]]:
    """The total first, then each program: its figure per year, 증감 and 증감률 between the first and last year."""
    first, last = c.shown[0], c.shown[-1]
    a, b = c.change()
    rows = [[M.COMPARE_TOTAL_ROW] + [_won(c.best[y].thousand) for y in c.shown] + [_won(b - a), _pct(a, b)]]
    for k in c.order[:MAX_ROWS]:
        cells = [_won(c.matched[y][k][1]) if k in c.matched[y] else "-" for y in c.shown]
        old, new = c.matched[first].get(k), c.matched[last].get(k)
        change = [_won(new[1] - old[1]), _pct(old[1], new[1])] if old and new else ["-", "-"]
        rows.append([("≈ " if c.is_fuzzy(k) else "") + c.label(k)] + cells + change)
    return rows


def _sources(c: Comparison) -> str:
    """Where each year's figure is printed, grouped by report."""
    sources: dict[str, list[str]] = defaultdict(list)
    for y in c.shown:
        f = c.best[y]
        sources[report_label(f.report)].append(M.COMPARE_SOURCE.format(year=y, table=f.line.table, column=f.column, line=f.line.source.line))
    return M.COMPARE_SOURCES.format(sources=" / ".join(f"{k} ({'; '.join(v)})" for k, v in sources.items()))


def _summary(c: Comparison) -> list[str]:
    a, b = c.change()
    figures = [M.COMPARE_YEAR_FIGURE.format(year=y, money=_won(c.best[y].thousand)) for y in c.shown]
    return [M.COMPARE_INTRO.format(first=c.shown[0], last=c.shown[-1]), " · ".join(figures + [M.COMPARE_CHANGE.format(change=_won(b - a), rate=_pct(a, b))])]


def _too_few(c: Comparison) -> Reply:
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.COMPARE_TITLE_PLAIN.format(name=c.name, years=_years(c.wanted) or "-"),
        summary=[M.COMPARE_ONE_YEAR.format(name=c.name, years=_years(c.shown or c.have) or "-")] + _notes(c),
        actions=_year_actions(c, c.have),
    )


def compare_reply(ctx: Context, name: str, subject: str, years: list[int]) -> Reply:
    """``subject``: "dept" (a department and its rows) or "row" (one budget row)."""
    c = compare_budget(ctx.store, name, subject, years)
    if len(c.shown) < 2:
        return _too_few(c)
    series = Series(name=M.COMPARE_TOTAL_ROW if subject == "dept" else name, values=[round(c.best[y].thousand / 1000, 1) for y in c.shown])
    return Reply(
        title=M.COMPARE_TITLE_PLAIN.format(name=name, years=_years(c.shown)),
        summary=_summary(c) + _notes(c) + _matching_notes(c),
        table=Table(
            columns=[M.COMPARE_COL_NAME] + [str(y) for y in c.shown] + [M.COMPARE_COL_CHANGE, M.COMPARE_COL_RATE],
            rows=_rows(c),
            align_right=[False] + [True] * (len(c.shown) + 2),
        ),
        footnote=_sources(c),
        actions=_year_actions(c, c.shown),
        chart=Chart(kind="line", title=M.COMPARE_CHART_TITLE.format(name=name), labels=[str(y) for y in c.shown], series=[series], unit=M.COMPARE_UNIT),
    )
