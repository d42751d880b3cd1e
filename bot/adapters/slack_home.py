"""Slack App Home: what one person follows, on a tab that does not vanish on reload.

Ephemeral answers disappear when Slack reloads; the Home tab (``app_home_opened`` →
``views.publish``) is rebuilt from the store each time it is opened: the person's own
subscriptions (those they made) with a 해지 button each, the next 14 days of milestones
for the departments and programs they follow, the latest reports stored, and shortcuts
to the questions people ask most (their answers come by DM)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot import messages as M
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, MAX_TEXT, _cut_escaped, escape
from bot.lookups.subscriptions import ALL, matches
from bot.models import Subscription
from bot.replies.when import last_day
from bot.runtime import Runtime
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
    blocks: list[dict[str, Any]] = [_header(M.HOME_TITLE), _section(escape(M.HOME_INTRO))]

    # my subscriptions
    paused = store.paused_subscriptions()
    subs = sorted(
        (s for s in store.subscriptions(include_paused=True) if s.platform == PLATFORM and s.created_by == user_id),
        key=lambda s: (s.channel, s.kind, s.target),
    )
    blocks += [{"type": "divider"}, _header(M.HOME_SUBS)]
    if subs:
        blocks += [_sub_block(s, (s.platform, s.channel, s.target, s.kind) in paused) for s in subs[:MAX_SUBS_SHOWN]]
    else:
        blocks.append(_section(escape(M.HOME_SUBS_EMPTY)))

    # the next 14 days of what they follow
    from bot.replies.milestones import when_text

    today = ctx.clock.today()
    follows = [s for s in subs if s.kind == "reminder"]
    blocks += [{"type": "divider"}, _header(M.HOME_UPCOMING.format(days=HOME_DAYS))]
    if any(s.target == ALL for s in follows):
        follows = [s for s in follows if s.target != ALL]
        blocks.append(_section(escape(M.HOME_UPCOMING_ALL.format(days=HOME_DAYS))))
    ahead = [
        m
        for m in store.milestones(None, today + timedelta(days=HOME_DAYS))
        if last_day(m.start, m.end, m.precision) >= today and any(matches(s, m) for s in follows)
    ]
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    for m in sorted(ahead, key=lambda m: (m.start, m.title)):
        key = (when_text(m), m.title)
        if key in seen:  # one event printed in several reports is one line
            continue
        seen.add(key)
        dept = f" ({m.dept})" if m.dept else ""
        lines.append(escape(f"• {when_text(m)}  {m.title}{dept}"))
    if lines:
        blocks.append(_section("\n".join(lines[:MAX_UPCOMING_SHOWN])))
    elif follows:
        blocks.append(_section(escape(M.HOME_UPCOMING_EMPTY.format(days=HOME_DAYS))))

    # the latest reports stored
    from bot.replies.sources import report_label

    reports = sorted(store.reports(), key=lambda r: (r.report_date, r.ingested_at.isoformat() if r.ingested_at else ""), reverse=True)
    blocks += [{"type": "divider"}, _header(M.HOME_REPORTS)]
    text = "\n".join(escape(f"• {report_label(r)}") for r in reports[:MAX_REPORTS_SHOWN])
    blocks.append(_section(text or escape(M.HOME_REPORTS_EMPTY)))

    # shortcuts: run buttons, answered by DM
    blocks += [{"type": "divider"}, _header(M.HOME_SHORTCUTS)]
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": f"{ACTION_RUN_PREFIX}{i}", "value": command}
                for i, (label, command) in enumerate(M.HOME_SHORTCUT_ITEMS)
            ],
        }
    )
    now = ctx.clock.now()
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(M.HOME_UPDATED.format(at=f"{now:%Y-%m-%d %H:%M}"))}]})
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
