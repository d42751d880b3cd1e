"""Every command the bot answers, in one list, and the registry built from it.

A new command is a handler module with an ``@command`` function, added to
``ALL_COMMANDS``; the dispatcher and the adapters need no edit. The order is the one /help
and the Telegram menu fall back to after their own favourites."""

from __future__ import annotations

from collections.abc import Iterable

from handlers import audit, budget, dates_of, digest, help, milestone, program, subscriptions, upcoming, upload
from handlers.context import Context
from handlers.question import answer
from handlers.registry import CommandSpec, Registry

ALL_COMMANDS: tuple[CommandSpec[Context], ...] = (
    help.help_command,
    help.reportbot,
    budget.budget,
    program.program,
    audit.audit,
    upcoming.upcoming,
    milestone.milestone,
    subscriptions.subscribe,
    subscriptions.unsubscribe,
    subscriptions.subscriptions,
    digest.digest,
    dates_of.when,
    upload.upload,
    upload.reports,
)


def build_registry(extra: Iterable[CommandSpec[Context]] = ()) -> Registry[Context]:
    """A fresh registry of every command (plus ``extra``, e.g. a test's own), with the
    question reader for free text."""
    return Registry.of([*ALL_COMMANDS, *extra], free_text=answer)
