"""/upcoming [DAYS] [DEPT]: milestones from today (or the as-of date) onward, soonest
first, with D-day counts and the precision the report gave ("2021년 10월 중").

"Upcoming" is decided now, against the clock, never at parse time: a month-precision
milestone is still ahead until the month is over."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import messages as M
from bot.events import one_per_event, same_event
from bot.models import Milestone
from handlers.args import parse_page
from handlers.budget import department_names
from handlers.catalog import org_names
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.names import Pools, normalize, resolve_in
from handlers.pages import page_actions, paged
from handlers.registry import command
from bot.replies import Action, Reply, ReplyKind, Section, Table
from bot.replies.sources import report_label
from bot.replies.when import d_day, describe, dot_date, last_day

DEFAULT_DAYS = 30
MAX_DAYS = 3660
PAGE_SIZE = 40  # a 90-day window of a whole office fits on one page
MAX_ONGOING_LINES = 5
MAX_SOURCES = 3
PERIOD_SLACK = timedelta(days=366)  # how far a period ('2021년', '하반기') may end after its printed date

_DAYS = re.compile(r"^(\d+)(?:일|d|days?)?$", re.IGNORECASE)
_ONGOING_TOKEN = "진행중"
_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$")
_ONGOING_WORDS = frozenset({_ONGOING_TOKEN, "진행", "ongoing"})


def upcoming_milestones(ctx: Context, today: date, end: date | None) -> list[Milestone]:
    """Milestones that may still happen on or after ``today`` and start by ``end``,
    soonest first, each event once even if two lines of a report repeat it."""
    out: list[Milestone] = []
    # by bisect on the start date: a milestone's last day (its period's end) is at most a
    # year after its printed end, so nothing ending a year and a day earlier is read
    candidates = [m for m in ctx.store.milestones(start=today - PERIOD_SLACK, end=end) if last_day(m.start, m.end, m.precision) >= today]
    candidates.sort(key=lambda m: (m.start, m.end or m.start, len(m.title), m.title))
    # same_event needs one report and the same dates and department: only the kept ones
    # sharing those (among the last 20 kept) are compared, not every one
    kept_at: dict[tuple, list[int]] = {}
    for m in candidates:
        key = (m.source.report_id if m.source else None, m.start, m.end, m.precision, m.dept)
        near = [out[i] for i in kept_at.get(key, ()) if i >= len(out) - 20]
        if any(same_event(m, kept) for kept in near):
            continue
        kept_at.setdefault(key, []).append(len(out))
        out.append(m)
    out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
    return out


def _pools(ctx: Context, today: date) -> Pools:
    """Departments (of milestones from today, then every known one), offices, programs of
    milestones from today — prepared once a day per state of the store."""

    def build() -> Pools:
        ahead = ctx.store.milestones(start=today)
        return Pools(
            [
                ("dept", [m.dept for m in ahead if m.dept] + department_names(ctx)),
                ("org", org_names(ctx.store)),
                ("program", [m.program for m in ahead if m.program]),
            ]
        )

    return ctx.store.cached(("upcoming_pools", today), build)


def split_ongoing(items: list[Milestone], today: date) -> tuple[list[Milestone], list[Milestone]]:
    """(already under way, still ahead): a period that began before today — a range, a
    half year, this month without a day — is under way, not upcoming."""
    ongoing = [m for m in items if m.start < today]
    ahead = [m for m in items if m.start >= today]
    return ongoing, ahead


def _sources(ctx: Context, items: list[Milestone]) -> str:
    labels: list[str] = []
    manual = False
    seen: set[str] = set()
    for m in items:
        if m.source is None:
            manual = True
            continue
        if m.source.report_id in seen:  # each report looked up once
            continue
        seen.add(m.source.report_id)
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
    only_ongoing = False
    rest: list[str] = []
    window_from: date | None = None
    for w in list(words):
        if (wm := _WINDOW.match(w)) is not None:
            try:
                window_from, window_to = date.fromisoformat(wm.group(1)), date.fromisoformat(wm.group(2))
            except ValueError:
                return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_WINDOW])
            words.remove(w)
        elif re.match(r"^-\d+", w):
            return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_DAYS.format(max=MAX_DAYS)])
    if window_from is not None:
        return _window_reply(ctx, window_from, window_to, " ".join(words))
    for w in words:
        m = _DAYS.match(w)
        if m and days is None:
            days = int(m.group(1))
        elif w.lower() in _ONGOING_WORDS:
            only_ongoing = True
        else:
            rest.append(w)
    if days is not None and not 1 <= days <= MAX_DAYS:
        return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_DAYS.format(max=MAX_DAYS)])
    today = ctx.clock.today()
    dept: str | None = None
    org: str | None = None
    program: str | None = None
    if rest:
        query = " ".join(rest)
        kind, res = resolve_in(query, _pools(ctx, today))
        if not res.found or res.value is None:
            suffix = f" {days}" if days else ""
            return unresolved_reply(query, res, "/upcoming", suffix, ctx)
        if kind == "dept":
            dept = res.value
        elif kind == "org":
            org = res.value
        else:
            program = res.value
    window = days if days is not None else (None if rest else DEFAULT_DAYS)
    end = today + timedelta(days=window) if window is not None else None
    items = upcoming_milestones(ctx, today, end)
    if dept is not None:
        items = [m for m in items if m.dept and normalize(m.dept) == normalize(dept)]
    if program is not None:
        items = [m for m in items if m.program and normalize(m.program) == normalize(program)]
    if org is not None:
        ids = {r.id for r in ctx.store.reports() if normalize(r.org) == normalize(org)}
        items = [m for m in items if m.source is not None and m.source.report_id in ids]

    subject = dept or org or program
    if window is not None:
        span = M.UPCOMING_SPAN_DAYS.format(start=dot_date(today), days=window, end=dot_date(end))  # type: ignore[arg-type]
    else:
        span = M.UPCOMING_SPAN_OPEN.format(start=dot_date(today))
    title = M.UPCOMING_TITLE_FOR.format(subject=subject, span=span) if subject else M.UPCOMING_TITLE.format(span=span)
    base = " ".join(w for w in ("/upcoming", only_ongoing and _ONGOING_TOKEN, str(window) if days is not None else "", subject or "") if w)
    if not items:
        wider = [Action(label=M.UPCOMING_WIDER, command=f"/upcoming 365{' ' + subject if subject else ''}")] if window is not None and window < 365 else []
        return Reply(title=title, summary=[M.UPCOMING_NONE], footnote=M.UPCOMING_TODAY.format(today=dot_date(today)), actions=wider)
    ongoing, ahead = split_ongoing(items, today)
    listed = ongoing if only_ongoing else ahead
    page_items, page, pages = paged(listed, page, PAGE_SIZE)
    rows = [
        [describe(m.start, m.end, m.precision), d_day(today, m.start, m.end, m.precision), m.dept or "-", m.title]
        for m in page_items
    ]
    summary = [M.UPCOMING_COUNT.format(ahead=len(ahead), ongoing=len(ongoing))]
    if any(m.precision != "day" for m in page_items):
        summary.append(M.UPCOMING_PRECISION_NOTE)
    sections = []
    if ongoing and not only_ongoing and page == 1:
        lines = [M.UPCOMING_ONGOING_LINE.format(when=describe(m.start, m.end, m.precision), title=m.title, dept=m.dept or "-") for m in ongoing[:MAX_ONGOING_LINES]]
        if len(ongoing) > MAX_ONGOING_LINES:
            lines.append(M.UPCOMING_ONGOING_MORE.format(count=len(ongoing) - MAX_ONGOING_LINES, command=_ongoing_command(days, subject)))
        sections.append(Section(heading=M.UPCOMING_ONGOING_HEADING.format(count=len(ongoing)), lines=lines))
    if not listed:
        summary.append(M.UPCOMING_NONE_AHEAD if not only_ongoing else M.UPCOMING_NONE)
    actions = page_actions(base, page, pages)
    if ongoing and not only_ongoing and len(ongoing) > MAX_ONGOING_LINES:
        actions.append(Action(label=M.UPCOMING_ONGOING_ACTION, command=_ongoing_command(days, subject)))
    depts = list(dict.fromkeys(m.dept for m in listed if m.dept))
    if subject is None:
        actions += [Action(label=M.UPCOMING_DEPT_ACTION.format(dept=d), command=f"/upcoming {d}") for d in depts[:4]]
    return Reply(
        title=M.UPCOMING_ONGOING_TITLE.format(title=title) if only_ongoing else title,
        summary=summary,
        table=Table(columns=[M.UPCOMING_COL_WHEN, M.UPCOMING_COL_DDAY, M.UPCOMING_COL_DEPT, M.UPCOMING_COL_TITLE], rows=rows, align_right=[False, True, False, False])
        if rows
        else None,
        sections=sections,
        footnote=M.UPCOMING_FOOTNOTE.format(today=dot_date(today), sources=_sources(ctx, items)),
        actions=actions,
        page=page,
        pages=pages,
    )


def _ongoing_command(days: int | None, subject: str | None) -> str:
    return " ".join(w for w in ("/upcoming", _ONGOING_TOKEN, str(days) if days else "", subject or "") if w)


def _window_reply(ctx: Context, start: date, end: date, query: str) -> Reply:
    """'/upcoming 2021-09-13~2021-09-19 [NAME]': what happens in that window ('다음 주 일정'),
    including month or range items that overlap it."""
    items = [m for m in ctx.store.milestones(start - PERIOD_SLACK, end) if m.start <= end and last_day(m.start, m.end, m.precision) >= start]
    subject = None
    if query:
        pools = [("dept", [m.dept for m in items if m.dept] + department_names(ctx)), ("program", [m.program for m in items if m.program])]
        kind, res = resolve_in(query, pools)
        if not res.found or res.value is None:
            return unresolved_reply(query, res, "/upcoming", f" {start.isoformat()}~{end.isoformat()}", ctx)
        subject = res.value
        field_of = (lambda m: m.dept) if kind == "dept" else (lambda m: m.program)
        items = [m for m in items if field_of(m) and normalize(field_of(m)) == normalize(subject)]
    by_report: dict[object, list[Milestone]] = {}
    for m in items:
        by_report.setdefault(m.source.report_id if m.source else None, []).append(m)
    items = sorted((m for group in by_report.values() for m in one_per_event(group)), key=lambda m: (m.start, m.title))
    today = ctx.clock.today()
    span = M.UPCOMING_SPAN_WINDOW.format(start=dot_date(start), end=dot_date(end))
    title = M.UPCOMING_TITLE_FOR.format(subject=subject, span=span) if subject else M.UPCOMING_TITLE.format(span=span)
    rows = [[describe(m.start, m.end, m.precision), d_day(today, m.start, m.end, m.precision), m.dept or "-", m.title] for m in items[:PAGE_SIZE]]
    if not rows:
        return Reply(title=title, summary=[M.UPCOMING_NONE], footnote=M.UPCOMING_TODAY.format(today=dot_date(today)))
    return Reply(
        title=title,
        summary=[M.UPCOMING_COUNT.format(ahead=len(items), ongoing=0).split("·")[0].strip() if False else f"{len(items)}건"],
        table=Table(columns=[M.UPCOMING_COL_WHEN, M.UPCOMING_COL_DDAY, M.UPCOMING_COL_DEPT, M.UPCOMING_COL_TITLE], rows=rows, align_right=[False, True, False, False]),
        footnote=M.UPCOMING_FOOTNOTE.format(today=dot_date(today), sources=_sources(ctx, items)),
    )
