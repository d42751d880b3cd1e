"""Command registry: each handler module registers its commands with ``@command``.

Adding a command means adding a module; the dispatcher and the adapters need no edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.context import Context
from bot.replies import Reply

HandlerFn = Callable[[str, Context], Reply]


@dataclass(frozen=True)
class CommandSpec:
    name: str  # without the slash, [a-z0-9_] (Telegram's rule)
    fn: HandlerFn
    summary: str  # one Korean line for /help and the Telegram command menu
    admin_only: bool = False
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, CommandSpec] = {}


def command(name: str, summary: str, *, admin_only: bool = False, aliases: tuple[str, ...] = ()) -> Callable[[HandlerFn], HandlerFn]:
    def deco(fn: HandlerFn) -> HandlerFn:
        spec = CommandSpec(name=name, fn=fn, summary=summary, admin_only=admin_only, aliases=aliases)
        COMMANDS[name] = spec
        for alias in aliases:
            COMMANDS[alias] = spec
        return fn

    return deco
