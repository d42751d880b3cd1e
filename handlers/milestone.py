"""/milestone: list the milestones ahead, and (admins) add or remove hand-made ones.

Hand-added milestones live in their own table, so re-ingesting a report never touches
them; they are numbered (#N) so they can be removed by that number. A date is taken
with the precision it was typed with: '2026-12' is a month, not the 1st."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import messages as M
from bot.events import one_per_event
from bot.lookups.departments import department_pool, resolve_department
from bot.lookups.names import normalize
from bot.models import Milestone, Precision
from bot.replies import Reply, ReplyKind, Section
from bot.replies.milestones import dept_suffix, when_text
from bot.replies.when import describe, last_day
from bot.store.api import StoreAPI
from handlers.args import parse_page
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.notice import announce
from handlers.pages import page_actions, paged
from handlers.registry import command

LIST_LIMIT = 20
DEPT_SUFFIX = "담당관"  # generic admin vocabulary: a trailing word ending so is a department

_FULL = re.compile(r"^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?\.?$")
_TAIL = re.compile(r"^(?:(\d{1,2})[-./])?(\d{1,2})\.?$")  # the end of a range: 12-05, 5


@dataclass
class TypedDate:
    start: date
    end: date | None
    precision: Precision


class BadDate(ValueError):
    pass


def parse_typed_date(text: str) -> TypedDate:
    """'2026-12-03', '2026.12.3.', '2026-12' (month), '2026-12-01~2026-12-05', '2026-12-01~05'."""
    left, sep, right = text.partition("~")
    m = _FULL.match(left.strip())
    if not m:
        raise BadDate(text)
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    precision = Precision.DAY if day else Precision.MONTH
    try:
        start = date(year, month, int(day) if day else 1)
        end = _range_end(right.strip(), start, precision) if sep else None
    except ValueError:
        raise BadDate(text) from None
    return TypedDate(start, None if end == start else end, precision)


def _range_end(right: str, start: date, precision: Precision) -> date:
    """The end of a typed range, in the start's precision: a full date, or its tail
    ('2026-12-01~05', '2026-10~12'). ValueError when it cannot be one."""
    full, tail = _FULL.match(right), _TAIL.match(right)
    if full and (bool(full.group(3)) == (precision is Precision.DAY)):
        return date(int(full.group(1)), int(full.group(2)), int(full.group(3) or 1))
    if tail and precision is Precision.DAY:
        return date(start.year, int(tail.group(1) or start.month), int(tail.group(2)))
    if tail and precision is Precision.MONTH and not tail.group(1):
        return date(start.year, int(tail.group(2)), 1)
    raise ValueError(right)


def _usage() -> Reply:
    return Reply(kind=ReplyKind.USAGE, title=M.MILESTONE_USAGE_TITLE, summary=list(M.MILESTONE_USAGE), shareable=False)


VERBS = {"add": "add", "추가": "add", "list": "list", "목록": "list", "ls": "list", "remove": "remove", "rm": "remove", "삭제": "remove", "del": "remove"}


@command("milestone", "일정 목록 · 일정 추가/삭제(관리자)")
def milestone(args: str, ctx: Context) -> Reply:
    head, _, rest = args.strip().partition(" ")
    verb = VERBS.get(head.lower())
    if verb is None:
        return _usage()
    if verb == "list":
        return _list(rest.strip(), ctx)
    if not ctx.is_admin:
        return Reply(kind=ReplyKind.DENIED, title=M.ADMIN_ONLY_TITLE, summary=[M.ADMIN_ONLY], shareable=False)
    return _add(rest.strip(), ctx) if verb == "add" else _remove(rest.strip(), ctx)


def _split_dept(words: list[str], store: StoreAPI) -> tuple[list[str], str | None]:
    """A trailing department name is the department, not part of the title."""
    known = department_pool(store)  # matching key → printed name, the one directory
    for take in (2, 1):  # '국제교류 담당관' typed with a space
        if len(words) > take:
            tail = "".join(words[-take:])
            if normalize(tail) in known:
                return words[:-take], known[normalize(tail)]
            if take == 1 and tail.endswith(DEPT_SUFFIX) and len(tail) > len(DEPT_SUFFIX):
                return words[:-1], tail
            if take == 2 and words[-1] == DEPT_SUFFIX:
                return words[:-2], tail
    return words, None


def _typed_date(token: str) -> TypedDate | Reply:
    """The date typed for /milestone add, or the usage reply for one that is not a date
    or a range that ends before it starts."""
    try:
        typed = parse_typed_date(token)
    except BadDate:
        return Reply(kind=ReplyKind.USAGE, title=M.MILESTONE_BAD_DATE_TITLE, summary=[M.MILESTONE_BAD_DATE.format(value=token[:40])], shareable=False)
    if typed.end is not None and typed.end < typed.start:
        return Reply(
            kind=ReplyKind.USAGE,
            title=M.MILESTONE_BAD_DATE_TITLE,
            summary=[M.MILESTONE_BAD_RANGE.format(start=typed.start.isoformat(), end=typed.end.isoformat())],
            shareable=False,
        )
    return typed


def _add(rest: str, ctx: Context) -> Reply:
    """'/milestone add DATE TITLE [DEPT]' (admins): a hand-made milestone, numbered."""
    rest = re.sub(r"\s*~\s*", "~", rest)
    token, _, tail = rest.partition(" ")
    if not token:
        return _usage()
    typed = _typed_date(token)
    if isinstance(typed, Reply):
        return typed
    words, dept = _split_dept(tail.split(), ctx.store)
    title = " ".join(words).strip()
    if not title:
        return Reply(kind=ReplyKind.USAGE, title=M.MILESTONE_NO_TITLE_TITLE, summary=[M.MILESTONE_NO_TITLE], shareable=False)
    saved = ctx.store.add_manual_milestone(
        Milestone(
            title=title,
            start=typed.start,
            end=typed.end,
            precision=typed.precision,
            dept=dept,
            date_text=token,
            added_by=ctx.user_id,
        )
    )
    fields = [(M.REMINDER_WHEN, when_text(saved))]
    announce(M.NOTICE_MILESTONE_ADDED, when=when_text(saved), title=saved.title + dept_suffix(saved))
    if saved.dept:
        fields.append((M.REMINDER_DEPT, saved.dept))
    return Reply(
        kind=ReplyKind.DONE,
        title=M.MILESTONE_ADDED_TITLE.format(id=saved.manual_id),
        summary=[saved.title],
        fields=fields,
        footnote=M.MILESTONE_ADDED_NOTE.format(id=saved.manual_id),
        shareable=False,
    )


def _remove(rest: str, ctx: Context) -> Reply:
    token = rest.lstrip("#").strip()
    if not token.isdigit():
        return Reply(kind=ReplyKind.USAGE, title=M.MILESTONE_BAD_NUMBER_TITLE, summary=[M.MILESTONE_BAD_NUMBER], shareable=False)
    number = int(token)
    removed = ctx.store.remove_manual_milestone(number)
    if removed is None:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.MILESTONE_NOT_FOUND_TITLE, summary=[M.MILESTONE_NOT_FOUND.format(id=number)], shareable=False)
    return Reply(
        kind=ReplyKind.DONE,
        title=M.MILESTONE_REMOVED_TITLE.format(id=number),
        summary=[f"{when_text(removed)} · {removed.title}{dept_suffix(removed)}"],
        footnote=M.MILESTONE_REMOVED_NOTE,
        shareable=False,
    )


def _row(m: Milestone) -> str:
    if m.manual_id is not None:
        return M.MILESTONE_ROW_MANUAL.format(id=m.manual_id, when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m))
    return M.MILESTONE_ROW.format(when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m))


def _list(rest: str, ctx: Context) -> Reply:
    """'/milestone list [DEPT] [p2]': the milestones ahead, a page at a time, each event
    once (bot/events.py), hand-added ones with their numbers."""
    words = rest.split()
    page = 1
    if words and (p := parse_page(words[-1])) is not None:
        page, words = p, words[:-1]
    dept: str | None = None
    if words:
        query = " ".join(words)
        res = resolve_department(ctx.store, query)
        if not res.found or res.value is None:
            return unresolved_reply(query, res, "/milestone list", ctx=ctx)
        dept = res.value
    return _list_reply(ctx, dept, page)


def _ahead(store: StoreAPI, today: date, dept: str | None) -> tuple[list[Milestone], list[Milestone]]:
    """(the milestones that may still happen, each event once; hand-added ones not among them)."""
    want = normalize(dept) if dept else None
    mine = [m for m in store.milestones() if want is None or (m.dept is not None and normalize(m.dept) == want)]
    # Not the store's window: it reads '10월' as 10.1, and the month is not over yet.
    upcoming = one_per_event([m for m in mine if last_day(m.start, m.end, m.precision) >= today])
    shown = {m.manual_id for m in upcoming}
    return upcoming, [m for m in mine if m.manual_id is not None and m.manual_id not in shown]


def _list_reply(ctx: Context, dept: str | None, page: int) -> Reply:
    today = ctx.clock.today()
    upcoming, manual = _ahead(ctx.store, today, dept)
    rows, page, pages = paged(upcoming, page, LIST_LIMIT)
    start = f"{today.year}.{today.month}.{today.day}."
    scope = M.MILESTONE_LIST_SCOPE_DEPT.format(dept=dept, start=start) if dept else M.MILESTONE_LIST_SCOPE_ALL.format(start=start)
    base = f"/milestone list {dept}" if dept else "/milestone list"
    return Reply(
        kind=ReplyKind.ANSWER,
        title=M.MILESTONE_LIST_TITLE.format(scope=scope),
        summary=[_row(m) for m in rows] or [M.MILESTONE_LIST_EMPTY.format(start=start)],
        sections=[Section(heading=M.MILESTONE_LIST_MANUAL, lines=[_row(m) for m in manual])] if manual and page == 1 else [],
        actions=page_actions(base, page, pages),
        page=page,
        pages=pages,
    )
