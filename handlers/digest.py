"""/digest: the weekly digest, now or every week in this channel.

The digest itself is built below the commands (bot/replies/digest.py, from the queries in
bot/lookups/digest.py) so the scheduler and ``reportbot digest`` send the same one."""

from __future__ import annotations

from bot import messages as M
from bot.config import Settings
from bot.lookups.digest import last_digest_at
from bot.models import Subscription
from bot.replies import Reply, ReplyKind
from bot.replies.digest import build_digest
from bot.replies.when import WEEKDAYS
from handlers.context import Context
from handlers.notice import announce
from handlers.registry import command
from handlers.subscriptions import channel_of


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
        return _subscribe(ctx, channel)
    if ctx.store.remove_subscription(ctx.platform, channel, "all", "digest"):
        return Reply(kind=ReplyKind.DONE, title=M.DIGEST_UNSUBSCRIBED_TITLE, summary=[M.DIGEST_UNSUBSCRIBED], shareable=False)
    return Reply(kind=ReplyKind.NOT_FOUND, title=M.DIGEST_NOT_SUBSCRIBED_TITLE, summary=[M.DIGEST_NOT_SUBSCRIBED], shareable=False)


def _subscribe(ctx: Context, channel: str) -> Reply:
    """'/digest subscribe': this channel gets the digest every week."""
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
