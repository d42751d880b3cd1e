"""/subscribe, /unsubscribe, /subscriptions: which milestones a channel hears about.

A subscription names a department, a program, or ``all`` and belongs to the channel it
was asked in. Names are resolved when subscribing (loosely typed → the printed name,
several close ones → a list to pick from), so the reminders can compare exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import messages as M
from bot.lookups.departments import department_pool
from bot.lookups.names import resolve_in
from bot.lookups.subscriptions import ALL, matches
from bot.models import Subscription
from bot.replies import Reply, ReplyKind
from bot.replies.when import WEEKDAYS, last_day
from bot.store.api import StoreAPI
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.notice import announce
from handlers.registry import command

ALL_WORDS = {"all", "전체", "모두", "전부"}
UPCOMING_DAYS = 30


def program_names(store: StoreAPI) -> list[str]:
    return [p.title for p in store.programs()] + [m.program for m in store.milestones() if m.program]


def channel_of(ctx: Context) -> str | None:
    """The asking channel; the console has one fixed channel."""
    if ctx.channel_id:
        return ctx.channel_id
    return ctx.settings.console.channel if ctx.platform == "console" else None


def target_label(target: str) -> str:
    return M.TARGET_ALL if target == ALL else target


def offsets_text(offsets: list[int]) -> str:
    parts = [M.OFFSET_DAY if o == 0 else M.OFFSET_N.format(n=o) for o in sorted(set(offsets), reverse=True)]
    return "·".join(parts)


def _no_channel() -> Reply:
    return Reply(kind=ReplyKind.ERROR, title=M.SUBSCRIBE_USAGE_TITLE, summary=[M.NO_CHANNEL], shareable=False)


def _usage() -> Reply:
    return Reply(kind=ReplyKind.USAGE, title=M.SUBSCRIBE_USAGE_TITLE, summary=list(M.SUBSCRIBE_USAGE), shareable=False)


@command("subscribe", "부서·사업 일정 알림을 이 채널에서 받기")
def subscribe(args: str, ctx: Context) -> Reply:
    query = args.strip()
    if not query:
        return _usage()
    channel = channel_of(ctx)
    if channel is None:
        return _no_channel()
    target = _target(ctx, query)
    if isinstance(target, Reply):
        return target
    sub = Subscription(
        platform=ctx.platform,
        channel=channel,
        target=target,
        kind="reminder",
        created_at=ctx.clock.now(),
        created_by=ctx.user_id,
    )
    added = ctx.store.add_subscription(sub)
    # subscribing again is how a channel paused for an undeliverable post is switched back
    # on (after the bot was invited); the adapter has checked it can post here now
    resumed = ctx.store.resume_subscriptions(ctx.platform, channel)
    if added:
        announce(M.NOTICE_SUBSCRIBED, target=target_label(target))
    rs = ctx.settings.reminders
    return Reply(
        kind=ReplyKind.DONE,
        title=M.SUBSCRIBED_TITLE if added or resumed else M.SUBSCRIBED_ALREADY_TITLE,
        summary=[
            M.SUBSCRIBED.format(target=target_label(target), offsets=offsets_text(rs.offsets_days), time=rs.send_time.strftime("%H:%M")),
            M.SUBSCRIBED_UPCOMING.format(days=UPCOMING_DAYS, count=_coming_up(ctx, sub)),
            M.SUBSCRIBED_RULES.format(lead=max(rs.offsets_days, default=0)),
        ],
        footnote=M.REMINDER_FOOTNOTE,
        shareable=False,
    )


def _target(ctx: Context, query: str) -> str | Reply:
    """``all``, or the department or program the query names (the one department
    directory: /subscribe knows the departments every command knows)."""
    if query.lower() in ALL_WORDS:
        return ALL
    _, res = resolve_in(query, [("dept", department_pool(ctx.store)), ("program", program_names(ctx.store))])
    if not res.found or res.value is None:
        return unresolved_reply(query, res, "/subscribe", ctx=ctx)
    return res.value


def _coming_up(ctx: Context, sub: Subscription) -> int:
    """How many milestones the subscription covers in the next ``UPCOMING_DAYS``."""
    today = ctx.clock.today()
    horizon = today + timedelta(days=UPCOMING_DAYS)
    return sum(1 for m in ctx.store.milestones(None, horizon) if last_day(m.start, m.end, m.precision) >= today and matches(sub, m))


def _channel_subs(ctx: Context, channel: str, kind: str | None = None) -> list[Subscription]:
    return [s for s in ctx.store.subscriptions(kind) if s.platform == ctx.platform and s.channel == channel]


@command("unsubscribe", "이 채널의 일정 알림 구독 해지")
def unsubscribe(args: str, ctx: Context) -> Reply:
    query = args.strip()
    channel = channel_of(ctx)
    if channel is None:
        return _no_channel()
    if not query:
        return Reply(kind=ReplyKind.USAGE, title=M.UNSUBSCRIBE_USAGE_TITLE, summary=[M.UNSUBSCRIBE_USAGE], shareable=False)
    target = _own_target(ctx, channel, query)
    if isinstance(target, Reply):
        return target
    if target is None or not ctx.store.remove_subscription(ctx.platform, channel, target, "reminder"):
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=M.UNSUBSCRIBE_NOT_FOUND_TITLE,
            summary=[M.UNSUBSCRIBE_NOT_FOUND.format(query=query)],
            shareable=False,
        )
    return Reply(
        kind=ReplyKind.DONE,
        title=M.UNSUBSCRIBED_TITLE,
        summary=[M.UNSUBSCRIBED.format(target=target_label(target))],
        shareable=False,
    )


def _own_target(ctx: Context, channel: str, query: str) -> str | Reply | None:
    """Which of this channel's subscriptions '/unsubscribe QUERY' means (None: none of
    them; a list to pick from when several are close)."""
    mine = [s.target for s in _channel_subs(ctx, channel, "reminder")]
    if query.lower() in ALL_WORDS and ALL in mine:
        return ALL
    targets = [t for t in mine if t != ALL]
    if not targets:
        return None
    res = resolve_in(query, [("mine", targets)])[1]
    if res.outcome == "many":
        return unresolved_reply(query, res, "/unsubscribe")
    return res.value if res.found else None


def _since(moment: datetime) -> str:
    return f"{moment.year}.{moment.month}.{moment.day}."


@command("subscriptions", "이 채널의 구독 목록")
def subscriptions(args: str, ctx: Context) -> Reply:
    channel = channel_of(ctx)
    if channel is None:
        return _no_channel()
    subs = [s for s in ctx.store.subscriptions(include_paused=True) if s.platform == ctx.platform and s.channel == channel]
    paused = ctx.store.paused_subscriptions() if subs else {}
    if not subs:
        return Reply(kind=ReplyKind.ANSWER, title=M.SUBSCRIPTIONS_TITLE, summary=[M.SUBSCRIPTIONS_EMPTY], shareable=False)
    ds = ctx.settings.digest
    lines = []
    for s in sorted(subs, key=lambda s: (s.kind, s.created_at)):
        if s.kind == "digest":
            lines.append(
                M.SUBSCRIPTION_DIGEST_ROW.format(
                    weekday=WEEKDAYS[ds.weekday], time=ds.send_time.strftime("%H:%M"), since=_since(s.created_at)
                )
            )
        else:
            lines.append(M.SUBSCRIPTION_REMINDER_ROW.format(target=target_label(s.target), since=_since(s.created_at)))
        pause = paused.get((s.platform, s.channel, s.target, s.kind))
        if pause is not None:
            lines.append(M.SUBSCRIPTION_PAUSED_ROW.format(since=pause[0][:10]))
    return Reply(kind=ReplyKind.ANSWER, title=M.SUBSCRIPTIONS_TITLE, summary=lines, footnote=M.REMINDER_FOOTNOTE, shareable=False)
