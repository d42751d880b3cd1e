"""/when X ('… 언제야?'): the dates of a program or event, newest report first.

One event printed several times in one report (the 축제 in its program, its 행사개요 and
the schedule table) is one milestone (bot/events.py: the rule /upcoming and the
reminders use too). When a newer report prints the same event with
another date, the older date is shown as superseded, not as a second event."""

from __future__ import annotations

from bot import messages as M
from bot.events import event_key, one_per_event
from bot.models import Milestone, Report
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.names import normalize, resolve_in
from handlers.registry import command
from bot.replies import Action, Reply, ReplyKind, Section
from bot.replies.sources import report_label
from bot.replies.when import describe, dot_date

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


@command("when", "사업·행사 날짜 (언제?)")
def when(args: str, ctx: Context) -> Reply:
    query = args.strip()
    if not query:
        return Reply(kind=ReplyKind.USAGE, title=M.WHEN_USAGE_TITLE, summary=[M.WHEN_USAGE])
    ms = ctx.store.milestones()
    pools = [
        ("program", [m.program for m in ms if m.program] + [p.title for p in ctx.store.programs()]),
        ("event", [m.title for m in ms]),
    ]
    _, res = resolve_in(query, pools)
    if not res.found or res.value is None:
        # A part of many event titles ('축제') is still one question if they share the part.
        hits = _matching(ctx, query) if len(normalize(query)) >= 2 else []
        if not hits:
            return unresolved_reply(query, res, "/when", ctx=ctx, answer_same=True)
        name = query
    else:
        name = res.value
        hits = _matching(ctx, name)
    if not hits:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.WHEN_TITLE.format(name=name), summary=[M.WHEN_NONE.format(name=name)])
    reports: dict[str, Report] = {r.id: r for r in ctx.store.reports()}
    by_report: dict[str | None, list[Milestone]] = {}
    for m in hits:
        by_report.setdefault(m.source.report_id if m.source else None, []).append(m)
    order = sorted(by_report, key=lambda rid: reports[rid].report_date.toordinal() if rid in reports else 10**7, reverse=True)
    newest_dates: dict[str, Milestone] = {}
    sections: list[Section] = []
    count = 0
    for rid in order[:MAX_REPORTS]:
        kept = one_per_event(by_report[rid])
        lines: list[str] = []
        for m in kept[:MAX_LINES]:
            when_text = describe(m.start, m.end, m.precision)
            k = event_key(m)
            newer = newest_dates.get(k)
            if newer is not None and (newer.start, newer.end) != (m.start, m.end) and newer.start.year == m.start.year:
                lines.append(M.WHEN_SUPERSEDED.format(when=when_text, title=m.title, new=describe(newer.start, newer.end, newer.precision)))
            else:
                lines.append(M.WHEN_LINE.format(when=when_text, title=m.title, dept=f" ({m.dept})" if m.dept else ""))
                count += 1
            newest_dates.setdefault(k, m)
        heading = report_label(reports[rid]) if rid in reports else M.UPCOMING_MANUAL_SOURCE
        sections.append(Section(heading=heading, lines=lines))
    return Reply(
        title=M.WHEN_TITLE.format(name=name),
        summary=[M.WHEN_SUMMARY.format(count=count, reports=len(sections))],
        sections=sections,
        footnote=M.WHEN_FOOTNOTE.format(today=dot_date(ctx.clock.today())),
        actions=[Action(label=M.Q_READ_PROGRAM.format(name=name), command=f"/program {name}")],
    )
