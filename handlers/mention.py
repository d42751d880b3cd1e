"""Free text → a command: "@reportbot 뉴미디어담당관 예산" → "/budget 뉴미디어담당관".

People mentioning the bot write a phrase, not a command. A keyword says what they want
(예산 → /budget, 사업 → /program, 감사 → /audit, 일정 → /upcoming, 도움말 → /help);
the remaining words, minus particles and politeness ("알려줘"), are the name. Without
a keyword we do not guess: the caller answers with examples instead."""

from __future__ import annotations

import re

from bot import messages as M
from handlers.args import parse_year
from handlers.context import Context
from handlers.reply import Reply, ReplyKind

# The order is the priority when a phrase has several ("명예시민 사업 예산" is a budget question).
INTENTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("budget", frozenset({"예산", "집행", "집행률", "집행액", "예산현액", "결산", "예산액", "budget"})),
    ("audit", frozenset({"감사", "행정사무감사", "결산검사", "후속조치", "시정요구", "처리결과", "audit"})),
    ("upcoming", frozenset({"일정", "일정들", "예정", "다가오는", "행사", "스케줄", "언제", "upcoming"})),
    ("program", frozenset({"사업", "주요업무", "업무", "사업내용", "프로그램", "program"})),
)
HELP_WORDS = frozenset({"도움말", "도움", "사용법", "명령", "명령어", "help"})
FILLER = frozenset(
    {
        "알려줘", "알려", "알려주세요", "주세요", "줘", "보여줘", "보여주세요", "보여", "좀", "현황", "어때", "얼마",
        "얼마야", "뭐야", "무엇", "관련", "대한", "내용", "정보", "찾아줘", "검색", "please", "는", "은", "의",
    }
)
# Particles stripped from the end of a word; only when at least 3 characters remain, so
# short nouns that happen to end in one ('마을') are left alone.
PARTICLES = ("에서는", "에서", "으로", "에는", "에게", "의", "은", "는", "을", "를", "에", "로")

_MENTION = re.compile(r"<@[^>]+>|<![^>]+>|^@\S+")
_TRAIL = re.compile(r"[?!.,~…]+$")


def _strip_particle(word: str) -> str:
    for p in PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 3:
            return word[: -len(p)]
    return word


def intent_of(word: str) -> str | None:
    """The command a single keyword stands for ('예산' → 'budget'), else None."""
    w = _TRAIL.sub("", word.strip().lower())
    candidates = {w, _strip_particle(w)}
    for w2 in list(candidates):  # '예산은' → '예산' (short keywords keep their particle check)
        for p in PARTICLES:
            if w2.endswith(p) and len(w2) > len(p):
                candidates.add(w2[: -len(p)])
    if candidates & HELP_WORDS:
        return "help"
    for name, words in INTENTS:
        if candidates & words:
            return name
    return None


def interpret(text: str) -> str | None:
    """The command a free-text request stands for, or None when it names no intent."""
    text = _MENTION.sub(" ", text).strip()
    if not text:
        return "/help"
    if text.startswith("/"):
        return text if not text[1:].lower().startswith("reportbot") else None
    intents: list[str] = []
    name: list[str] = []
    year: str | None = None
    for raw in text.split():
        word = _TRAIL.sub("", raw)
        if not word:
            continue
        intent = intent_of(word)
        if intent is not None:
            intents.append(intent)
            continue
        if word.lower() in FILLER:
            continue
        if parse_year(word) is not None and year is None:
            year = word
            continue
        name.append(_strip_particle(word))
    if not intents:
        return None
    if "help" in intents:
        other = next((i for i in intents if i != "help"), None)
        return f"/help {other}" if other else "/help"
    chosen = next(n for n, _ in INTENTS if n in intents)
    parts = [f"/{chosen}"] + name + ([year] if year else [])
    return " ".join(parts)


def to_command(text: str) -> str:
    """Always a command string: the interpreted one, or '/reportbot TEXT', whose handler
    answers an unclear phrase with examples (so adapters need no special case)."""
    cmd = interpret(text)
    if cmd is not None:
        return cmd
    return f"/reportbot {_MENTION.sub(' ', text).strip()}".strip()


def handle_mention(text: str, ctx: Context) -> Reply:
    """Answer an @mention or a direct message: the same handlers as the commands."""
    from handlers.dispatch import handle

    cmd = interpret(text)
    if cmd is None:
        return Reply(kind=ReplyKind.USAGE, title=M.MENTION_UNCLEAR_TITLE, summary=[M.MENTION_UNCLEAR])
    return handle(cmd, ctx)
