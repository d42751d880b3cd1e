"""/upcoming [DAYS] [DEPT]: milestones from today (or the as-of date) onward, soonest
first, with D-day counts and the precision the report gave ("2021년 10월 중").

"Upcoming" is decided now, against the clock, never at parse time: a month-precision
milestone is still ahead until the month is over."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot import messages as M
from bot.events import one_per_event
from bot.lookups.catalog import org_names
from bot.lookups.departments import department_pool
from bot.lookups.names import Pools, normalize, resolve_in
from bot.lookups.upcoming import PERIOD_SLACK, milestones_ahead
from bot.models import Milestone
from bot.replies import Action, Reply, ReplyKind, Section, Table
from bot.replies.sources import report_label
from bot.replies.when import d_day, describe, dot_date, last_day
from handlers.args import parse_page
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.pages import page_actions, paged
from handlers.registry import command

DEFAULT_DAYS = 30
MAX_DAYS = 3660
PAGE_SIZE = 40  # a 90-day window of a whole office fits on one page
MAX_ONGOING_LINES = 5
MAX_SOURCES = 3

_DAYS = re.compile(r"^(\d+)(?:일|d|days?)?$", re.IGNORECASE)
_ONGOING_TOKEN = "진행중"
_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$")
_ONGOING_WORDS = frozenset({_ONGOING_TOKEN, "진행", "ongoing"})


def upcoming_milestones(ctx: Context, today: date, end: date | None) -> list[Milestone]:
    """Milestones that may still happen on or after ``today`` and start by ``end``,
    soonest first, each event once even if two lines of a report repeat it."""
    return milestones_ahead(ctx.store, today).until(end)


def _pools(ctx: Context, today: date) -> Pools:
    """Departments (the one directory), offices, programs of milestones from today —
    prepared once a day per state of the store."""

    def build() -> Pools:
        ahead = ctx.store.milestones(start=today)
        return Pools(
            [
                ("dept", department_pool(ctx.store)),
                ("org", org_names(ctx.store)),
                ("program", [m.program for m in ahead if m.program]),
            ]
        )

    return ctx.store.cached(("upcoming_pools", today), build)


def split_ongoing(items: list[Milestone], today: date) -> tuple[list[Milestone], list[Milestone]]:
    """(already under way, still ahead): a period that began before today — a range, a
    half year, this month without a day — is under way, not upcoming. ``items`` soonest first."""
    cut = bisect.bisect_left(items, today, key=lambda m: m.start)
    return items[:cut], items[cut:]


def _sources(ctx: Context, items: list[Milestone], rids: list[str] | None = None) -> str:
    """The reports the milestones come from (``rids`` when known: their ids in order)."""
    labels_of = ctx.store.cached("report_labels", lambda: {r.id: report_label(r) for r in ctx.store.reports()})
    if rids is None:
        rids = list(dict.fromkeys(m.source.report_id if m.source is not None else "" for m in items))
    labels = list(dict.fromkeys(labels_of[rid] for rid in rids if rid in labels_of))
    shown = labels[:MAX_SOURCES]
    if len(labels) > MAX_SOURCES:
        shown.append(M.UPCOMING_MORE_SOURCES.format(count=len(labels) - MAX_SOURCES))
    if "" in rids:
        shown.append(M.UPCOMING_MANUAL_SOURCE)
    return ", ".join(shown)


@dataclass
class _Asked:
    """What '/upcoming …' asks: a window of days (or a dated window), a name, ongoing only, a page."""

    page: int = 1
    days: int | None = None
    ongoing: bool = False
    words: list[str] = field(default_factory=list)
    window: tuple[date, date] | None = None

    @property
    def query(self) -> str:
        return " ".join(self.words)


@dataclass
class _Subject:
    """The name asked about, resolved: which kind (dept, org, program) and its printed form."""

    kind: str | None = None
    name: str | None = None


def _bad_days() -> Reply:
    return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_DAYS.format(max=MAX_DAYS)])


def _parse(args: str) -> _Asked | Reply:
    """The words of '/upcoming' sorted out, or the usage reply for a bad number or window."""
    asked = _Asked()
    words = args.split()
    if words and (p := parse_page(words[-1])) is not None:
        asked.page, words = p, words[:-1]
    bad = _find_window(words, asked)
    if bad is not None:
        return bad
    words = [w for w in words if not _WINDOW.match(w)]
    if asked.window is not None:  # the rest of a window's words name what to show in it
        asked.words = words
        return asked
    for w in words:
        if (m := _DAYS.match(w)) and asked.days is None:
            asked.days = int(m.group(1))
        elif w.lower() in _ONGOING_WORDS:
            asked.ongoing = True
        else:
            asked.words.append(w)
    if asked.days is not None and not 1 <= asked.days <= MAX_DAYS:
        return _bad_days()
    return asked


def _find_window(words: list[str], asked: _Asked) -> Reply | None:
    """A dated window ('다음 주 일정') or a negative count, anywhere among the words."""
    for w in words:
        if (wm := _WINDOW.match(w)) is not None:
            try:
                asked.window = date.fromisoformat(wm.group(1)), date.fromisoformat(wm.group(2))
            except ValueError:
                return Reply(kind=ReplyKind.USAGE, title=M.UPCOMING_BAD_DAYS_TITLE, summary=[M.UPCOMING_BAD_WINDOW])
        elif re.match(r"^-\d+", w):
            return _bad_days()
    return None


def _resolve_subject(ctx: Context, asked: _Asked, today: date) -> _Subject | Reply:
    if not asked.words:
        return _Subject()
    kind, res = resolve_in(asked.query, _pools(ctx, today))
    if not res.found or res.value is None:
        return unresolved_reply(asked.query, res, "/upcoming", f" {asked.days}" if asked.days else "", ctx)
    return _Subject(kind, res.value)


def _about(ctx: Context, items: list[Milestone], subject: _Subject) -> list[Milestone]:
    """Only the milestones of the department, office or program asked about."""
    if subject.name is None:
        return items
    want = normalize(subject.name)
    if subject.kind == "org":
        ids = {r.id for r in ctx.store.reports() if normalize(r.org) == want}
        return [m for m in items if m.source is not None and m.source.report_id in ids]
    named = (lambda m: m.dept) if subject.kind == "dept" else (lambda m: m.program)
    return [m for m in items if (n := named(m)) and normalize(n) == want]


@command("upcoming", M.UPCOMING_COMMAND_SUMMARY)
def upcoming(args: str, ctx: Context) -> Reply:
    asked = _parse(args)
    if isinstance(asked, Reply):
        return asked
    if asked.window is not None:
        return _window_reply(ctx, *asked.window, asked.query)
    today = ctx.clock.today()
    subject = _resolve_subject(ctx, asked, today)
    if isinstance(subject, Reply):
        return subject
    window = asked.days if asked.days is not None else (None if asked.words else DEFAULT_DAYS)
    end = today + timedelta(days=window) if window is not None else None
    ahead = milestones_ahead(ctx.store, today)
    rids = None
    if subject.kind in ("dept", "program") and subject.name is not None:
        items = ahead.named(subject.kind, subject.name, end)
    elif subject.name is None:
        items, rids = ahead.until(end), ahead.sources_until(end)
    else:
        items = _about(ctx, ahead.until(end), subject)
    return _list_reply(ctx, asked, subject.name, items, today, window, rids)


def _title(subject: str | None, today: date, window: int | None) -> str:
    if window is not None:
        span = M.UPCOMING_SPAN_DAYS.format(start=dot_date(today), days=window, end=dot_date(today + timedelta(days=window)))
    else:
        span = M.UPCOMING_SPAN_OPEN.format(start=dot_date(today))
    return M.UPCOMING_TITLE_FOR.format(subject=subject, span=span) if subject else M.UPCOMING_TITLE.format(span=span)


def _table(rows: list[list[str]]) -> Table | None:
    if not rows:
        return None
    return Table(columns=[M.UPCOMING_COL_WHEN, M.UPCOMING_COL_DDAY, M.UPCOMING_COL_DEPT, M.UPCOMING_COL_TITLE], rows=rows, align_right=[False, True, False, False])


def _rows(items: list[Milestone], today: date) -> list[list[str]]:
    return [[describe(m.start, m.end, m.precision), d_day(today, m.start, m.end, m.precision), m.dept or "-", m.title] for m in items]


def _ongoing_section(ongoing: list[Milestone], days: int | None, subject: str | None) -> Section:
    lines = [M.UPCOMING_ONGOING_LINE.format(when=describe(m.start, m.end, m.precision), title=m.title, dept=m.dept or "-") for m in ongoing[:MAX_ONGOING_LINES]]
    if len(ongoing) > MAX_ONGOING_LINES:
        lines.append(M.UPCOMING_ONGOING_MORE.format(count=len(ongoing) - MAX_ONGOING_LINES, command=_ongoing_command(days, subject)))
    return Section(heading=M.UPCOMING_ONGOING_HEADING.format(count=len(ongoing)), lines=lines)


def _list_reply(
    ctx: Context, asked: _Asked, subject: str | None, items: list[Milestone], today: date, window: int | None, rids: list[str] | None = None
) -> Reply:
    """The milestones ahead a page at a time; those under way apart (or only them);
    ``rids`` the reports they come from, when known."""
    title = _title(subject, today, window)
    if not items:
        return _nothing(title, subject, today, window)
    ongoing, ahead = split_ongoing(items, today)
    listed = ongoing if asked.ongoing else ahead
    page_items, page, pages = paged(listed, asked.page, PAGE_SIZE)
    show_ongoing = bool(ongoing) and not asked.ongoing
    base = " ".join(w for w in ("/upcoming", asked.ongoing and _ONGOING_TOKEN, str(asked.days or ""), subject or "") if w)
    return Reply(
        title=M.UPCOMING_ONGOING_TITLE.format(title=title) if asked.ongoing else title,
        summary=_summary(ahead, ongoing, page_items, listed, asked.ongoing),
        table=_table(_rows(page_items, today)),
        sections=[_ongoing_section(ongoing, asked.days, subject)] if show_ongoing and page == 1 else [],
        footnote=M.UPCOMING_FOOTNOTE.format(today=dot_date(today), sources=_sources(ctx, items, rids)),
        actions=_list_actions(base, page, pages, listed, ongoing if show_ongoing else [], asked.days, subject),
        page=page,
        pages=pages,
    )


def _nothing(title: str, subject: str | None, today: date, window: int | None) -> Reply:
    """None in the window: a button for a year's worth, when the window was shorter."""
    wider = [Action(label=M.UPCOMING_WIDER, command=f"/upcoming 365{' ' + subject if subject else ''}")] if window is not None and window < 365 else []
    return Reply(title=title, summary=[M.UPCOMING_NONE], footnote=M.UPCOMING_TODAY.format(today=dot_date(today)), actions=wider)


def _summary(ahead: list[Milestone], ongoing: list[Milestone], shown: list[Milestone], listed: list[Milestone], only_ongoing: bool) -> list[str]:
    summary = [M.UPCOMING_COUNT.format(ahead=len(ahead), ongoing=len(ongoing))]
    if any(m.precision != "day" for m in shown):
        summary.append(M.UPCOMING_PRECISION_NOTE)
    if not listed:
        summary.append(M.UPCOMING_NONE if only_ongoing else M.UPCOMING_NONE_AHEAD)
    return summary


def _list_actions(base: str, page: int, pages: int, listed: list[Milestone], ongoing: list[Milestone], days: int | None, subject: str | None) -> list[Action]:
    """Pages, all the ongoing ones when they did not fit, and a few departments to narrow to."""
    actions = page_actions(base, page, pages)
    if len(ongoing) > MAX_ONGOING_LINES:
        actions.append(Action(label=M.UPCOMING_ONGOING_ACTION, command=_ongoing_command(days, subject)))
    if subject is None:
        depts: list[str] = []
        for m in listed:  # the first four met, not every department of a long list
            if m.dept and m.dept not in depts:
                depts.append(m.dept)
                if len(depts) == 4:
                    break
        actions += [Action(label=M.UPCOMING_DEPT_ACTION.format(dept=d), command=f"/upcoming {d}") for d in depts]
    return actions


def _ongoing_command(days: int | None, subject: str | None) -> str:
    return " ".join(w for w in ("/upcoming", _ONGOING_TOKEN, str(days) if days else "", subject or "") if w)


def _window_reply(ctx: Context, start: date, end: date, query: str) -> Reply:
    """'/upcoming 2021-09-13~2021-09-19 [NAME]': what happens in that window ('다음 주 일정'),
    including month or range items that overlap it."""
    items = [m for m in ctx.store.milestones(start - PERIOD_SLACK, end) if m.start <= end and last_day(m.start, m.end, m.precision) >= start]
    subject = _Subject()
    if query:
        kind, res = resolve_in(query, [("dept", department_pool(ctx.store)), ("program", [m.program for m in items if m.program])])
        if not res.found or res.value is None:
            return unresolved_reply(query, res, "/upcoming", f" {start.isoformat()}~{end.isoformat()}", ctx)
        subject = _Subject(kind, res.value)
        items = _about(ctx, items, subject)
    items = sorted(_one_per_event_by_report(items), key=lambda m: (m.start, m.title))
    today = ctx.clock.today()
    span = M.UPCOMING_SPAN_WINDOW.format(start=dot_date(start), end=dot_date(end))
    title = M.UPCOMING_TITLE_FOR.format(subject=subject.name, span=span) if subject.name else M.UPCOMING_TITLE.format(span=span)
    if not items:
        return Reply(title=title, summary=[M.UPCOMING_NONE], footnote=M.UPCOMING_TODAY.format(today=dot_date(today)))
    return Reply(
        title=title,
        summary=[M.UPCOMING_WINDOW_COUNT.format(count=len(items))],
        table=_table(_rows(items[:PAGE_SIZE], today)),
        footnote=M.UPCOMING_FOOTNOTE.format(today=dot_date(today), sources=_sources(ctx, items)),
    )


def _one_per_event_by_report(items: list[Milestone]) -> list[Milestone]:
    """Each event once within its report (two reports may each print it)."""
    by_report: dict[object, list[Milestone]] = {}
    for m in items:
        by_report.setdefault(m.source.report_id if m.source else None, []).append(m)
    return [m for group in by_report.values() for m in one_per_event(group)]
