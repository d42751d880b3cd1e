"""Text in, ``Reply`` out: the one entry point every adapter calls.

Parses ``/command args``, guards against hostile or broken input, and turns any
unexpected failure into a polite Korean reply, so no adapter ever shows a traceback."""

from __future__ import annotations

import logging
import re
import unicodedata

from bot import messages as M
from bot.replies import Reply, ReplyKind
from handlers.context import Context
from handlers.registry import split_command

log = logging.getLogger(__name__)

MAX_INPUT = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """NFKC, no control or bidi characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def handle(text: str, ctx: Context) -> Reply:
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
    if name is None and ctx.commands.free_text is not None:  # free text, on any surface: the one question reader
        return ctx.commands.free_text(clean, ctx)
    spec = ctx.commands.get(name) if name is not None else None
    if spec is None:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=M.UNKNOWN_COMMAND_TITLE,
            summary=[M.UNKNOWN_COMMAND.format(name=(name or clean)[:30])],
        )
    if spec.admin_only and not ctx.is_admin:
        return Reply(kind=ReplyKind.DENIED, title=M.ADMIN_ONLY_TITLE, summary=[M.ADMIN_ONLY])
    return spec.fn(args, ctx)
