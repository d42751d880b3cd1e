"""Free text → a command string through the one question reader (handlers.question):
'뉴미디어담당관 예산' → '/budget 뉴미디어담당관', names as typed (no store at hand).

/help uses it to read '/help 예산'; every answer to free text goes through
``handlers.question.answer`` (the registry's free-text reader), which resolves names
against the store and says what it did not understand."""

from __future__ import annotations

import re

from handlers.question import keyword_intent, read

_MENTION = re.compile(r"<@[^>]+>|<![^>]+>|^@\S+")


def intent_of(word: str) -> str | None:
    """The command a single keyword stands for ('예산' → 'budget'), else None."""
    kw = keyword_intent(word.strip())
    return {"compare": "budget"}.get(kw or "", kw)


def interpret(text: str) -> str | None:
    """The command a free-text request stands for (names as typed), or None when it names no intent."""
    text = _MENTION.sub(" ", text).strip()
    if not text:
        return "/help"
    if text.startswith("/"):
        return text if not text[1:].lower().startswith("reportbot") else None
    return read(text, None).command


def to_command(text: str) -> str:
    """Always a command string: the interpreted one, or '/reportbot TEXT', whose handler
    reads the phrase with the store at hand (so adapters need no special case)."""
    cmd = interpret(text)
    if cmd is not None:
        return cmd
    return f"/reportbot {_MENTION.sub(' ', text).strip()}".strip()
