"""/digest: the weekly digest, now or every week in this channel.

One digest, built here for the command, the scheduler and ``reportbot digest`` alike:
the milestones of the next two weeks, the open audit follow-ups by department with
their age, the programs whose 집행률 lags most, and what changed since the last digest
this channel received."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot import messages as M
from bot.clock import SEOUL
from bot.config import Settings
from bot.models import (
    AuditItem,
    AuditStatus,
    BudgetLine,
    Milestone,
    Precision,
    Report,
    Subscription,
)
from bot.replies import Chart, Reply, ReplyKind, Section, Series
from bot.replies.milestones import dept_suffix
from bot.replies.sources import report_label
from bot.replies.when import WEEKDAYS, d_day, describe, dot_date, last_day
from bot.store import Store
from handlers.budget import rate_of
from handlers.context import Context
from handlers.money import format_rate
from handlers.notice import announce
from handlers.ranking import fund_operations
from handlers.registry import command
from handlers.subscriptions import channel_of

MAX_MILESTONES = 30
MAX_CHANGES = 15
_BUDGET_COLS = ("예산현액", "예산액")


def last_digest_meta_key(platform: str, channel: str) -> str:
    """Where the scheduler notes when a channel last received its digest."""
    return f"digest.last|{platform}:{channel}"


def digest_milestones(store: Store, as_of: date, days: int) -> tuple[list[Milestone], list[Milestone]]:
    """(starting in the window, ranges or periods ending in it). A month item whose month
    ends inside the window counts as 'ending': it may still happen any day now."""
    end = as_of + timedelta(days=days)
    starting: list[Milestone] = []
    ending: list[Milestone] = []
    # the store's window ignores precision ('10월' ends on 10.31): ask from a year and a day
    # before, which holds every period that may still run (by bisect, not a scan)
    for m in store.milestones(as_of - timedelta(days=366), end):
        if as_of <= m.start <= end:
            starting.append(m)
        elif as_of <= last_day(m.start, m.end, m.precision) <= end and (m.end or m.precision is not Precision.DAY):
            ending.append(m)
    return starting, ending


def _newest_per_org(reports: list[Report], has: set[str]) -> list[Report]:
    """The newest report of each office that holds the wanted records."""
    out: dict[str, Report] = {}
    for r in reports:  # newest first
        if r.id in has and r.org not in out:
            out[r.org] = r
    return list(out.values())


def open_audit_items(store: Store, as_of: date) -> list[tuple[Report, AuditItem]]:
    out: list[tuple[Report, AuditItem]] = []
    done: set[str] = set()
    for r in store.reports():  # newest first: each office's newest report with follow-ups
        if r.report_date > as_of or r.org in done or not _count(store, r, "audit_items"):
            continue
        items = store.audit_items(r.id)
        if items:
            done.add(r.org)
            out += [(r, a) for a in items if a.status is not AuditStatus.DONE]
    return out


def _count(store: Store, r: Report, table: str) -> int:
    """How many records of ``table`` the report's summary counts (no file read; one table
    per store state, not a summary lookup per report and digest)."""
    counts: dict[str, int] = store.cached(("digest_counts", table), dict)  # filled per report (the same in any as-of view)
    if r.id not in counts:
        counts[r.id] = int((store.report_summary(r.id).get("counts") or {}).get(table) or 0)
    return counts[r.id]


def _budget_of(b: BudgetLine) -> float:
    for k, v in b.values.items():
        if any(c in k.replace(" ", "") for c in _BUDGET_COLS) and isinstance(v, (int, float)):
            return float(v)
    return 0.0


def lagging_programs(store: Store, as_of: date, limit: int) -> list[tuple[Report, BudgetLine, float]]:
    """Program rows with the lowest 집행률 in each office's newest execution table
    (rows with no budget to spend are left out). Each report's rows are ranked once per
    report file (``_ranked``): a digest then reads a few rows per office, not every table."""
    rated: set[str] = set()
    rows: list[tuple[Report, BudgetLine, float]] = []
    for r in store.reports():  # newest first: only each office's newest rated table is read
        if r.report_date > as_of or r.org in rated or not _count(store, r, "budget_lines"):
            continue
        ranked = _ranked(store, r.id)
        if ranked.latest is not None and ranked.latest > as_of:  # figures dated after the day asked: filter
            ranked = _rank_rows(store, r.id, as_of)
        if ranked.any_rated:
            rated.add(r.org)
            rows += [(r, b, rate) for rate, _, b in ranked.lowest[:limit]]
    rows.sort(key=lambda t: (t[2], t[1].name))
    return rows[:limit]


@dataclass
class _Ranked:
    """One report's program rows by 집행률, lowest first; ``latest``: its newest as_of."""

    any_rated: bool
    lowest: list[tuple[float, str, BudgetLine]]
    latest: date | None


def _ranked(store: Store, report_id: str) -> _Ranked:
    return store.report_cached(report_id, "digest_lowest", lambda: _rank_rows(store, report_id, None))


def _rank_rows(store: Store, report_id: str, as_of: date | None) -> _Ranked:
    everything = store.budget_lines(report_id)
    lines = [b for b in everything if rate_of(b) is not None and (as_of is None or b.as_of is None or b.as_of <= as_of)]
    latest = max((b.as_of for b in lines if b.as_of is not None), default=None)
    if not lines:
        return _Ranked(False, [], latest)
    level = "unit" if any(b.level == "unit" for b in lines) else "policy"
    funds = fund_operations(everything)  # 여유자금 예치, 전출금: not programs
    out: list[tuple[float, str, BudgetLine]] = []
    for b in lines:
        rate = rate_of(b)
        if b.level == level and rate is not None and _budget_of(b) > 0 and id(b) not in funds:
            out.append((rate, b.name, b))
    out.sort(key=lambda t: (t[0], t[1]))
    return _Ranked(True, out, latest)


def build_digest(store: Store, settings: Settings, as_of: date, since: datetime | None = None) -> Reply:
    """The digest as of ``as_of``; ``since`` is when this channel last got one (default a week)."""
    ds = settings.digest
    since = since or datetime.combine(as_of - timedelta(days=7), time(0, 0), tzinfo=SEOUL)
    window_end = as_of + timedelta(days=ds.days_ahead)
    starting, ending = digest_milestones(store, as_of, ds.days_ahead)
    m_lines = [
        f"{d_day(as_of, m.start, m.end, m.precision)} · "
        + M.DIGEST_MILESTONE_ROW.format(when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m))
        for m in starting[:MAX_MILESTONES]
    ]
    m_lines += [
        M.DIGEST_MILESTONE_ENDING.format(
            when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m), end=dot_date(last_day(m.start, m.end, m.precision))
        )
        for m in ending[: max(0, MAX_MILESTONES - len(m_lines))]
    ]
    audit = open_audit_items(store, as_of)
    a_lines: list[str] = []
    by_dept: dict[str, list[tuple[Report, AuditItem]]] = defaultdict(list)
    for r, a in audit:
        by_dept[a.dept or M.DIGEST_AUDIT_NO_DEPT].append((r, a))
    for dept, items in sorted(by_dept.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        a_lines.append(M.DIGEST_AUDIT_DEPT.format(dept=dept, count=len(items)))
        for r, a in items:
            a_lines.append(
                M.DIGEST_AUDIT_ITEM.format(
                    status=a.status.value, head=a.request_head, report=report_label(r), days=(as_of - r.report_date).days
                )
            )
    lag = lagging_programs(store, as_of, ds.lagging_programs)
    l_lines = [M.DIGEST_LAGGING_ROW.format(name=b.name, dept=b.dept or "-", rate=format_rate(rate)) for _, b, rate in lag]
    for r in {id(r): r for r, _, _ in lag}.values():
        table_dates = sorted({b.as_of for rr, b, _ in lag if rr.id == r.id and b.as_of})
        l_lines.append(M.DIGEST_LAGGING_SOURCE.format(as_of=", ".join(dot_date(d) for d in table_dates) or "-", report=report_label(r)))
    until = datetime.combine(as_of + timedelta(days=1), time(0, 0), tzinfo=SEOUL)
    changes = [c for c in store.changes_since(since) if c.at < until]  # an as-of digest ignores later changes
    c_lines = [f"{dot_date(c.at.astimezone(SEOUL).date())} {c.summary}" for c in changes[-MAX_CHANGES:]]
    return Reply(
        kind=ReplyKind.ANSWER,
        title=M.DIGEST_TITLE.format(as_of=dot_date(as_of, weekday=True)),
        summary=[M.DIGEST_SUMMARY.format(milestones=len(starting) + len(ending), audit=len(audit), changes=len(changes))],
        sections=[
            Section(
                heading=M.DIGEST_MILESTONES.format(start=dot_date(as_of), end=dot_date(window_end)),
                lines=m_lines or [M.DIGEST_NO_MILESTONES],
            ),
            Section(heading=M.DIGEST_AUDIT, lines=a_lines or [M.DIGEST_NO_AUDIT]),
            Section(heading=M.DIGEST_LAGGING, lines=l_lines or [M.DIGEST_NO_LAGGING]),
            Section(
                heading=M.DIGEST_CHANGES.format(since=dot_date(since.astimezone(SEOUL).date())),
                lines=c_lines or [M.DIGEST_NO_CHANGES],
            ),
        ],
        footnote=M.DIGEST_FOOTNOTE,
        chart=Chart(
            kind="bar",
            title=M.DIGEST_LAGGING,
            labels=[b.name for _, b, _ in lag],
            series=[Series(name=M.BUDGET_COL_RATE_SERIES, values=[rate for _, _, rate in lag])],
            unit="%",
        )
        if len(lag) >= 2
        else None,
    )


def last_digest_at(store: Store, platform: str, channel: str) -> datetime | None:
    raw = store.get_meta(last_digest_meta_key(platform, channel))
    try:
        return datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _schedule_text(settings: Settings) -> dict[str, str]:
    return {"weekday": WEEKDAYS[settings.digest.weekday], "time": settings.digest.send_time.strftime("%H:%M")}


@command("digest", "주간 요약 보기 · 매주 받기(/digest subscribe)")
def digest(args: str, ctx: Context) -> Reply:
    verb = args.strip().lower()
    channel = channel_of(ctx)
    if verb in ("", "now", "지금"):
        since = last_digest_at(ctx.store, ctx.platform, channel) if channel else None
        return build_digest(ctx.store, ctx.settings, ctx.clock.today(), since)
    if verb not in ("subscribe", "구독", "unsubscribe", "해지"):
        return Reply(kind=ReplyKind.USAGE, title=M.DIGEST_USAGE_TITLE, summary=list(M.DIGEST_USAGE), shareable=False)
    if channel is None:
        return Reply(kind=ReplyKind.ERROR, title=M.DIGEST_USAGE_TITLE, summary=[M.NO_CHANNEL], shareable=False)
    if verb in ("subscribe", "구독"):
        added = ctx.store.add_subscription(
            Subscription(platform=ctx.platform, channel=channel, target="all", kind="digest", created_at=ctx.clock.now(), created_by=ctx.user_id)
        )
        ctx.store.resume_subscriptions(ctx.platform, channel)  # as /subscribe: switches a paused channel back on
        if added:
            announce(M.NOTICE_DIGEST_SUBSCRIBED)
        return Reply(
            kind=ReplyKind.DONE,
            title=M.DIGEST_SUBSCRIBED_TITLE if added else M.DIGEST_ALREADY_TITLE,
            summary=[M.DIGEST_SUBSCRIBED.format(**_schedule_text(ctx.settings))],
            footnote=M.DIGEST_FOOTNOTE,
            shareable=False,
        )
    if ctx.store.remove_subscription(ctx.platform, channel, "all", "digest"):
        return Reply(kind=ReplyKind.DONE, title=M.DIGEST_UNSUBSCRIBED_TITLE, summary=[M.DIGEST_UNSUBSCRIBED], shareable=False)
    return Reply(kind=ReplyKind.NOT_FOUND, title=M.DIGEST_NOT_SUBSCRIBED_TITLE, summary=[M.DIGEST_NOT_SUBSCRIBED], shareable=False)
