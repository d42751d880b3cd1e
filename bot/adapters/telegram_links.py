"""What Telegram users see of the command set: the bot's command menu and deep links
(``https://t.me/<bot>?start=<payload>``) that run a command when opened."""

from __future__ import annotations

import base64
import re

from telegram import BotCommand

from handlers.registry import Registry

COMMAND_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
# The menu in the order people use the commands; the rest follow in registry order.
MENU_FIRST = ("budget", "program", "audit", "upcoming", "help")
START_PAYLOAD_MAX = 64  # Telegram: characters of a /start parameter, [A-Za-z0-9_-]
_START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def start_payload(command: str) -> str | None:
    """The deep-link parameter for ``command``: base64url of its UTF-8, no padding
    (``https://t.me/<bot>?start=<payload>``); None when it would exceed Telegram's 64
    characters (48 bytes: about 15 Korean characters)."""
    payload = base64.urlsafe_b64encode(command.encode("utf-8")).decode("ascii").rstrip("=")
    return payload if len(payload) <= START_PAYLOAD_MAX else None


def deep_link(username: str, command: str) -> str | None:
    payload = start_payload(command)
    return f"https://t.me/{username}?start={payload}" if payload else None


def decode_start_payload(payload: str) -> str | None:
    """The command a /start parameter carries, or None when it is not one of ours."""
    payload = payload.strip()
    if not _START_PAYLOAD.match(payload):
        return None
    try:
        text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    text = text.strip()
    return text if text and text.isprintable() else None


def menu_commands(registry: Registry) -> list[BotCommand]:
    """Every registered command (not aliases, not admin verbs) with its Korean summary,
    the ones people use most first (``MENU_FIRST``)."""
    out: list[BotCommand] = []
    for key, spec in registry.items():
        if key != spec.name or spec.admin_only:
            continue
        if not (1 <= len(key) <= 32) or not set(key) <= COMMAND_NAME_OK:
            continue
        out.append(BotCommand(key, spec.summary.strip()[:256] or key))
    first = {name: i for i, name in enumerate(MENU_FIRST)}
    return sorted(out, key=lambda c: first.get(c.command, len(first)))  # stable: the rest keep their order
