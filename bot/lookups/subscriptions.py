"""Which subscriptions a milestone's reminders go to: the rule /subscribe stores
(department, program or ``all``) read by the reminders and the Slack home tab alike."""

from __future__ import annotations

from bot.keys import name_key
from bot.models import Milestone, Subscription

ALL = "all"


def matches(sub: Subscription, m: Milestone) -> bool:
    """Does this reminder subscription cover this milestone?"""
    if sub.kind != "reminder":
        return False
    if sub.target == ALL:
        return True
    want = name_key(sub.target)
    return any(name and name_key(name) == want for name in (m.dept, m.program))


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
