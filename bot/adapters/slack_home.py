"""Slack App Home: what one person follows, on a tab that does not vanish on reload.

Ephemeral answers disappear when Slack reloads; the Home tab (``app_home_opened`` →
``views.publish``) is rebuilt from the store each time it is opened: the person's own
subscriptions (those they made) with a 해지 button each, the next 14 days of milestones
for the departments and programs they follow, the latest reports stored, and shortcuts
to the questions people ask most (their answers come by DM)."""

from __future__ import annotations

import json
from collections.abc import Container, Iterable
from datetime import date, timedelta
from typing import Any

from bot import messages as M
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, MAX_TEXT, _cut_escaped, escape
from bot.lookups.subscriptions import ALL, matches
from bot.models import Report, Subscription
from bot.replies.milestones import when_text
from bot.replies.sources import report_label
from bot.replies.when import last_day
from bot.runtime import Runtime
from bot.store.api import StoreAPI
from handlers.subscriptions import target_label

ACTION_HOME_UNSUBSCRIBE = "reportbot_home_unsubscribe"  # value: {"c": channel, "t": target, "k": kind}
HOME_DAYS = 14
MAX_HOME_BLOCKS = 100  # Slack: blocks in a Home tab view
MAX_SUBS_SHOWN = 30
MAX_UPCOMING_SHOWN = 25
MAX_REPORTS_SHOWN = 5
PLATFORM = "slack"


def parse_unsubscribe(value: str) -> tuple[str, str, str] | None:
    """(channel, target, kind) from a 해지 button's value; None when it is not one of ours."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    channel, target, kind = data.get("c"), data.get("t"), data.get("k", "reminder")
    if not (isinstance(channel, str) and isinstance(target, str) and channel and target) or kind not in ("reminder", "digest"):
        return None
    return channel, target, str(kind)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT] or " ", "verbatim": True}}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def _channel(channel_id: str) -> str:
    return f"<#{channel_id}>" if channel_id[:1] in "CGD" and channel_id.isalnum() else escape(channel_id)


def _sub_block(sub: Subscription, paused: bool) -> dict[str, Any]:
    target = M.TARGET_DIGEST if sub.kind == "digest" else target_label(sub.target)
    text = M.HOME_SUB_ROW.format(channel=_channel(sub.channel), target=_cut_escaped(target, 200), paused=M.HOME_SUB_PAUSED if paused else "")
    block = _section(text)
    block["accessory"] = {
        "type": "button",
        "text": {"type": "plain_text", "text": M.HOME_UNSUBSCRIBE},
        "action_id": ACTION_HOME_UNSUBSCRIBE,
        "value": json.dumps({"c": sub.channel, "t": sub.target, "k": sub.kind}, ensure_ascii=False),
        "style": "danger",
    }
    return block


def home_view(rt: Runtime, user_id: str) -> dict[str, Any]:
    """The Home tab view for ``user_id`` (at most 100 blocks)."""
    ctx = rt.context(PLATFORM, user_id=user_id)
    store = ctx.store
    subs = sorted(
        (s for s in store.subscriptions(include_paused=True) if s.platform == PLATFORM and s.created_by == user_id),
        key=lambda s: (s.channel, s.kind, s.target),
    )
    blocks: list[dict[str, Any]] = [_header(M.HOME_TITLE), _section(escape(M.HOME_INTRO))]
    blocks += _subscription_blocks(subs, store.paused_subscriptions())
    blocks += _upcoming_blocks(store, [s for s in subs if s.kind == "reminder"], ctx.clock.today())
    blocks += _report_blocks(store.reports())
    blocks += _shortcut_blocks()
    now = ctx.clock.now()
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(M.HOME_UPDATED.format(at=f"{now:%Y-%m-%d %H:%M}"))}]})
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _subscription_blocks(subs: list[Subscription], paused: Container[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    """The person's own subscriptions, a 해지 button each."""
    blocks: list[dict[str, Any]] = [{"type": "divider"}, _header(M.HOME_SUBS)]
    if not subs:
        return blocks + [_section(escape(M.HOME_SUBS_EMPTY))]
    return blocks + [_sub_block(s, (s.platform, s.channel, s.target, s.kind) in paused) for s in subs[:MAX_SUBS_SHOWN]]


def _upcoming_blocks(store: StoreAPI, follows: list[Subscription], today: date) -> list[dict[str, Any]]:
    """The next 14 days of milestones the person follows; one event printed in several
    reports is one line. Following everything is said, not listed."""
    blocks: list[dict[str, Any]] = [{"type": "divider"}, _header(M.HOME_UPCOMING.format(days=HOME_DAYS))]
    if any(s.target == ALL for s in follows):
        follows = [s for s in follows if s.target != ALL]
        blocks.append(_section(escape(M.HOME_UPCOMING_ALL.format(days=HOME_DAYS))))
    ahead = [
        m
        for m in store.milestones(None, today + timedelta(days=HOME_DAYS))
        if last_day(m.start, m.end, m.precision) >= today and any(matches(s, m) for s in follows)
    ]
    lines: dict[tuple[str, str], str] = {}
    for m in sorted(ahead, key=lambda m: (m.start, m.title)):
        dept = f" ({m.dept})" if m.dept else ""
        lines.setdefault((when_text(m), m.title), escape(f"• {when_text(m)}  {m.title}{dept}"))
    if lines:
        blocks.append(_section("\n".join(list(lines.values())[:MAX_UPCOMING_SHOWN])))
    elif follows:
        blocks.append(_section(escape(M.HOME_UPCOMING_EMPTY.format(days=HOME_DAYS))))
    return blocks


def _report_blocks(reports: Iterable[Report]) -> list[dict[str, Any]]:
    """The latest reports stored, newest first."""
    newest = sorted(reports, key=lambda r: (r.report_date, r.ingested_at.isoformat() if r.ingested_at else ""), reverse=True)
    text = "\n".join(escape(f"• {report_label(r)}") for r in newest[:MAX_REPORTS_SHOWN])
    return [{"type": "divider"}, _header(M.HOME_REPORTS), _section(text or escape(M.HOME_REPORTS_EMPTY))]


def _shortcut_blocks() -> list[dict[str, Any]]:
    """Run buttons for the questions people ask most (answered by DM)."""
    buttons = [
        {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": f"{ACTION_RUN_PREFIX}{i}", "value": command}
        for i, (label, command) in enumerate(M.HOME_SHORTCUT_ITEMS)
    ]
    return [{"type": "divider"}, _header(M.HOME_SHORTCUTS), {"type": "actions", "elements": buttons}]
