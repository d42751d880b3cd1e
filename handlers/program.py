"""/program QUERY [YEAR]: one 주요업무 program as the report tells it — owner
department, 사업개요, the budget sentence, 추진실적 highlights and 향후계획 with dates.

Several programs match → a short list to pick from. A department name → the list of
that department's programs."""

from __future__ import annotations

import re

from bot import messages as M
from bot.lookups.catalog import program_pools
from bot.lookups.names import resolve_in
from bot.lookups.programs import ProgramChoice, dept_programs, program_milestones, program_titled
from bot.models import Program
from bot.replies import Action, Reply, ReplyKind, Section, Table
from bot.replies.sources import footnote, year_label
from bot.replies.when import describe
from bot.replies.years import no_year_reply, other_year_actions, other_years_line
from handlers.args import LookupArgs, parse_lookup
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.registry import command

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


def _fields(p: Program) -> list[tuple[str, str]]:
    fields = [(M.PROGRAM_FIELD_DEPT, p.dept or M.UNKNOWN_DEPT)]
    if p.group:
        fields.append((M.PROGRAM_FIELD_GROUP, p.group))
    return fields + [(M.PROGRAM_FIELD_BUDGET, p.budget_text or M.PROGRAM_NO_BUDGET)]


def _sections(ctx: Context, p: Program) -> list[Section]:
    """사업개요, 추진실적, 향후계획 and the dates printed for the program (each capped)."""
    dates = [f"{describe(m.start, m.end, m.precision)}  {m.title}" for m in program_milestones(ctx.store, p)]
    parts = [
        (M.PROGRAM_OVERVIEW, _overview_lines(p.overview) if p.overview else []),
        (M.PROGRAM_ACHIEVEMENTS, _capped(p.achievements, MAX_ACHIEVEMENTS)),
        (M.PROGRAM_PLANS, _capped(p.plans, MAX_PLANS)),
        (M.PROGRAM_DATES, _capped(dates, MAX_MILESTONES)),
    ]
    return [Section(heading=h, lines=lines) for h, lines in parts if lines]


def _program_reply(ctx: Context, title: str, args: LookupArgs) -> Reply:
    found = program_titled(ctx.store, title, args.year, args.month)
    if found.program is None or found.choice.chosen is None:
        return no_year_reply(found.choice, f"/program {title}", M.PROGRAM_NO_YEAR, name=title)
    return _program_view(ctx, found, found.program)


def _program_view(ctx: Context, found: ProgramChoice, p: Program) -> Reply:
    report = found.choice.chosen
    assert report is not None
    years = other_years_line(found.choice, M.PROGRAM_OTHER_YEARS)
    actions = other_year_actions(f"/program {p.title}", found.choice)
    if p.dept:
        actions.append(Action(label=M.PROGRAM_DEPT_BUDGET.format(dept=p.dept), command=f"/budget {p.dept}"))
        actions.append(Action(label=M.PROGRAM_DEPT_UPCOMING.format(dept=p.dept), command=f"/upcoming {p.dept}"))
    return Reply(
        title=M.PROGRAM_TITLE.format(title=p.title, year=year_label(report)),
        summary=[years] if years else [],
        fields=_fields(p),
        sections=_sections(ctx, p),
        footnote=footnote(report, None, p.line),
        actions=actions,
    )


def _dept_programs(ctx: Context, dept: str, args: LookupArgs) -> Reply:
    found = dept_programs(ctx.store, dept, args.year, args.month)
    report = found.choice.chosen
    if report is None:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.PROGRAM_NONE_FOR_DEPT_TITLE, summary=[M.PROGRAM_NONE_FOR_DEPT.format(dept=dept)])
    rows = [[str(i), p.title, p.budget_text or "-"] for i, p in enumerate(found.programs, 1)]
    return Reply(
        title=M.PROGRAM_DEPT_TITLE.format(dept=dept, year=year_label(report)),
        summary=[M.PROGRAM_DEPT_HINT],
        table=Table(columns=["#", M.PROGRAM_COL_TITLE, M.PROGRAM_FIELD_BUDGET], rows=rows, align_right=[True, False, False]),
        footnote=footnote(report),
        actions=[Action(label=p.title, command=f"/program {p.title}") for p in found.programs[:MAX_ACTIONS]],
    )


@command("program", M.PROGRAM_COMMAND_SUMMARY)
def program(args: str, ctx: Context) -> Reply:
    a = parse_lookup(args)
    if not a.words:
        return Reply(kind=ReplyKind.USAGE, title=M.PROGRAM_USAGE_TITLE, summary=[M.PROGRAM_USAGE])
    pool, res = resolve_in(a.name, program_pools(ctx.store))
    if not res.found or res.value is None:
        return unresolved_reply(a.name, res, "/program", a.report_suffix, ctx, answer_same=True)
    if pool == "dept":
        return _dept_programs(ctx, res.value, a)
    return _program_reply(ctx, res.value, a)
