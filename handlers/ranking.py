"""Programs ranked by 집행률 or by size ('집행률 낮은 사업', '가장 큰 사업'), and which
rows are fund operations rather than programs.

A fund operation is read from the table's structure, not from a list of words: a row
that moves money into another account of the same report (its name holds that account's
table title: '대외협력기금 … 전출금'), or — in a department's second account (a fund) — a
group line with exactly one row under it carrying the same budget (재무활동 → 여유자금
예치). Neither is a program that can lag."""

from __future__ import annotations

from collections import defaultdict

from bot import messages as M
from bot.models import BudgetLine, Report
from handlers.context import Context
from handlers.fiscal import budget_column, is_year_label
from handlers.money import format_money, format_rate
from handlers.names import normalize, resolve_in
from bot.replies import Chart, Reply, ReplyKind, Series, Table
from handlers.sources import footnote

LIMIT = 10


def _account(table: str) -> str:
    """'예 산 대외협력기금(국제협력계정)' → '대외협력기금(국제협력계정)' as a key."""
    key = normalize(table)
    for head in ("예산", "세출", "세입"):
        if key.startswith(head):
            key = key[len(head) :]
    return key


def fund_operations(lines: list[BudgetLine]) -> set[int]:
    """ids (``id()``) of the rows of one report that are fund operations."""
    out: set[int] = set()
    tables: dict[str, list[BudgetLine]] = defaultdict(list)
    for b in sorted(lines, key=lambda b: (b.table, b.order)):
        tables[b.table].append(b)
    accounts = {t: _account(t) for t in tables if len(_account(t)) >= 4}
    for b in lines:
        key = normalize(b.name)
        if any(acc in key for t, acc in accounts.items() if t != b.table):
            out.add(id(b))
    # Second accounts of a department: tables that are not the one with most rows for it.
    by_dept: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for b in lines:
        by_dept[b.dept][b.table] += 1
    for dept, counts in by_dept.items():
        if len(counts) < 2:
            continue
        main = max(counts, key=lambda t: counts[t])
        for t in counts:
            if t == main:
                continue
            rows = [b for b in tables[t] if b.dept == dept]
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
                    out.add(id(b))
                    out.add(id(children[0]))
    return out


def ranked_rows(ctx: Context, reports: list[Report], dept: str | None) -> list[tuple[Report, BudgetLine, float | None]]:
    """Program rows of each office's newest execution table (or the department's)."""
    from handlers.budget import _leaf_rows, rate_of

    out: list[tuple[Report, BudgetLine, float | None]] = []
    seen_orgs: set[str] = set()
    for r in reports:
        lines = ctx.store.budget_lines(r.id)
        rated = [b for b in lines if rate_of(b) is not None]
        if dept is not None:
            rated = [b for b in rated if b.dept and normalize(b.dept) == normalize(dept)]
        if not rated or (dept is None and r.org in seen_orgs):
            continue
        seen_orgs.add(r.org)
        funds = fund_operations(lines)
        by_table: dict[str, list[BudgetLine]] = defaultdict(list)
        for b in rated:
            by_table[b.table].append(b)
        for ls in by_table.values():
            for b in _leaf_rows(ls):
                if id(b) in funds or is_year_label(b.name) or "행정운영경비" in b.name:
                    continue
                col = budget_column(b.values)
                if col is None or not b.values.get(col):
                    continue
                out.append((r, b, rate_of(b)))
        if dept is not None:
            break
    return out


def _size(b: BudgetLine) -> float:
    col = budget_column(b.values)
    v = b.values.get(col) if col else None
    factor = {"천원": 1.0, "백만원": 1000.0, "억원": 100_000.0, "원": 0.001}.get(b.unit, 1.0)
    return float(v or 0) * factor


def ranking_reply(ctx: Context, words: list[str]) -> Reply:
    """``/budget 순위 low|high|largest [DEPT] [YEAR]``."""
    from handlers.args import parse_year
    from handlers.budget import department_names

    how = words[0] if words and words[0] in ("low", "high", "largest") else "low"
    rest = words[1:] if words and words[0] in ("low", "high", "largest") else words
    year = next((y for w in rest if (y := parse_year(w)) is not None), None)
    rest = [w for w in rest if parse_year(w) is None]
    dept: str | None = None
    if rest:
        _, res = resolve_in(" ".join(rest), [("dept", department_names(ctx))])
        if not res.found or res.value is None:
            from handlers.choices import unresolved_reply

            return unresolved_reply(" ".join(rest), res, f"/budget 순위 {how}", ctx=ctx)
        dept = res.value
    today = ctx.clock.today()
    reports = [r for r in ctx.store.reports() if r.report_date <= today and (year is None or r.year == year)]
    rows = ranked_rows(ctx, reports, dept)
    if how == "largest":
        rows.sort(key=lambda t: -_size(t[1]))
    else:
        rows = [t for t in rows if t[2] is not None]
        rows.sort(key=lambda t: (t[2] or 0.0) * (1 if how == "low" else -1))
    rows = rows[:LIMIT]
    scope = M.RANK_SCOPE.format(name=dept) if dept else ""
    title = {"low": M.RANK_TITLE_LOW, "high": M.RANK_TITLE_HIGH, "largest": M.RANK_TITLE_LARGEST}[how].format(scope=scope)
    if not rows:
        return Reply(kind=ReplyKind.NOT_FOUND, title=title, summary=[M.BUDGET_NONE])
    table_rows = []
    for r, b, rate in rows:
        col = budget_column(b.values) or ""
        table_rows.append([b.name, b.dept or "-", format_money(b.values.get(col), b.unit), format_rate(rate)])
    first = rows[0]
    chart = None
    if how != "largest":
        chart = Chart(kind="bar", title=M.RANK_CHART_TITLE, labels=[b.name for _, b, _ in rows], series=[Series(name=M.BUDGET_COL_RATE_SERIES, values=[rate for _, _, rate in rows])], unit="%")
    return Reply(
        title=title,
        summary=[M.RANK_NOTE],
        table=Table(columns=[M.BUDGET_COL_NAME, M.RANK_COL_DEPT, "예산", "집행률"], rows=table_rows, align_right=[False, False, True, True]),
        footnote=footnote(first[0], first[1].as_of, None, figures=True),
        chart=chart,
    )
