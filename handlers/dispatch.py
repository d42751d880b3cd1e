"""Text in, ``Reply`` out: the one entry point every adapter calls.

Parses ``/command args``, guards against hostile or broken input, and turns any
unexpected failure into a polite Korean reply, so no adapter ever shows a traceback."""

from __future__ import annotations

import importlib
import logging
import re
import unicodedata

from bot import messages as M
from handlers.context import Context
from handlers.registry import COMMANDS
from bot.replies import Reply, ReplyKind

log = logging.getLogger(__name__)

MAX_INPUT = 200

# Modules that register commands. A module that does not exist yet is skipped, so the
# commands can land one issue at a time.
HANDLER_MODULES = (
    "handlers.help",
    "handlers.budget",
    "handlers.program",
    "handlers.audit",
    "handlers.upcoming",
    "handlers.milestone",
    "handlers.subscriptions",
    "handlers.digest",
    "handlers.dates_of",
    "handlers.upload",
)

_loaded = False


def load_handlers() -> None:
    global _loaded
    if _loaded:
        return
    for name in HANDLER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _loaded = True


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """NFKC, no control or bidi characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def split_command(text: str) -> tuple[str | None, str]:
    """'/budget 뉴미디어 2018' -> ('budget', '뉴미디어 2018'); '/budget@reportbot x' too."""
    if not text.startswith("/"):
        return None, text
    head, _, rest = text[1:].partition(" ")
    head = head.split("@", 1)[0].lower()
    return head, rest.strip()


def handle(text: str, ctx: Context) -> Reply:
    load_handlers()
    try:
        return _handle(text, ctx)
    except Exception:  # the user gets a sentence, the log gets the traceback
        log.exception("handler failed for %r", text[:MAX_INPUT])
        return Reply(kind=ReplyKind.ERROR, title=M.INTERNAL_ERROR_TITLE, summary=[M.INTERNAL_ERROR])


def _handle(text: str, ctx: Context) -> Reply:
    if len(text) > MAX_INPUT * 4:
        return Reply(kind=ReplyKind.USAGE, title=M.TOO_LONG_TITLE, summary=[M.TOO_LONG.format(limit=MAX_INPUT)])
    clean = sanitize(text)
    if not clean:
        return Reply(kind=ReplyKind.USAGE, title=M.EMPTY_TITLE, summary=[M.EMPTY])
    if len(clean) > MAX_INPUT:
        return Reply(kind=ReplyKind.USAGE, title=M.TOO_LONG_TITLE, summary=[M.TOO_LONG.format(limit=MAX_INPUT)])
    name, args = split_command(clean)
    if name is None:  # free text, on any surface: the one question reader
        from handlers.question import answer

        return answer(clean, ctx)
    spec = COMMANDS.get(name)
    if spec is None:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=M.UNKNOWN_COMMAND_TITLE,
            summary=[M.UNKNOWN_COMMAND.format(name=name[:30])],
        )
    if spec.admin_only and not ctx.is_admin:
        return Reply(kind=ReplyKind.DENIED, title=M.ADMIN_ONLY_TITLE, summary=[M.ADMIN_ONLY])
    return spec.fn(args, ctx)
