"""/budget [NAME] [YEAR] [pN]: a department's, a budget row's or the office's figures.

Answers the way a careful colleague in the budget team would: the figures as printed
(예산현액 or 예산액, 집행액, 집행률), the rows that lag first, the table's 기준일 and
the report it came from, and which other years exist. A department renamed between
years is a different name; the years are never merged."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from bot import messages as M
from bot.models import BudgetLine, Program, Report
from handlers import catalog
from handlers.args import LookupArgs, parse_lookup
from handlers.catalog import (
    budget_lines_of_dept,
    budget_rows_named,
    names_in_order,
    programs_titled,
)
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.fiscal import is_year_label
from handlers.money import column_kind, column_label, format_value
from handlers.names import Pools, normalize, resolve, resolve_in
from handlers.pages import page_actions, paged
from handlers.registry import command
from bot.replies import Action, Chart, Reply, ReplyKind, Series, Table
from handlers.sources import (
    choice_label,
    footnote,
    newest_reports,
    pick_report,
    report_label,
    report_token,
    year_label,
)

PAGE_SIZE = 10
MAX_ACTIONS = 5

_BUDGET_COLS = ("예산현액", "예산액", "예산편성액", "예산")
_EXEC_COLS = ("집행액", "집행실적")
_RATE_COLS = ("집행률",)


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
    chosen = [
        c
        for c in (
            _column(keys, _BUDGET_COLS, "money"),
            _column(keys, _EXEC_COLS, "money"),
            _column(keys, _RATE_COLS, "rate"),
        )
        if c
    ]
    return chosen if len(chosen) >= 2 else keys[:5]


def rate_of(b: BudgetLine) -> float | None:
    col = _column(b.values, _RATE_COLS, "rate")
    v = b.values.get(col) if col else None
    return float(v) if v is not None else None


def _leaf_rows(lines: list[BudgetLine]) -> list[BudgetLine]:
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


def _by_report(lines: Iterable[BudgetLine]) -> dict[str, list[BudgetLine]]:
    groups: dict[str, list[BudgetLine]] = defaultdict(list)
    for b in lines:
        groups[b.source.report_id].append(b)
    return groups


def _by_table(lines: Iterable[BudgetLine]) -> dict[str, list[BudgetLine]]:
    groups: dict[str, list[BudgetLine]] = {}
    for b in sorted(lines, key=lambda b: (b.order, b.source.line or 0)):
        groups.setdefault(b.table, []).append(b)
    return groups


def _table_rank(lines: list[BudgetLine]) -> tuple[int, int, int]:
    """Prefer the 집행 table (it has 집행률), then the one with the most rows."""
    cols = key_columns(lines)
    has_rate = any(column_kind(c) == "rate" and "집행" in c for c in cols)
    as_of = max((b.as_of.toordinal() for b in lines if b.as_of), default=0)
    return (int(has_rate), as_of, len(lines))


# -- choosing a report -------------------------------------------------------------------
def _cmd(name: str, token: str | int | None = None) -> str:
    return " ".join(p for p in ("/budget", name, str(token) if token else "") if p)


def _year_actions(name: str, reports: list[Report], chosen: Report) -> list[Action]:
    shown = [r for r in reports[: MAX_ACTIONS + 1] if r.id != chosen.id][:MAX_ACTIONS]  # built only for what is shown
    return [Action(label=M.BUDGET_OTHER_YEAR.format(year=choice_label(r, reports)), command=_cmd(name, report_token(r, reports))) for r in shown]


def _years_line(reports: list[Report], chosen: Report) -> str | None:
    shared = Counter(r.year for r in reports)  # choice_label's test, counted once (not once per report: O(R²))
    others = [f"{year_label(r)} {report_label(r)}" if shared[r.year] > 1 else year_label(r) for r in reports if r.id != chosen.id]
    return M.BUDGET_OTHER_YEARS.format(years=", ".join(others)) if others else None


def _no_year(name: str, args: LookupArgs, reports: list[Report], similar: list[str] | None = None) -> Reply:
    """``name`` '' means the office-wide total."""
    year = args.year
    asked = f"{args.year}-{args.month:02d}" if args.month else str(args.year)
    labels = list(dict.fromkeys(choice_label(r, reports) for r in reports))
    shown = name or M.BUDGET_OFFICE_WIDE
    summary = [M.BUDGET_NO_YEAR.format(name=shown, year=asked, years=", ".join(labels) or "-")]
    if similar:
        summary.append(M.BUDGET_NO_YEAR_SIMILAR.format(names=", ".join(similar)))
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.BUDGET_NO_YEAR_TITLE.format(year=asked),
        summary=summary,
        candidates=[Action(label=n, command=_cmd(n, year)) for n in similar or []],
        actions=[
            Action(label=M.BUDGET_OTHER_YEAR.format(year=choice_label(r, reports)), command=_cmd(name, report_token(r, reports)))
            for r in reports[:MAX_ACTIONS]
        ],
    )


def _similar_in_year(ctx: Context, name: str, year: int) -> list[str]:
    """Departments of that year's reports whose names resemble ``name`` — offered, never
    substituted: a renamed department is a different name."""
    names = names_in_order(ctx.store, "budget_depts", [r for r in ctx.store.reports() if r.year == year])
    res = resolve(name, names)
    return ([res.value] if res.value else res.candidates) or res.closest


# -- replies -----------------------------------------------------------------------------
def _figures_line(b: BudgetLine, cols: list[str] | None = None) -> str:
    """'예산현액 79억 914만원 · 원인행위액 … · 집행액 34억 9,885만원 · 집행률 44.2%' (as printed)."""
    cols = list(b.values) if cols is None else cols
    return " · ".join(f"{column_label(c)} {format_value(c, b.values.get(c), b.unit)}" for c in cols if c in b.values)


def _dept_reply(ctx: Context, dept: str, args: LookupArgs) -> Reply:
    lines = budget_lines_of_dept(ctx.store, dept)
    groups = _by_report(lines)
    reports = newest_reports(ctx.store, groups)
    if not reports:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.BUDGET_NO_DATA_TITLE.format(name=dept), summary=[M.BUDGET_NO_DATA])
    report = pick_report(reports, args.year, args.month)
    if report is None and args.year is not None and args.month is None:
        fiscal = _fiscal_reply(ctx, dept, lines, args.year)
        if fiscal is not None:
            return fiscal
    if report is None:
        return _no_year(dept, args, reports, _similar_in_year(ctx, dept, args.year))
    tables = _by_table(groups[report.id])
    with_dept_row = {t: ls for t, ls in tables.items() if any(b.level == "dept" for b in ls)} or tables
    ranked = sorted(with_dept_row.items(), key=lambda kv: _table_rank(kv[1]), reverse=True)
    main_table, main_lines = ranked[0]
    head = next((b for b in main_lines if b.level == "dept"), None)

    cols = key_columns(main_lines)
    summary: list[str] = []
    if head is not None:
        summary.append(_figures_line(head))
    summary.append(M.BUDGET_TABLE_LINE.format(table=main_table))
    # Tables of the same shape (a fund beside the general account) add their rows to
    # the list, marked [2], [3] …; other tables (a next-year 편성 table) get one line.
    same_shape: dict[str, int] = {}
    for table, ls in ranked[1:]:
        other_head = next((b for b in ls if b.level == "dept"), None)
        mark = ""
        if key_columns(ls) == cols and _leaf_rows(ls):
            same_shape[table] = len(same_shape) + 2
            mark = f"[{same_shape[table]}] "
        if other_head is not None:
            summary.append(mark + M.BUDGET_ALSO_TABLE.format(table=table, figures=_figures_line(other_head, key_columns(ls))))

    # Rows lowest 집행률 first (rows without a rate last, in printed order).
    leaf: list[tuple[str, BudgetLine]] = [(t, b) for t, ls in ranked if t == main_table or t in same_shape for b in _leaf_rows(ls)]
    rate_known = any(column_kind(c) == "rate" for c in cols)
    if rate_known:
        leaf.sort(key=lambda tb: (rate_of(tb[1]) is None, rate_of(tb[1]) or 0.0))
    rows = []
    for t, b in leaf:
        label = f"{b.name} [{same_shape[t]}]" if t in same_shape else b.name
        rows.append([label] + [format_value(c, b.values.get(c), b.unit) if c in b.values else "-" for c in cols])
    page_rows, page, pages = paged(rows, args.page, PAGE_SIZE)
    years_line = _years_line(reports, report)
    if years_line:
        summary.append(years_line)

    pinned = args.year is not None or report.id != reports[0].id
    base = _cmd(dept, report_token(report, reports) if pinned else None)
    actions = page_actions(base, page, pages) + _year_actions(dept, reports, report)
    as_of = (head or main_lines[0]).as_of
    chart = None
    rated = [(b.name, rate_of(b)) for _, b in leaf if rate_of(b) is not None]
    if rate_known and len(rated) >= 2:
        chart = Chart(
            kind="bar",
            title=M.BUDGET_CHART_TITLE.format(name=dept, year=year_label(report)),
            labels=[n for n, _ in rated],
            series=[Series(name=M.BUDGET_COL_RATE_SERIES, values=[r for _, r in rated])],
            unit="%",
        )
    return Reply(
        chart=chart,
        title=M.BUDGET_DEPT_TITLE.format(name=dept, year=year_label(report)),
        summary=summary,
        table=Table(
            columns=[M.BUDGET_COL_NAME_BY_RATE if rate_known else M.BUDGET_COL_NAME] + [column_label(c) for c in cols],
            rows=page_rows,
            align_right=[False] + [True] * len(cols),
        )
        if page_rows
        else None,
        footnote=footnote(report, as_of, (head or main_lines[0]).source.line, figures=True),
        actions=actions,
        page=page,
        pages=pages,
    )


def _fiscal_reply(ctx: Context, dept: str, lines: list[BudgetLine], year: int) -> Reply | None:
    """The year no report is named for, printed as a column of another report's table
    ('2019년예산' in the 2018 결산 report's '19년 예산 table)."""
    from handlers.fiscal import figure_rank, figures_of

    reports = {r.id: r for r in ctx.store.reports()}
    figs = [f for b in lines if b.level == "dept" and b.source.report_id in reports for f in figures_of(b, reports[b.source.report_id]) if f.year == year]
    if not figs:
        return None
    best = max(figs, key=figure_rank)
    report, head = best.report, best.line
    table_lines = [b for b in lines if b.source.report_id == report.id and b.table == head.table]
    cols = list(head.values)
    rows = [[b.name] + [format_value(c, b.values.get(c), b.unit) if c in b.values else "-" for c in cols] for b in _leaf_rows(table_lines)]
    return Reply(
        title=M.FISCAL_TITLE.format(name=dept, year=year, report=year_label(report)),
        summary=[f"{column_label(best.column)} {format_value(best.column, head.values.get(best.column), head.unit)}", _figures_line(head), M.FISCAL_NOTE.format(year=year, report=report_label(report), table=head.table)],
        table=Table(columns=[M.BUDGET_COL_NAME] + [column_label(c) for c in cols], rows=rows, align_right=[False] + [True] * len(cols)) if rows else None,
        footnote=footnote(report, head.as_of, head.source.line, figures=True),
        actions=[Action(label=M.BUDGET_OTHER_YEAR.format(year=year_label(report)), command=_cmd(dept, report_token(report, list(reports.values()))))],
    )


def _row_reply(ctx: Context, name: str, args: LookupArgs) -> Reply:
    lines = budget_rows_named(ctx.store, name)
    groups = _by_report(lines)
    reports = newest_reports(ctx.store, groups)
    report = pick_report(reports, args.year, args.month)
    if report is None:
        return _no_year(name, args, reports)
    here = sorted(groups[report.id], key=lambda b: (b.table, b.order))
    summary: list[str] = []
    fields: list[tuple[str, str]] = []
    table = None
    if len(here) == 1:
        b = here[0]
        summary.append(_figures_line(b))
        fields = [(M.BUDGET_FIELD_DEPT, b.dept or M.BUDGET_OFFICE_WIDE), (M.BUDGET_COL_TABLE, b.table)]
    else:
        cols = key_columns(here)
        summary.append(M.BUDGET_ROW_SEVERAL.format(count=len(here)))
        table = Table(
            columns=[M.BUDGET_FIELD_DEPT, M.BUDGET_COL_TABLE] + [column_label(c) for c in cols],
            rows=[[b.dept or M.BUDGET_OFFICE_WIDE, b.table] + [format_value(c, b.values.get(c), b.unit) for c in cols] for b in here],
            align_right=[False, False] + [True] * len(cols),
        )
    years_line = _years_line(reports, report)
    if years_line:
        summary.append(years_line)
    actions = [Action(label=M.BUDGET_DEPT_ACTION.format(dept=d), command=f"/budget {d}") for d in dict.fromkeys(b.dept for b in here if b.dept)][:MAX_ACTIONS]
    actions += _year_actions(name, reports, report)
    first = here[0]
    return Reply(
        title=M.BUDGET_ROW_TITLE.format(name=first.name, year=year_label(report)),
        summary=summary,
        fields=fields,
        table=table,
        footnote=footnote(report, first.as_of, first.source.line if len(here) == 1 else None, figures=True),
        actions=actions,
    )


def _program_reply(ctx: Context, title: str, args: LookupArgs) -> Reply:
    progs = programs_titled(ctx.store, title)
    reports = newest_reports(ctx.store, {p.source.report_id for p in progs})
    report = pick_report(reports, args.year, args.month)
    if report is None:
        return _no_year(title, args, reports)
    p: Program = next(p for p in progs if p.source.report_id == report.id)
    fields = [(M.BUDGET_FIELD_DEPT, p.dept or M.UNKNOWN_DEPT), (M.BUDGET_FIELD_PROGRAM_BUDGET, p.budget_text or M.BUDGET_NO_SENTENCE)]
    return Reply(
        title=M.BUDGET_PROGRAM_TITLE.format(name=p.title, year=year_label(report)),
        summary=[M.BUDGET_PROGRAM_NOTE],
        fields=fields,
        footnote=footnote(report, None, p.line),
        actions=[Action(label=M.BUDGET_PROGRAM_ACTION, command=f"/program {p.title}")]
        + ([Action(label=M.BUDGET_DEPT_ACTION.format(dept=p.dept), command=f"/budget {p.dept}")] if p.dept else []),
    )


def _office_reply(ctx: Context, args: LookupArgs, org: str | None = None) -> Reply:
    reports = catalog.reports_with_budget(ctx.store)
    if org is not None:
        reports = [r for r in reports if normalize(r.org) == normalize(org)]
    if not reports:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.BUDGET_NONE_TITLE, summary=[M.BUDGET_NONE])
    report = pick_report(reports, args.year, args.month)
    if report is None:
        return _no_year(org or "", args, reports)
    all_orgs = {r.org for r in reports}
    reports = [r for r in reports if r.org == report.org]  # other years of the same office
    tables = _by_table(ctx.store.budget_lines(report.id))

    def dept_rows(ls: list[BudgetLine]) -> int:
        return sum(1 for b in ls if b.level == "dept")

    main_table, main_lines = max(tables.items(), key=lambda kv: (dept_rows(kv[1]),) + _table_rank(kv[1]))
    cols = key_columns(main_lines)
    total = next((b for b in main_lines if b.level == "total"), None)
    depts = [b for b in main_lines if b.level == "dept"]
    page_depts, page, pages = paged(depts, args.page, PAGE_SIZE)
    page_rows = [[b.name] + [format_value(c, b.values.get(c), b.unit) for c in cols] for b in page_depts]
    summary = ([_figures_line(total)] if total else []) + [M.BUDGET_TABLE_LINE.format(table=main_table)]
    others = [t for t in tables if t != main_table]
    if others:
        summary.append(M.BUDGET_OTHER_TABLES.format(tables=", ".join(others[:4]) + (" …" if len(others) > 4 else "")))
    years_line = _years_line(reports, report)
    if years_line:
        summary.append(years_line)
    base = _cmd(org or "", report_token(report, reports) if args.year is not None else None)
    actions = page_actions(base, page, pages)
    everyone = ctx.store.reports()
    pinned = report_token(report, everyone) if report.id != everyone[0].id else None
    actions += [Action(label=M.BUDGET_DEPT_ACTION.format(dept=b.name), command=_cmd(b.dept or b.name, pinned)) for b in page_depts[:MAX_ACTIONS]]
    actions += [
        Action(label=M.BUDGET_OTHER_YEAR.format(year=year_label(r)), command=_cmd(report.org, report_token(r, everyone)))
        for r in reports
        if r.id != report.id
    ][:MAX_ACTIONS]
    other_orgs = all_orgs - {report.org}
    actions += [Action(label=M.BUDGET_ORG_ACTION.format(org=o), command=f"/budget {o}") for o in sorted(other_orgs)][:MAX_ACTIONS]
    anchor = total or (depts[0] if depts else main_lines[0])
    return Reply(
        title=M.BUDGET_OFFICE_TITLE.format(org=report.org, year=year_label(report)),
        summary=summary,
        table=Table(columns=[M.BUDGET_COL_DEPT] + [column_label(c) for c in cols], rows=page_rows, align_right=[False] + [True] * len(cols)) if page_rows else None,
        footnote=footnote(report, anchor.as_of, anchor.source.line, figures=True),
        actions=actions,
        page=page,
        pages=pages,
    )


def department_names(ctx: Context) -> list[str]:
    """Every department name the store knows (organisation tables and budget rows), newest
    first — from the catalogue, kept until the store changes."""
    return catalog.department_names(ctx.store)


def nameable_rows(lines: Iterable[BudgetLine]) -> list[str]:
    """Budget rows a person can ask for by name: not totals, not a year's label ('2018년'
    in a table of yearly counts is a header someone else's table printed as a row)."""
    return [b.name for b in lines if b.level != "total" and not is_year_label(b.name)]


def _pools(ctx: Context) -> Pools:
    """Department, office, row, program — prepared once per state of the store."""
    return catalog.budget_pools(ctx.store)


_COMPARE_WORDS = frozenset({"비교", "compare", "vs", "대비"})


def _compare(args: str, ctx: Context) -> Reply:
    from handlers.args import parse_year
    from handlers.compare import compare_reply

    words = [w for w in args.split() if w.lower() not in _COMPARE_WORDS]
    years = [y for w in words if (y := parse_year(w)) is not None]
    name_words = [w for w in words if parse_year(w) is None]
    if not name_words:
        return Reply(kind=ReplyKind.USAGE, title=M.BUDGET_COMMAND_SUMMARY, summary=[M.COMPARE_USAGE])
    query = " ".join(name_words)
    kind, res = resolve_in(query, catalog.compare_pools(ctx.store))
    if not res.found or res.value is None or kind is None:
        return unresolved_reply(query, res, "/budget", " 비교" + "".join(f" {y}" for y in years), ctx)
    return compare_reply(ctx, res.value, "dept" if kind == "dept" else "row", years)


@command("budget", M.BUDGET_COMMAND_SUMMARY)
def budget(args: str, ctx: Context) -> Reply:
    if any(w.lower() in _COMPARE_WORDS for w in args.split()):
        return _compare(args, ctx)
    if args.split()[:1] == ["순위"]:
        from handlers.ranking import ranking_reply

        return ranking_reply(ctx, args.split()[1:])
    a = parse_lookup(args)
    if not a.words:
        return _office_reply(ctx, a)
    query = a.name
    kind, res = resolve_in(query, _pools(ctx))
    if not res.found or res.value is None:
        return unresolved_reply(query, res, "/budget", a.report_suffix, ctx, answer_same=True)
    if kind == "dept":
        return _dept_reply(ctx, res.value, a)
    if kind == "org":
        return _office_reply(ctx, a, org=res.value)
    if kind == "row":
        return _row_reply(ctx, res.value, a)
    return _program_reply(ctx, res.value, a)
