"""/when X ('… 언제야?'): the dates of a program or event, newest report first.

One event printed several times in one report (the 축제 in its program, its 행사개요 and
the schedule table) is one milestone (bot/events.py: the rule /upcoming and the
reminders use too). When a newer report prints the same event with
another date, the older date is shown as superseded, not as a second event."""

from __future__ import annotations

from bot import messages as M
from bot.events import event_key, one_per_event
from bot.lookups.names import normalize, resolve_in
from bot.models import Milestone, Report
from bot.replies import Action, Reply, ReplyKind, Section
from bot.replies.sources import report_label
from bot.replies.when import describe, dot_date
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.registry import command

MAX_REPORTS = 5
MAX_LINES = 12

_YEARISH = str.maketrans("", "", "0123456789'")


def _matching(ctx: Context, name: str) -> list[Milestone]:
    key = normalize(name)
    bare = key.translate(_YEARISH)
    return [
        m
        for m in ctx.store.milestones()
        if (m.program and normalize(m.program) == key) or bare in normalize(m.title).translate(_YEARISH)
    ]


def _find(ctx: Context, query: str) -> tuple[str, list[Milestone]] | Reply:
    """(the name answered, its milestones), or the reply for a name that names nothing."""
    ms = ctx.store.milestones()
    pools = [
        ("program", [m.program for m in ms if m.program] + [p.title for p in ctx.store.programs()]),
        ("event", [m.title for m in ms]),
    ]
    _, res = resolve_in(query, pools)
    if res.found and res.value is not None:
        return res.value, _matching(ctx, res.value)
    # A part of many event titles ('축제') is still one question if they share the part.
    hits = _matching(ctx, query) if len(normalize(query)) >= 2 else []
    if not hits:
        return unresolved_reply(query, res, "/when", ctx=ctx, answer_same=True)
    return query, hits


@command("when", "사업·행사 날짜 (언제?)")
def when(args: str, ctx: Context) -> Reply:
    query = args.strip()
    if not query:
        return Reply(kind=ReplyKind.USAGE, title=M.WHEN_USAGE_TITLE, summary=[M.WHEN_USAGE])
    found = _find(ctx, query)
    if isinstance(found, Reply):
        return found
    name, hits = found
    if not hits:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.WHEN_TITLE.format(name=name), summary=[M.WHEN_NONE.format(name=name)])
    reports: dict[str, Report] = {r.id: r for r in ctx.store.reports()}
    sections, count = _report_sections(_by_report_newest_first(hits, reports), reports)
    return Reply(
        title=M.WHEN_TITLE.format(name=name),
        summary=[M.WHEN_SUMMARY.format(count=count, reports=len(sections))],
        sections=sections,
        footnote=M.WHEN_FOOTNOTE.format(today=dot_date(ctx.clock.today())),
        actions=[Action(label=M.Q_READ_PROGRAM.format(name=name), command=f"/program {name}")],
    )


def _by_report_newest_first(hits: list[Milestone], reports: dict[str, Report]) -> list[tuple[str | None, list[Milestone]]]:
    """The milestones grouped by report, newest report first (hand-added ones last)."""
    by_report: dict[str | None, list[Milestone]] = {}
    for m in hits:
        by_report.setdefault(m.source.report_id if m.source else None, []).append(m)
    order = sorted(by_report, key=lambda rid: reports[rid].report_date.toordinal() if rid in reports else 10**7, reverse=True)
    return [(rid, by_report[rid]) for rid in order[:MAX_REPORTS]]


def _report_sections(groups: list[tuple[str | None, list[Milestone]]], reports: dict[str, Report]) -> tuple[list[Section], int]:
    """One section per report, each event once; a date a newer report changed is shown as
    superseded. Returns the sections and how many current dates they hold."""
    newest_dates: dict[str, Milestone] = {}
    sections: list[Section] = []
    count = 0
    for rid, ms in groups:
        lines: list[str] = []
        for m in one_per_event(ms)[:MAX_LINES]:
            k = event_key(m)
            line, current = _date_line(m, newest_dates.get(k))
            lines.append(line)
            count += current
            newest_dates.setdefault(k, m)
        heading = report_label(reports[rid]) if rid is not None and rid in reports else M.UPCOMING_MANUAL_SOURCE
        sections.append(Section(heading=heading, lines=lines))
    return sections, count


def _date_line(m: Milestone, newer: Milestone | None) -> tuple[str, bool]:
    """(the line for ``m``, whether it is a current date) — superseded when a newer report
    printed the same event of the same year with other dates."""
    when_text = describe(m.start, m.end, m.precision)
    if newer is not None and (newer.start, newer.end) != (m.start, m.end) and newer.start.year == m.start.year:
        return M.WHEN_SUPERSEDED.format(when=when_text, title=m.title, new=describe(newer.start, newer.end, newer.precision)), False
    return M.WHEN_LINE.format(when=when_text, title=m.title, dept=f" ({m.dept})" if m.dept else ""), True
