"""/budget [NAME] [YEAR] [pN]: a department's, a budget row's or the office's figures.

Answers the way a careful colleague in the budget team would: the figures as printed
(예산현액 or 예산액, 집행액, 집행률), the rows that lag first, the table's 기준일 and
the report it came from, and which other years exist. A department renamed between
years is a different name; the years are never merged. The queries live in
``bot.lookups.budget``; this module parses the words and shapes the reply."""

from __future__ import annotations

from bot import messages as M
from bot.lookups import catalog
from bot.lookups.budget import (
    BudgetTable,
    DeptBudget,
    FiscalBudget,
    OfficeBudget,
    dept_budget,
    fiscal_budget,
    key_columns,
    office_budget,
    row_budget,
    similar_in_year,
)
from bot.lookups.names import resolve_in
from bot.lookups.programs import program_titled
from bot.lookups.reports import ReportChoice, choose_report
from bot.models import BudgetLine
from bot.replies import Action, Chart, Reply, ReplyKind, Series, Table
from bot.replies.money import column_label, format_value
from bot.replies.sources import footnote, report_label, year_label
from bot.replies.years import command_for, no_year_reply, other_year_actions, other_years_line
from handlers.args import LookupArgs, parse_lookup, parse_year
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.pages import page_actions, paged
from handlers.registry import command

PAGE_SIZE = 10
MAX_ACTIONS = 5
_COMPARE_WORDS = frozenset({"비교", "compare", "vs", "대비"})


def _cmd(name: str, token: str | None = None) -> str:
    return command_for(command_for("/budget", name), token)


# -- shared pieces -------------------------------------------------------------------------
def _figures_line(b: BudgetLine, cols: list[str] | None = None) -> str:
    """'예산현액 79억 914만원 · 원인행위액 … · 집행액 34억 9,885만원 · 집행률 44.2%' (as printed)."""
    cols = list(b.values) if cols is None else cols
    return " · ".join(f"{column_label(c)} {format_value(c, b.values.get(c), b.unit)}" for c in cols if c in b.values)


def _cells(b: BudgetLine, cols: list[str]) -> list[str]:
    return [format_value(c, b.values.get(c), b.unit) if c in b.values else "-" for c in cols]


def _table(first: list[str], cols: list[str], rows: list[list[str]]) -> Table | None:
    """Name columns then the figure columns (right-aligned); None when there are no rows."""
    if not rows:
        return None
    return Table(columns=first + [column_label(c) for c in cols], rows=rows, align_right=[False] * len(first) + [True] * len(cols))


def _no_year(name: str, choice: ReportChoice, similar: list[str] | None = None) -> Reply:
    """``name`` '' means the office-wide total."""
    extra = [M.BUDGET_NO_YEAR_SIMILAR.format(names=", ".join(similar))] if similar else []
    candidates = [Action(label=n, command=_cmd(n, str(choice.year))) for n in similar or []]
    return no_year_reply(choice, _cmd(name), M.BUDGET_NO_YEAR, name=name or M.BUDGET_OFFICE_WIDE, candidates=candidates, extra=extra)


# -- a department ------------------------------------------------------------------------
def _dept_reply(ctx: Context, dept: str, args: LookupArgs) -> Reply:
    found = dept_budget(ctx.store, dept, args.year, args.month)
    if found.choice.empty:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.BUDGET_NO_DATA_TITLE.format(name=dept), summary=[M.BUDGET_NO_DATA])
    if found.choice.missing and args.year is not None:
        fiscal = fiscal_budget(ctx.store, found.lines, args.year) if args.month is None else None
        if fiscal is not None:
            return _fiscal_reply(dept, args.year, fiscal)
        return _no_year(dept, found.choice, similar_in_year(ctx.store, dept, args.year))
    return _dept_view(dept, found, args)


def _dept_summary(found: DeptBudget, main: BudgetTable) -> list[str]:
    """The department line's figures, the table, and its other tables' figures ([n]: their rows join the list)."""
    summary = ([_figures_line(main.head)] if main.head else []) + [M.BUDGET_TABLE_LINE.format(table=main.name)]
    for t in found.others:
        if t.head is not None:
            mark = f"[{found.marks[t.name]}] " if t.name in found.marks else ""
            summary.append(mark + M.BUDGET_ALSO_TABLE.format(table=t.name, figures=_figures_line(t.head, t.cols)))
    years = other_years_line(found.choice)
    return summary + ([years] if years else [])


def _rate_chart(dept: str, found: DeptBudget, year: str) -> Chart | None:
    rated = found.rated()
    if not found.rate_known or len(rated) < 2:
        return None
    series = [Series(name=M.BUDGET_COL_RATE_SERIES, values=[r for _, r in rated])]
    return Chart(kind="bar", title=M.BUDGET_CHART_TITLE.format(name=dept, year=year), labels=[n for n, _ in rated], series=series, unit="%")


def _dept_view(dept: str, found: DeptBudget, args: LookupArgs) -> Reply:
    choice, main = found.choice, found.main
    assert choice.chosen is not None and main is not None  # dept_budget fills both when a report is chosen
    report = choice.chosen
    rows = [[f"{b.name} [{found.marks[t]}]" if t in found.marks else b.name] + _cells(b, main.cols) for t, b in found.rows]
    page_rows, page, pages = paged(rows, args.page, PAGE_SIZE)
    base = _cmd(dept, choice.token(report) if choice.pinned else None)
    anchor = main.head or main.lines[0]
    return Reply(
        chart=_rate_chart(dept, found, year_label(report)),
        title=M.BUDGET_DEPT_TITLE.format(name=dept, year=year_label(report)),
        summary=_dept_summary(found, main),
        table=_table([M.BUDGET_COL_NAME_BY_RATE if found.rate_known else M.BUDGET_COL_NAME], main.cols, page_rows),
        footnote=footnote(report, anchor.as_of, anchor.source.line, figures=True),
        actions=page_actions(base, page, pages) + other_year_actions(_cmd(dept), choice),
        page=page,
        pages=pages,
    )


def _fiscal_reply(dept: str, year: int, found: FiscalBudget) -> Reply:
    """The year no report is named for, printed as a column of another report's table
    ('2019년예산' in the 2018 결산 report's '19년 예산 table)."""
    report, head, column = found.report, found.head, found.figure.column
    cols = list(head.values)
    return Reply(
        title=M.FISCAL_TITLE.format(name=dept, year=year, report=year_label(report)),
        summary=[
            f"{column_label(column)} {format_value(column, head.values.get(column), head.unit)}",
            _figures_line(head),
            M.FISCAL_NOTE.format(year=year, report=report_label(report), table=head.table),
        ],
        table=_table([M.BUDGET_COL_NAME], cols, [[b.name] + _cells(b, cols) for b in found.rows]),
        footnote=footnote(report, head.as_of, head.source.line, figures=True),
        actions=[Action(label=M.OTHER_YEAR.format(year=year_label(report)), command=_cmd(dept, found.everyone.token(report)))],
    )


# -- a row, a program --------------------------------------------------------------------
def _row_reply(ctx: Context, name: str, args: LookupArgs) -> Reply:
    found = row_budget(ctx.store, name, args.year, args.month)
    choice, here = found.choice, found.here
    if choice.chosen is None:
        return _no_year(name, choice)
    fields: list[tuple[str, str]] = []
    table = None
    if len(here) == 1:
        summary = [_figures_line(here[0])]
        fields = [(M.BUDGET_FIELD_DEPT, here[0].dept or M.BUDGET_OFFICE_WIDE), (M.BUDGET_COL_TABLE, here[0].table)]
    else:
        cols = key_columns(here)
        summary = [M.BUDGET_ROW_SEVERAL.format(count=len(here))]
        table = _table([M.BUDGET_FIELD_DEPT, M.BUDGET_COL_TABLE], cols, [[b.dept or M.BUDGET_OFFICE_WIDE, b.table] + [format_value(c, b.values.get(c), b.unit) for c in cols] for b in here])
    years = other_years_line(choice)
    depts = dict.fromkeys(b.dept for b in here if b.dept)
    actions = [Action(label=M.BUDGET_DEPT_ACTION.format(dept=d), command=f"/budget {d}") for d in depts][:MAX_ACTIONS]
    return Reply(
        title=M.BUDGET_ROW_TITLE.format(name=here[0].name, year=year_label(choice.chosen)),
        summary=summary + ([years] if years else []),
        fields=fields,
        table=table,
        footnote=footnote(choice.chosen, here[0].as_of, here[0].source.line if len(here) == 1 else None, figures=True),
        actions=actions + other_year_actions(_cmd(name), choice),
    )


def _program_reply(ctx: Context, title: str, args: LookupArgs) -> Reply:
    found = program_titled(ctx.store, title, args.year, args.month)
    p, report = found.program, found.choice.chosen
    if p is None or report is None:
        return _no_year(title, found.choice)
    actions = [Action(label=M.BUDGET_PROGRAM_ACTION, command=f"/program {p.title}")]
    if p.dept:
        actions.append(Action(label=M.BUDGET_DEPT_ACTION.format(dept=p.dept), command=f"/budget {p.dept}"))
    return Reply(
        title=M.BUDGET_PROGRAM_TITLE.format(name=p.title, year=year_label(report)),
        summary=[M.BUDGET_PROGRAM_NOTE],
        fields=[(M.BUDGET_FIELD_DEPT, p.dept or M.UNKNOWN_DEPT), (M.BUDGET_FIELD_PROGRAM_BUDGET, p.budget_text or M.BUDGET_NO_SENTENCE)],
        footnote=footnote(report, None, p.line),
        actions=actions,
    )


# -- the office ----------------------------------------------------------------------------
def _office_reply(ctx: Context, args: LookupArgs, org: str | None = None) -> Reply:
    found = office_budget(ctx.store, org, args.year, args.month)
    if found.choice.empty:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.BUDGET_NONE_TITLE, summary=[M.BUDGET_NONE])
    if found.main is None or found.choice.chosen is None:
        return _no_year(org or "", found.choice)
    return _office_view(ctx, org, found, found.main, args)


def _office_summary(found: OfficeBudget, main: BudgetTable) -> list[str]:
    summary = ([_figures_line(main.head)] if main.head else []) + [M.BUDGET_TABLE_LINE.format(table=main.name)]
    others = [t for t in found.table_names if t != main.name]
    if others:
        summary.append(M.BUDGET_OTHER_TABLES.format(tables=", ".join(others[:4]) + (" …" if len(others) > 4 else "")))
    years = other_years_line(found.choice)
    return summary + ([years] if years else [])


def _office_actions(ctx: Context, org: str | None, found: OfficeBudget, page_depts: list[BudgetLine]) -> list[Action]:
    """Each listed department (pinned to this report when it is not the newest), the office's other years, the other offices."""
    report = found.choice.chosen
    assert report is not None
    everyone = choose_report(ctx.store)
    pinned = everyone.token(report) if report.id != everyone.reports[0].id else None
    actions = [Action(label=M.BUDGET_DEPT_ACTION.format(dept=b.name), command=_cmd(b.dept or b.name, pinned)) for b in page_depts[:MAX_ACTIONS]]
    actions += other_year_actions(_cmd(report.org), found.choice)
    others = sorted(found.orgs - {report.org})
    return actions + [Action(label=M.BUDGET_ORG_ACTION.format(org=o), command=f"/budget {o}") for o in others][:MAX_ACTIONS]


def _office_view(ctx: Context, org: str | None, found: OfficeBudget, main: BudgetTable, args: LookupArgs) -> Reply:
    report = found.choice.chosen
    assert report is not None
    depts = found.depts
    page_depts, page, pages = paged(depts, args.page, PAGE_SIZE)
    rows = [[b.name] + [format_value(c, b.values.get(c), b.unit) for c in main.cols] for b in page_depts]
    base = _cmd(org or "", found.choice.token(report) if args.year is not None else None)
    anchor = main.head or (depts[0] if depts else main.lines[0])
    return Reply(
        title=M.BUDGET_OFFICE_TITLE.format(org=report.org, year=year_label(report)),
        summary=_office_summary(found, main),
        table=_table([M.BUDGET_COL_DEPT], main.cols, rows),
        footnote=footnote(report, anchor.as_of, anchor.source.line, figures=True),
        actions=page_actions(base, page, pages) + _office_actions(ctx, org, found, page_depts),
        page=page,
        pages=pages,
    )


# -- the command -----------------------------------------------------------------------------
def _compare(args: str, ctx: Context) -> Reply:
    from handlers.compare import compare_reply

    words = [w for w in args.split() if w.lower() not in _COMPARE_WORDS]
    years = [y for w in words if (y := parse_year(w)) is not None]
    name_words = [w for w in words if parse_year(w) is None]
    if not name_words:
        return Reply(kind=ReplyKind.USAGE, title=M.BUDGET_COMMAND_SUMMARY, summary=[M.COMPARE_USAGE])
    query = " ".join(name_words)
    pool, res = resolve_in(query, catalog.compare_pools(ctx.store))
    if not res.found or res.value is None or pool is None:
        return unresolved_reply(query, res, "/budget", " 비교" + "".join(f" {y}" for y in years), ctx)
    return compare_reply(ctx, res.value, "dept" if pool == "dept" else "row", years)


_BY_POOL = {"dept": _dept_reply, "row": _row_reply, "program": _program_reply}  # the pool that answered → its reply


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
    pool, res = resolve_in(a.name, catalog.budget_pools(ctx.store))
    if not res.found or res.value is None:
        return unresolved_reply(a.name, res, "/budget", a.report_suffix, ctx, answer_same=True)
    if pool == "org":
        return _office_reply(ctx, a, org=res.value)
    return _BY_POOL.get(pool or "program", _program_reply)(ctx, res.value, a)

