"""Sends that carry their sent-log keys, and asking a platform whether a send arrived.

Claim, send, confirm: the sent-log claims a send before it goes out and confirms it
after. A claim still open at start means the bot stopped in between; where the
platform can be asked, it is. Slack: each reminder message carries ``metadata``
(``event_type`` ``reportbot_send``, the keys in ``event_payload``) and start-up looks
for it with ``conversations.history`` around the claim's time. Telegram cannot be
asked (bots cannot read their own sent messages back), so such a send is made again,
marked as possibly repeated.

A sender may implement ``send_tagged(channel, reply, keys)`` (Slack's ``SlackSender``
does: the keys go in the first message's metadata) and ``find_tagged(channel, keys,
since_wall)``; for a Slack sender (which holds ``client``) this module asks Slack itself."""

from __future__ import annotations

import logging
from typing import Any

from bot.replies import Reply

log = logging.getLogger(__name__)

EVENT_TYPE = "reportbot_send"
LOOKUP_SLACK_SECONDS = 120  # look this far before the claim (clock skew, slow posts)
LOOKUP_PAGES = 5  # a busy channel: at most this many pages of history


def send_metadata(keys: list[str]) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"keys": list(keys)}}


def _slack_client(sender: Any) -> Any | None:
    return getattr(sender, "client", None) if getattr(sender, "platform", None) == "slack" else None


def can_ask(sender: Any) -> bool:
    """Whether the platform behind ``sender`` can tell us if a send arrived."""
    return hasattr(sender, "find_tagged") or _slack_client(sender) is not None


async def send_tagged(sender: Any, channel: str, reply: Reply, keys: list[str]) -> None:
    """Send ``reply`` so that the platform keeps ``keys`` with it when it can (a sender's
    own ``send_tagged``: Slack's puts them in the message metadata)."""
    own = getattr(sender, "send_tagged", None)
    if own is not None:
        await own(channel, reply, keys)
        return
    await sender.send(channel, reply)


async def find_tagged(sender: Any, channel: str, keys: list[str], since_wall: float) -> set[str] | None:
    """Which of ``keys`` the platform holds a message for, posted since ``since_wall``
    (epoch seconds) — or None when it cannot be asked or did not answer."""
    own = getattr(sender, "find_tagged", None)
    if own is not None:
        return await own(channel, keys, since_wall)
    client = _slack_client(sender)
    if client is None:
        return None
    wanted, found = set(keys), set()
    cursor: str | None = None
    try:
        for _ in range(LOOKUP_PAGES):
            resp = await client.conversations_history(
                channel=channel,
                oldest=f"{since_wall - LOOKUP_SLACK_SECONDS:.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for msg in resp.get("messages") or []:
                meta = msg.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE:
                    found |= wanted & set((meta.get("event_payload") or {}).get("keys") or [])
            cursor = ((resp.get("response_metadata") or {}).get("next_cursor")) or None
            if not cursor or found == wanted:
                break
    except Exception:
        log.warning("could not ask Slack whether %d claimed send(s) in %s arrived", len(keys), channel, exc_info=True)
        return None
    return found
