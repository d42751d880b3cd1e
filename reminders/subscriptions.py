"""Which channels a milestone's reminders go to. The target rule itself (department,
program or ``all``) lives with the /subscribe handler that stores it."""

from __future__ import annotations

from bot.models import Milestone, Subscription
from handlers.subscriptions import matches


def subscribers(subs: list[Subscription], m: Milestone) -> list[Subscription]:
    """One subscription per channel: a channel subscribed to both ``all`` and the
    department still gets each reminder once."""
    seen: dict[tuple[str, str], Subscription] = {}
    for s in subs:
        if not matches(s, m):
            continue
        key = (s.platform, s.channel)
        if key not in seen or s.created_at < seen[key].created_at:
            seen[key] = s  # the earliest: the channel has wanted it since then
    return list(seen.values())
