"""/budget X 비교 [YEARS]: a department's or a row's budget in every report that has
it, side by side by fiscal year, with 증감 and 증감률.

Rows are matched across years by name; a match that needed fuzziness is marked ≈ and
listed, a row with no counterpart is named, and a department missing in a year while a
similar name exists there is flagged as a possible rename — never merged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from rapidfuzz import fuzz

from bot import messages as M
from bot.lookups.budget import leaf_rows, similar_in_year
from bot.lookups.catalog import budget_lines_of_dept, budget_rows_named
from bot.lookups.fiscal import Figure, figure_rank, figures_of, is_year_label
from bot.lookups.names import normalize
from bot.models import BudgetLine
from bot.replies import Action, Chart, Reply, ReplyKind, Series, Table
from bot.replies.money import format_money, format_rate
from bot.replies.sources import report_label
from handlers.context import Context

FUZZY_ROW = 80.0
MAX_ROWS = 25


def _best_per_year(figs: list[Figure], size: Callable[[Figure], int]) -> dict[int, Figure]:
    def rank(f: Figure) -> tuple[int, int, int, int]:
        return figure_rank(f) + (size(f),)

    best: dict[int, Figure] = {}
    for f in figs:
        if f.year not in best or rank(f) > rank(best[f.year]):
            best[f.year] = f
    return best


def _leaf(lines: list[BudgetLine]) -> list[BudgetLine]:
    return [b for b in leaf_rows(lines) if not is_year_label(b.name)]


def _pct(a: float, b: float) -> str:
    if a == 0:
        return "-"
    return format_rate(round((b - a) / a * 100, 1))


def compare_reply(ctx: Context, name: str, kind: str, years: list[int]) -> Reply:
    store = ctx.store
    key = normalize(name)
    reports = {r.id: r for r in store.reports()}
    # through the catalogue's indexes: only the reports printing the name are read
    of_dept = budget_lines_of_dept(store, name)
    if kind == "dept":
        heads = [b for b in of_dept if b.level == "dept"]
    else:
        heads = budget_rows_named(store, name)
    figs = [f for b in heads if b.source.report_id in reports for f in figures_of(b, reports[b.source.report_id])]
    # Of one report's tables for the department, its main account (most rows) speaks for
    # the year: a fund table beside the general account is not the department's budget.
    rows_in: dict[tuple[str, str], int] = defaultdict(int)
    for b in of_dept:
        rows_in[(b.source.report_id, b.table)] += 1
    best = _best_per_year(figs, lambda f: rows_in[(f.report.id, f.line.table)])
    have = sorted(best)
    notes: list[str] = []
    wanted = sorted(set(years)) if years else have
    shown = [y for y in wanted if y in best]
    missing = [y for y in wanted if y not in best]
    if missing:
        notes.append(M.COMPARE_NO_YEARS.format(asked=", ".join(map(str, wanted)), have=", ".join(map(str, have)) or "-", missing=", ".join(map(str, missing))))
        if kind == "dept":
            for y in missing:
                similar = [s for s in similar_in_year(store, name, y) if normalize(s) != key]
                if similar:
                    notes.append(M.COMPARE_RENAMED.format(year=y, name=name, similar=similar[0]))
    if len(shown) < 2:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=M.COMPARE_TITLE_PLAIN.format(name=name, years=", ".join(map(str, wanted)) or "-"),
            summary=[M.COMPARE_ONE_YEAR.format(name=name, years=", ".join(map(str, shown or have)) or "-")] + notes,
            actions=[Action(label=M.BUDGET_OTHER_YEAR.format(year=y), command=f"/budget {name} {y}") for y in have][:5],
        )
    first, last = shown[0], shown[-1]
    # One row per program, matched by name across the shown years.
    rows_by_year: dict[int, dict[str, tuple[str, float]]] = {}
    for y in shown:
        f = best[y]
        table_lines = [b for b in store.budget_lines(f.report.id) if b.table == f.line.table and b.dept == f.line.dept]
        per: dict[str, tuple[str, float]] = {}
        if kind == "dept":
            for b in _leaf(table_lines):
                vals = [g for g in figures_of(b, f.report) if g.year == y]
                if vals:
                    per[normalize(b.name)] = (b.name, vals[0].thousand)
        rows_by_year[y] = per
    base = rows_by_year[last]
    order = list(base)
    matched: dict[int, dict[str, tuple[str, float]]] = {y: {} for y in shown}
    fuzzy_pairs: list[str] = []
    orphans: list[str] = []
    for y in shown:
        per = rows_by_year[y]
        free = dict(per)
        for k in order:
            if k in free:
                matched[y][k] = free.pop(k)
        for k in order:
            if k in matched[y] or not free:
                continue
            cand = max(free, key=lambda c: fuzz.ratio(k, c))
            if fuzz.ratio(k, cand) >= FUZZY_ROW:
                matched[y][k] = free.pop(cand)
                fuzzy_pairs.append(f"{per[cand][0]}({y}) ≈ {base[k][0]}({last})")
        for k, (label, _) in free.items():
            orphans.append(f"{label}({y})")
            if y != last:
                order.append(k)
                matched[y][k] = (label, per[k][1])
    for k in list(base):
        if not any(k in matched[y] for y in shown if y != last):
            orphans.append(f"{base[k][0]}({last})")
    head_row = [M.COMPARE_TOTAL_ROW] + [format_money(best[y].thousand, "천원") for y in shown]
    head_row += [format_money(best[last].thousand - best[first].thousand, "천원"), _pct(best[first].thousand, best[last].thousand)]
    rows = [head_row]
    for k in order[:MAX_ROWS]:
        label = next((matched[y][k][0] for y in reversed(shown) if k in matched[y]), k)
        fuzzy = any(k in matched[y] and normalize(matched[y][k][0]) != k for y in shown)
        cells = [format_money(matched[y][k][1], "천원") if k in matched[y] else "-" for y in shown]
        a = matched[first].get(k)
        b = matched[last].get(k)
        change = format_money(b[1] - a[1], "천원") if a and b else "-"
        rate = _pct(a[1], b[1]) if a and b else "-"
        rows.append([("≈ " if fuzzy else "") + label] + cells + [change, rate])
    summary = [M.COMPARE_INTRO.format(first=first, last=last)]
    summary.append(
        " · ".join(f"{y} {format_money(best[y].thousand, '천원')}" for y in shown)
        + f" · 증감 {format_money(best[last].thousand - best[first].thousand, '천원')} ({_pct(best[first].thousand, best[last].thousand)})"
    )
    if fuzzy_pairs:
        notes.append(M.COMPARE_FUZZY.format(pairs=", ".join(fuzzy_pairs[:6])))
    one_sided = [o for o in orphans]
    if one_sided:
        notes.append(M.COMPARE_ORPHANS.format(rows=", ".join(one_sided[:8]) + (" …" if len(one_sided) > 8 else "")))
    sources = defaultdict(list)
    for y in shown:
        f = best[y]
        sources[report_label(f.report)].append(f"{y}: {f.line.table} {f.column} {f.line.source.line}행")
    chart = Chart(
        kind="line",
        title=M.COMPARE_CHART_TITLE.format(name=name),
        labels=[str(y) for y in shown],
        series=[Series(name=M.COMPARE_TOTAL_ROW if kind == "dept" else name, values=[round(best[y].thousand / 1000, 1) for y in shown])],
        unit=M.COMPARE_UNIT,
    )
    return Reply(
        title=M.COMPARE_TITLE_PLAIN.format(name=name, years=", ".join(map(str, shown))),
        summary=summary + notes,
        table=Table(
            columns=[M.COMPARE_COL_NAME] + [str(y) for y in shown] + [M.COMPARE_COL_CHANGE, M.COMPARE_COL_RATE],
            rows=rows,
            align_right=[False] + [True] * (len(shown) + 2),
        ),
        footnote=M.COMPARE_SOURCES.format(sources=" / ".join(f"{k} ({'; '.join(v)})" for k, v in sources.items())),
        actions=[Action(label=M.BUDGET_OTHER_YEAR.format(year=y), command=f"/budget {name} {y}") for y in shown][:5],
        chart=chart,
    )
