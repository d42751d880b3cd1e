"""/program QUERY [YEAR]: one 주요업무 program as the report tells it — owner
department, 사업개요, the budget sentence, 추진실적 highlights and 향후계획 with dates.

Several programs match → a short list to pick from. A department name → the list of
that department's programs."""

from __future__ import annotations

import re

from bot import messages as M
from bot.models import Milestone, Program
from handlers.args import LookupArgs, parse_lookup
from handlers.catalog import program_pools, programs_of_dept, programs_titled
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.names import normalize, resolve_in
from handlers.registry import command
from bot.replies import Action, Reply, ReplyKind, Section, Table
from handlers.sources import (
    footnote,
    newest_reports,
    pick_report,
    report_token,
    year_label,
)
from bot.replies.when import describe

MAX_ACHIEVEMENTS = 6
MAX_PLANS = 8
MAX_MILESTONES = 10
MAX_ACTIONS = 5


def _capped(lines: list[str], cap: int) -> list[str]:
    if len(lines) <= cap:
        return list(lines)
    return lines[:cap] + [M.PROGRAM_MORE_LINES.format(count=len(lines) - cap)]


def _overview_lines(text: str) -> list[str]:
    """The parser joins the 사업개요 block's lines with ' / '; show them as lines again."""
    parts = [part.strip() for line in text.splitlines() for part in re.split(r"\s+/\s+", line)]
    return [p for p in parts if p]


def _milestones_of(ctx: Context, p: Program) -> list[Milestone]:
    key = normalize(p.title)
    return [m for m in ctx.store.milestones_of(p.source.report_id) if m.program and normalize(m.program) == key and m.source]


def _program_reply(ctx: Context, title: str, args: LookupArgs) -> Reply:
    progs = programs_titled(ctx.store, title)
    reports = newest_reports(ctx.store, {p.source.report_id for p in progs})
    report = pick_report(reports, args.year, args.month)
    if report is None:
        years = ", ".join(dict.fromkeys(year_label(r) for r in reports))
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=M.PROGRAM_NO_YEAR_TITLE.format(year=args.year),
            summary=[M.PROGRAM_NO_YEAR.format(name=title, year=args.year, years=years or "-")],
            actions=[Action(label=year_label(r), command=f"/program {title} {report_token(r, reports)}") for r in reports[:MAX_ACTIONS]],
        )
    p = next(p for p in progs if p.source.report_id == report.id)
    fields = [(M.PROGRAM_FIELD_DEPT, p.dept or M.UNKNOWN_DEPT)]
    if p.group:
        fields.append((M.PROGRAM_FIELD_GROUP, p.group))
    fields.append((M.PROGRAM_FIELD_BUDGET, p.budget_text or M.PROGRAM_NO_BUDGET))
    sections: list[Section] = []
    if p.overview:
        sections.append(Section(heading=M.PROGRAM_OVERVIEW, lines=_overview_lines(p.overview)))
    if p.achievements:
        sections.append(Section(heading=M.PROGRAM_ACHIEVEMENTS, lines=_capped(p.achievements, MAX_ACHIEVEMENTS)))
    if p.plans:
        sections.append(Section(heading=M.PROGRAM_PLANS, lines=_capped(p.plans, MAX_PLANS)))
    dated = _milestones_of(ctx, p)
    if dated:
        lines = [f"{describe(m.start, m.end, m.precision)}  {m.title}" for m in dated]
        sections.append(Section(heading=M.PROGRAM_DATES, lines=_capped(lines, MAX_MILESTONES)))
    summary = []
    others = [r for r in reports if r.id != report.id]
    if others:
        summary.append(M.PROGRAM_OTHER_YEARS.format(years=", ".join(dict.fromkeys(year_label(r) for r in others))))
    actions = [Action(label=M.PROGRAM_OTHER_YEAR.format(year=year_label(r)), command=f"/program {p.title} {report_token(r, reports)}") for r in others[:MAX_ACTIONS]]
    if p.dept:
        actions.append(Action(label=M.PROGRAM_DEPT_BUDGET.format(dept=p.dept), command=f"/budget {p.dept}"))
        actions.append(Action(label=M.PROGRAM_DEPT_UPCOMING.format(dept=p.dept), command=f"/upcoming {p.dept}"))
    return Reply(
        title=M.PROGRAM_TITLE.format(title=p.title, year=year_label(report)),
        summary=summary,
        fields=fields,
        sections=sections,
        footnote=footnote(report, None, p.line),
        actions=actions,
    )


def _dept_programs(ctx: Context, dept: str, args: LookupArgs) -> Reply:
    progs = programs_of_dept(ctx.store, dept)
    reports = newest_reports(ctx.store, {p.source.report_id for p in progs})
    report = pick_report(reports, args.year, args.month)
    if report is None:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.PROGRAM_NONE_FOR_DEPT_TITLE, summary=[M.PROGRAM_NONE_FOR_DEPT.format(dept=dept)])
    mine = sorted((p for p in progs if p.source.report_id == report.id), key=lambda p: p.line)
    rows = [[str(i), p.title, p.budget_text or "-"] for i, p in enumerate(mine, 1)]
    return Reply(
        title=M.PROGRAM_DEPT_TITLE.format(dept=dept, year=year_label(report)),
        summary=[M.PROGRAM_DEPT_HINT],
        table=Table(columns=["#", M.PROGRAM_COL_TITLE, M.PROGRAM_FIELD_BUDGET], rows=rows, align_right=[True, False, False]),
        footnote=footnote(report),
        actions=[Action(label=p.title, command=f"/program {p.title}") for p in mine[:MAX_ACTIONS]],
    )


@command("program", M.PROGRAM_COMMAND_SUMMARY)
def program(args: str, ctx: Context) -> Reply:
    a = parse_lookup(args)
    if not a.words:
        return Reply(kind=ReplyKind.USAGE, title=M.PROGRAM_USAGE_TITLE, summary=[M.PROGRAM_USAGE])
    query = a.name
    kind, res = resolve_in(query, program_pools(ctx.store))
    if not res.found or res.value is None:
        return unresolved_reply(query, res, "/program", a.report_suffix, ctx, answer_same=True)
    if kind == "dept":
        return _dept_programs(ctx, res.value, a)
    return _program_reply(ctx, res.value, a)
