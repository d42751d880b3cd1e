"""/upcoming [DAYS] [DEPT]: milestones from today (or the as-of date) onward, soonest
first, with D-day counts and the precision the report gave ("2021년 10월 중").

"Upcoming" is decided now, against the clock, never at parse time: a month-precision
milestone is still ahead until the month is over."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import messages as M
from bot.models import Milestone
from handlers.args import parse_page
from handlers.budget import department_names
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.names import normalize, resolve_in
from handlers.pages import page_actions, paged
from handlers.registry import command
from handlers.reply import Action, Reply, ReplyKind, Table
from handlers.sources import report_label
from handlers.when import d_day, describe, dot_date, last_day

DEFAULT_DAYS = 30
MAX_DAYS = 3660
PAGE_SIZE = 15
MAX_SOURCES = 3

_DAYS = re.compile(r"^(\d+)(?:일|d|days?)?$", re.I)


def upcoming_milestones(ctx: Context, today: date, end: date | None) -> list[Milestone]:
    """Milestones that may still happen on or after ``today`` and start by ``end``,
    soonest first, each printed once even if two lines of a report repeat it."""
    seen: set[tuple[str, date, date | None]] = set()
    out: list[Milestone] = []
    for m in ctx.store.milestones(end=end):
        if last_day(m.start, m.end, m.precision) < today:
            continue
        key = (normalize(m.title), m.start, m.end)
        if key in seen:
            continue
        seen.add(key)
        out.append(m)
    out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
    return out


def _sources(ctx: Context, items: list[Milestone]) -> str:
    labels: list[str] = []
    manual = False
    for m in items:
        if m.source is None:
            manual = True
            continue
        r = ctx.store.report(m.source.report_id)
        if r is not None and (label := report_label(r)) not in labels:
            labels.append(label)
    shown = labels[:MAX_SOURCES]
    if len(labels) > MAX_SOURCES:
        shown.append(M.UPCOMING_MORE_SOURCES.format(count=len(labels) - MAX_SOURCES))
    if manual:
        shown.append(M.UPCOMING_MANUAL_SOURCE)
    return ", ".join(shown)


@command("upcoming", M.UPCOMING_COMMAND_SUMMARY)
def upcoming(args: str, ctx: Context) -> Reply:
    words = args.split()
    page = 1
    if words and (p := parse_page(words[-1])) is not None:
        page, words = p, words[:-1]
    days: int | None = None
    rest: list[str] = []
    for w in words:
        m = _DAYS.match(w)
        if m and days is None:
            days = int(m.group(1))
        else:
            rest.append(w)
    if days is not None and not 1 <= days <= MAX_DAYS:
        return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_DAYS.format(max=MAX_DAYS)])
    today = ctx.clock.today()
    dept: str | None = None
    program: str | None = None
    if rest:
        query = " ".join(rest)
        milestones_all = ctx.store.milestones(start=today)
        pools = [
            ("dept", [m.dept for m in milestones_all if m.dept] + department_names(ctx)),
            ("program", [m.program for m in milestones_all if m.program]),
        ]
        kind, res = resolve_in(query, pools)
        if not res.found or res.value is None:
            suffix = f" {days}" if days else ""
            return unresolved_reply(query, res, "/upcoming", suffix)
        dept, program = (res.value, None) if kind == "dept" else (None, res.value)
    window = days if days is not None else (None if rest else DEFAULT_DAYS)
    end = today + timedelta(days=window) if window is not None else None
    items = upcoming_milestones(ctx, today, end)
    if dept is not None:
        items = [m for m in items if m.dept and normalize(m.dept) == normalize(dept)]
    if program is not None:
        items = [m for m in items if m.program and normalize(m.program) == normalize(program)]

    subject = dept or program
    if window is not None:
        span = M.UPCOMING_SPAN_DAYS.format(start=dot_date(today), days=window, end=dot_date(end))  # type: ignore[arg-type]
    else:
        span = M.UPCOMING_SPAN_OPEN.format(start=dot_date(today))
    title = M.UPCOMING_TITLE_FOR.format(subject=subject, span=span) if subject else M.UPCOMING_TITLE.format(span=span)
    base = "/upcoming" + (f" {window}" if days is not None else "") + (f" {subject}" if subject else "")
    if not items:
        wider = [Action(label=M.UPCOMING_WIDER, command=f"/upcoming 365{' ' + subject if subject else ''}")] if window is not None and window < 365 else []
        return Reply(title=title, summary=[M.UPCOMING_NONE], footnote=M.UPCOMING_TODAY.format(today=dot_date(today)), actions=wider)
    page_items, page, pages = paged(items, page, PAGE_SIZE)
    rows = [
        [describe(m.start, m.end, m.precision), d_day(today, m.start, m.end, m.precision), m.title, m.dept or "-"]
        for m in page_items
    ]
    actions = page_actions(base, page, pages)
    depts = list(dict.fromkeys(m.dept for m in items if m.dept))
    if subject is None:
        actions += [Action(label=M.UPCOMING_DEPT_ACTION.format(dept=d), command=f"/upcoming {d}") for d in depts[:4]]
    summary = [M.UPCOMING_COUNT.format(count=len(items))]
    if any(m.precision != "day" for m in page_items):
        summary.append(M.UPCOMING_PRECISION_NOTE)
    return Reply(
        title=title,
        summary=summary,
        table=Table(columns=[M.UPCOMING_COL_WHEN, M.UPCOMING_COL_DDAY, M.UPCOMING_COL_TITLE, M.UPCOMING_COL_DEPT], rows=rows, align_right=[False, True, False, False]),
        footnote=M.UPCOMING_FOOTNOTE.format(today=dot_date(today), sources=_sources(ctx, items)),
        actions=actions,
        page=page,
        pages=pages,
    )

