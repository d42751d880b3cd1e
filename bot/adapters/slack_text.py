"""Slack's wire text → the plain command text the handlers read.

Slack sends mentions, channels and links as ``<…>`` markup with HTML entities; the
handlers must see what the user typed. Replies are escaped again on the way out
(``slack_blocks.escape``)."""

from __future__ import annotations

import html
import re

from handlers.dispatch import split_command

_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
_DIGEST_SUBSCRIBE = {"subscribe", "구독"}


def _unmarkup(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # <@U123> or <@U123|name>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # <#C123|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
        return label or "@" + target[1:].split("^", 1)[0]
    return label or target  # <https://…|label> or <https://…>


def slack_to_plain(text: str) -> str:
    """Slack's wire format → what the user typed: markup to plain words, entities decoded.
    The handlers see plain text; the reply is escaped again on the way out."""
    return html.unescape(_SLACK_MARKUP.sub(_unmarkup, text or "")).strip()


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    """The mention text without the bot's own ``<@U…>`` (it is not part of the question)."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return text


def slash_to_command(command: str, text: str) -> str:
    """'/budget' + '뉴미디어' → '/budget 뉴미디어'. '/reportbot …' goes through as well: its
    handler takes help, admin verbs and free text, on every platform alike."""
    name = command.lstrip("/").strip().lower()
    return f"/{name} {slack_to_plain(text)}".strip()


def feed_command(text: str) -> str | None:
    """'subscribe' or 'digest' when ``text`` subscribes the channel it is typed in (also
    through the /reportbot umbrella) — the commands that need the bot able to post there."""
    name, args = split_command(text)
    if name == "reportbot" and args:
        name, args = split_command("/" + args)
    if name == "subscribe" and args.strip():
        return "subscribe"
    if name == "digest" and args.strip().lower() in _DIGEST_SUBSCRIBE:
        return "digest"
    return None
