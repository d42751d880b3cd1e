"""One reader for free text on every surface: a plain Korean question → what is asked
(intent), about what (a department, program or event), when (years, a period) and how
(status, ranking) — and every word it did not use.

Rules, not a morphological analyser — chosen by measuring (bench/question_reader.py,
JSON in bench/results/): on the question set of tests/test_questions.py (156 questions,
the whole answer path) the particle rules get 155 right (99.4 %, 0 wrong answers, ~2.9 ms
a question); the same reader with kiwipiepy 0.24.1 cutting each word's particles and
endings also gets 155 (0 wrong, ~3.1 ms; 0.12 ms of it the analyser), the same miss
('명예시장 사업': the reports say 명예부시장). The two cut 32 of 465 words differently
(kiwi is right on '홈페이지', '서울-하노이', '뉴미디어담당과', where the rule takes 이지/이/과
for particles), but the name resolution absorbs those, so no answer changes. kiwi would
cost a 105 MB model, 2.4 s to load and 500 MB more memory (38 → 539 MB) for nothing
measurable, and a rule fails in a way we can name to the user (the word it did not use).

The reader never answers from a partial understanding: unused words are named in the
reply, a name resolved only loosely is shown as "…로 이해했습니다", and a phrase with two
readings gets two buttons."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot import messages as M
from bot.clock import SystemClock
from bot.lookups.budget import nameable_rows
from bot.lookups.departments import department_names
from bot.lookups.known import KnownStore
from bot.lookups.names import Pools, Resolution, normalize, resolve_in
from bot.replies import Action, Reply, ReplyKind
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.dispatch import handle

# Keywords (after particles are stripped). Order of the tuple = priority.
_KEYWORDS: dict[str, frozenset[str]] = {
    "compare": frozenset({"비교", "비교해", "비교해줘", "대비", "차이", "증감", "변화", "추이", "vs", "달라졌", "달라졌어", "늘었", "늘었어", "줄었", "줄었어"}),
    "when": frozenset({"언제", "언제야", "언제지", "언제예요", "언제인가요", "언제죠", "며칠", "날짜", "개최일", "일자", "when"}),
    "budget": frozenset({"예산", "집행", "집행률", "집행액", "예산현액", "결산", "예산액", "돈", "얼마", "얼마야", "budget", "세출"}),
    "audit": frozenset({"감사", "행정사무감사", "결산검사", "후속조치", "시정요구", "지적", "지적사항", "처리결과", "조치사항", "audit"}),
    "upcoming": frozenset({"일정", "일정들", "예정", "다가오는", "행사", "스케줄", "upcoming", "행사들", "계획된"}),
    "program": frozenset({"사업", "주요업무", "업무", "사업내용", "프로그램", "program", "개요", "추진실적", "뭐하는"}),
}
HELP_WORDS = frozenset({"도움말", "도움", "사용법", "명령", "명령어", "help"})
FILLER = frozenset(
    {
        "알려줘", "알려", "알려주세요", "알려줄래", "주세요", "줘", "보여줘", "보여주세요", "보여", "좀", "현황", "어때", "어때요",
        "뭐야", "무엇", "관련", "대한", "내용", "정보", "찾아줘", "검색", "please", "는", "은", "의", "있어", "있나요", "있어요",
        "뭐", "뭐가", "뭐있어", "해줘", "해", "한번", "다시", "궁금해", "궁금합니다", "어떻게", "돼", "돼요", "되나요", "됐어",
        "어떤", "거", "것", "건", "게", "좀더", "그리고", "요", "인가요", "인지", "해주세요", "봐줘", "가요", "이야", "예요", "정리",
        "정리해줘", "우리", "부서", "목록", "리스트", "전부", "모두", "다", "전체", "혹시", "수", "얼마나", "되지", "됐나", "됐지",
        "나와", "나와있어", "보고서", "보고서에", "기준", "기준으로", "몇", "개", "건수", "현재", "지금", "님", "씨", "적", "각",
        "사업별", "별", "순", "순으로", "앞으로", "향후", "부탁", "부탁해", "부탁해요", "순서", "순서로", "하는", "있는", "하나요", "했어", "했나", "하지", "할까", "인데",
    }
)
PARTICLES = (
    "에서는", "이랑은", "에서", "이랑", "하고", "까지", "부터", "으로", "에는", "에게", "대비", "보다", "이야", "이지",
    "랑", "과", "와", "의", "은", "는", "을", "를", "에", "로", "도", "만", "이", "가", "야",
)

_MENTION = re.compile(r"<@[^>]+>|<![^>]+>|^@\S+|\s@\w+")
_PUNCT = re.compile(r"[?!.,~…·:;\"“”‘’()\[\]]+")

# Multi-word phrases read before the words (spaces optional).
_PERIODS = (
    ("today", re.compile(r"오늘")),
    ("tomorrow", re.compile(r"내일")),
    ("this_week", re.compile(r"이번\s*주|금주|이번주")),
    ("next_week", re.compile(r"다음\s*주|차주|담주")),
    ("this_month", re.compile(r"이번\s*달|이달|금월")),
    ("next_month", re.compile(r"다음\s*달|내달|다음달")),
    ("h2", re.compile(r"하반기")),
    ("h1", re.compile(r"상반기")),
)
_STATUS = (
    ("open", re.compile(r"안\s*끝난|안\s*끝났|아직\s*안|미완료|미완|진행\s*중인|추진\s*중인|추진중인|진행중인|남은|미처리|미조치|open")),
    ("done", re.compile(r"완료된|완료한|끝난|처리된|조치된|완료\s*건|done")),
)
_RANKING = (
    ("low", re.compile(r"집행률\s*(?:이|가)?\s*(?:낮은|저조한?|부진한?|안\s*좋은|떨어지는|제일\s*낮은|가장\s*낮은)|(?:낮은|저조한|부진한)\s*집행률|집행\s*부진|부진\s*사업")),
    ("high", re.compile(r"집행률\s*(?:이|가)?\s*(?:높은|좋은|제일\s*높은|가장\s*높은)|(?:높은)\s*집행률")),
    ("largest", re.compile(r"(?:가장|제일)\s*(?:큰|많은)|(?:예산\s*(?:이|가)?\s*(?:큰|많은))|큰\s*사업|규모\s*큰")),
)
_REL_YEARS = {"올해": 0, "금년": 0, "올": 0, "작년": -1, "지난해": -1, "전년": -1, "재작년": -2, "내년": 1, "명년": 1}
_YEAR = re.compile(r"^(?:((?:19|20)\d{2})|'(\d{2})|(\d{2})(?=년))(?:년도?|회계연도)?(?:과|와|이랑|랑|하고|부터|까지|에|의|도|및|대비|는|은|만)?$")
_YEAR_RANGE = re.compile(r"^((?:19|20)\d{2})\s*[~\-–]\s*((?:19|20)\d{2})(?:년)?$")
_DAYS = re.compile(r"^(\d{1,4})일(?:간|동안|치)?$")
_YEAR_RANGE_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*년?\s*[~\-–]\s*((?:19|20)\d{2})\s*년?")
_PAGE = re.compile(r"^(?:p|P)(\d{1,3})$")
_NEG_DAYS = re.compile(r"^-\d+$")


@dataclass
class Reading:
    """What was understood. ``command`` runs through the ordinary handlers."""

    intent: str | None = None
    name: str | None = None  # the resolved name (department, program, row, event)
    name_kind: str | None = None  # dept | org | row | program | event
    typed_name: str | None = None  # what the person wrote for it
    loose: bool = False  # resolved by a partial or fuzzy match
    years: list[int] = field(default_factory=list)
    period: str | None = None
    window: tuple[date, date] | None = None
    days: int | None = None
    status: str | None = None  # open | done
    ranking: str | None = None  # low | high | largest
    unused: list[str] = field(default_factory=list)
    command: str | None = None
    alternatives: list[Action] = field(default_factory=list)  # two readings → buttons
    unresolved: Resolution | None = None
    help: bool = False
    page: int = 1


def _strip_particle(word: str, keep: int = 2) -> str:
    for p in PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= keep:
            return word[: -len(p)]
    return word


def keyword_intent(word: str) -> str | None:
    """The intent a keyword names ('예산' → budget, '언제' → when), 'help', or None."""
    w = word.lower()
    forms = {w, _strip_particle(w, 1)}
    if forms & HELP_WORDS:
        return "help"
    for intent, words in _KEYWORDS.items():
        if forms & words:
            return intent
        if any(w.startswith(k) and len(k) >= 2 and intent in ("when", "compare") for k in words):
            return intent
    return None


def _window(period: str, today: date, year: int | None) -> tuple[date, date]:
    if period == "today":
        return today, today
    if period == "tomorrow":
        d = today + timedelta(days=1)
        return d, d
    if period == "this_week":
        return today, today + timedelta(days=6 - today.weekday())
    if period == "next_week":
        start = today + timedelta(days=7 - today.weekday())
        return start, start + timedelta(days=6)
    if period == "this_month":
        return today, date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    if period == "next_month":
        y, m = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    y = year or today.year
    if period == "h1":
        return date(y, 1, 1), date(y, 6, 30)
    return date(y, 7, 1), date(y, 12, 31)


def _name_pools(ctx: Context, intent: str | None) -> Pools:
    """The kinds of name a question may hold, for its intent: the same names as scanning
    every record, prepared once per store state (``Store.cached``) so a question only
    normalises its own words. An as-of view (``KnownStore``) prepares its own each time."""
    group = intent if intent in ("when", "upcoming", "program", "audit") else None
    group = "when" if group == "upcoming" else group
    if isinstance(ctx.store, KnownStore):
        return Pools(_scan_pools(ctx, group))
    return ctx.store.cached(("question_pools", group), lambda: Pools(_scan_pools(ctx, group)))


def _scan_pools(ctx: Context, group: str | None) -> list[tuple[str, list[str]]]:
    store = ctx.store
    depts = department_names(store)
    orgs = [r.org for r in store.reports()]
    if group == "audit":
        return [("dept", depts + [a.dept for a in store.audit_items() if a.dept])]
    progs = [p.title for p in store.programs()]
    if group == "program":
        return [("program", progs), ("dept", depts)]
    if group == "when":
        events = [m.title for m in store.milestones()] + [m.program for m in store.milestones() if m.program]
        return [("dept", depts), ("org", orgs), ("program", progs), ("event", events)]
    rows = nameable_rows(store.budget_lines())
    return [("dept", depts), ("org", orgs), ("row", rows), ("program", progs)]


def _resolve_name(ctx: Context, words: list[str], intent: str | None) -> tuple[str | None, Resolution, list[str], list[str]]:
    """The name among ``words``: the longest run of words that resolves to one name;
    returns (kind, resolution, words used, words left)."""
    pools = _name_pools(ctx, intent)
    n = len(words)
    first_many: tuple[str | None, Resolution, list[str], list[str]] | None = None
    # Exact and partial names first over every run of words, fuzzy ones only after:
    # a fuzzy score would otherwise swallow a stray word ('뉴미디어담당관 빨리').
    for fuzzy in (False, True):
        for size in range(n, 0, -1):
            for i in range(0, n - size + 1):
                part = words[i : i + size]
                kind, res = resolve_in(" ".join(part), pools, fuzzy=fuzzy)
                if res.found:
                    return kind, res, part, words[:i] + words[i + size :]
                if res.outcome == "many" and first_many is None:
                    first_many = (kind, res, part, words[:i] + words[i + size :])
        if first_many is not None:
            break
    if first_many is not None:
        return first_many
    kind, res = resolve_in(" ".join(words), pools)
    return kind, res, words, []


def read(text: str, ctx: Context | None) -> Reading:
    """Read a free-text question; the clock makes 올해/작년/다음 주 concrete. Without a
    context (no store) the name is kept as typed instead of resolved."""
    today = (ctx.clock if ctx is not None else SystemClock()).today()
    r = Reading()
    text = _MENTION.sub(" ", text).strip()
    if text.startswith("/"):
        r.command = text
        return r
    intents, rest = _read_words(_read_phrases(text, r), r, today)
    r.years = list(dict.fromkeys(r.years))
    r.intent = _choose_intent(_implied_intents(intents, r), r)
    r.window = _window(r.period, today, r.years[0] if r.years else None) if r.period else None
    if r.help:
        r.command = f"/help {r.intent}" if r.intent in _HELP_TOPICS else "/help"
        return r
    _read_name(r, rest, ctx)
    if r.intent is None and r.name is not None:
        # A bare name: two or three readings, each a button; never a guess.
        r.alternatives = [Action(label=label, command=cmd) for label, cmd in _readings_for(r)]
        return r
    r.command = _command(r, today)
    if r.command and r.page > 1:
        r.command += f" p{r.page}"
    return r


_HELP_TOPICS = ("budget", "program", "audit", "upcoming", "when")


def _read_phrases(text: str, r: Reading) -> str:
    """Periods, status, ranking and year ranges, read off the whole text first (they span
    words); what is left, without punctuation, for the word reader."""
    low = text
    for period, rx in _PERIODS:
        if rx.search(low):
            r.period = r.period or period
            low = rx.sub(" ", low)
    for status, rx in _STATUS:
        if rx.search(low):
            r.status = r.status or status
            low = rx.sub(" ", low)
    for ranking, rx in _RANKING:
        if rx.search(low):
            r.ranking = r.ranking or ranking
            low = rx.sub(" 예산 " if ranking == "largest" else " 집행률 ", low)
    for m in list(_YEAR_RANGE_IN_TEXT.finditer(low)):
        r.years += _year_span(int(m.group(1)), int(m.group(2)))
    low = _YEAR_RANGE_IN_TEXT.sub(" ", low)
    return _PUNCT.sub(" ", low)


def _year_span(a: int, b: int) -> list[int]:
    return list(range(min(a, b), max(a, b) + 1))[:12]


def _year_range_word(word: str, r: Reading, today: date) -> bool:
    if (m := _YEAR_RANGE.match(word)) is None:
        return False
    r.years += _year_span(int(m.group(1)), int(m.group(2)))
    return True


def _year_word(word: str, r: Reading, today: date) -> bool:
    if (m := _YEAR.match(word)) is None:
        return False
    r.years.append(int(m.group(1)) if m.group(1) else 2000 + int(m.group(2) or m.group(3)))
    return True


def _relative_year_word(word: str, r: Reading, today: date) -> bool:
    base = _strip_particle(word, 1)
    if base not in _REL_YEARS and word not in _REL_YEARS:
        return False
    r.years.append(today.year + _REL_YEARS.get(base, _REL_YEARS.get(word, 0)))
    return True


def _days_word(word: str, r: Reading, today: date) -> bool:
    if (m := _DAYS.match(word)) is None:
        return False
    r.days = int(m.group(1))
    return True


def _page_word(word: str, r: Reading, today: date) -> bool:
    if (m := _PAGE.match(word)) is None:
        return False
    r.page = int(m.group(1))
    return True


def _negative_word(word: str, r: Reading, today: date) -> bool:
    """'-30' is no count of days: named as a word not used."""
    if not _NEG_DAYS.match(word):
        return False
    r.unused.append(word)
    return True


# Word readers, in order; each takes a word it understands into the reading.
_WORD_READERS = (_year_range_word, _year_word, _relative_year_word, _days_word, _page_word, _negative_word)


def _read_words(low: str, r: Reading, today: date) -> tuple[list[str], list[str]]:
    """(the intents the keywords name, the words left for a name)."""
    intents: list[str] = []
    rest: list[str] = []
    for word in (w.strip() for w in low.split()):
        if not word or any(reader(word, r, today) for reader in _WORD_READERS):
            continue
        kw = keyword_intent(word)
        if kw == "help":
            r.help = True
        elif kw is not None:
            intents.append(kw)
        elif word.lower() not in FILLER and _strip_particle(word, 1).lower() not in FILLER:
            rest.append(_strip_particle(word))
    return intents, rest


def _implied_intents(intents: list[str], r: Reading) -> list[str]:
    """A ranking asks about the budget; a period or a count of days, about the schedule;
    a status, about the audit — when no keyword said otherwise."""
    out = list(intents)
    if r.ranking in ("low", "high", "largest") and "budget" not in out:
        out.append("budget")
    if ((r.period and r.period not in ("h1", "h2")) or r.days) and not out:
        out.append("upcoming")
    if r.status and not out:
        out.append("audit")
    return out


def _read_name(r: Reading, rest: list[str], ctx: Context | None) -> None:
    """The name among the words left: resolved against the store (as typed without one)."""
    if not rest:
        return
    if ctx is None:
        r.name = r.typed_name = " ".join(rest)
        return
    kind, res, used, left = _resolve_name(ctx, rest, r.intent)
    r.typed_name = " ".join(used)
    r.unused += left
    if res.found and res.value:
        r.name, r.name_kind = res.value, kind
        r.loose = normalize(res.value) != normalize(r.typed_name)
    else:
        r.unresolved = res


def _choose_intent(intents: list[str], r: Reading) -> str | None:
    if not intents:
        return None
    s = set(intents)
    if "compare" in s or ("budget" in s and len(r.years) >= 2):
        return "compare"
    if "when" in s:
        return "when"
    if "audit" in s:
        return "audit"
    if "budget" in s:
        return "budget"
    if "upcoming" in s:
        return "upcoming"
    return "program"


def _readings_for(r: Reading) -> list[tuple[str, str]]:
    n = r.name or ""
    if r.name_kind == "dept":
        return [(M.Q_READ_BUDGET.format(name=n), f"/budget {n}"), (M.Q_READ_PROGRAM.format(name=n), f"/program {n}"), (M.Q_READ_UPCOMING.format(name=n), f"/upcoming {n}")]
    if r.name_kind == "event":
        return [(M.Q_READ_WHEN.format(name=n), f"/when {n}"), (M.Q_READ_UPCOMING.format(name=n), f"/upcoming {n}")]
    return [(M.Q_READ_BUDGET.format(name=n), f"/budget {n}"), (M.Q_READ_PROGRAM.format(name=n), f"/program {n}"), (M.Q_READ_WHEN.format(name=n), f"/when {n}")]


def _year_suffix(r: Reading) -> str:
    return f" {r.years[0]}" if r.years else ""


def _compare_command(r: Reading, today: date) -> str | None:
    return f"/budget {r.name} 비교" + "".join(f" {y}" for y in r.years) if r.name else None


def _when_command(r: Reading, today: date) -> str | None:
    return f"/when {r.name}" if r.name else "/when"


def _budget_command(r: Reading, today: date) -> str | None:
    name, year = r.name or "", _year_suffix(r)
    if r.ranking is not None:
        return f"/budget 순위 {r.ranking} {name}".strip() + year
    if len(r.years) > 1:
        return f"/budget {name} 비교" + "".join(f" {y}" for y in r.years)
    return f"/budget {name}".strip() + year if name or year else "/budget"


def _audit_command(r: Reading, today: date) -> str | None:
    parts = ["/audit"] + ([r.name] if r.name else []) + ([r.status] if r.status else [])
    return " ".join(parts) + _year_suffix(r)


def _upcoming_command(r: Reading, today: date) -> str | None:
    parts = ["/upcoming"]
    if r.window is not None:
        a, b = r.window
        parts.append(f"{max(a, today).isoformat()}~{b.isoformat()}" if b >= today else f"{a.isoformat()}~{b.isoformat()}")
    elif r.days:
        parts.append(str(r.days))
    if r.name:
        parts.append(r.name)
    return " ".join(parts)


def _program_command(r: Reading, today: date) -> str | None:
    return f"/program {r.name}" + _year_suffix(r) if r.name else None


_COMMAND_OF: dict[str, Callable[[Reading, date], str | None]] = {
    "compare": _compare_command,
    "when": _when_command,
    "budget": _budget_command,
    "audit": _audit_command,
    "upcoming": _upcoming_command,
    "program": _program_command,
}


def _command(r: Reading, today: date) -> str | None:
    """The command a reading stands for (None when it needs a name it does not have)."""
    build = _COMMAND_OF.get(r.intent or "")
    return build(r, today) if build is not None else None


def answer(text: str, ctx: Context) -> Reply:
    """Read ``text`` and answer it through the ordinary handlers, saying what was
    understood when it was not literal."""
    r = read(text, ctx)
    if r.command is not None and r.intent is None and not r.unused:
        return handle(r.command, ctx)
    if r.alternatives:
        return Reply(
            kind=ReplyKind.CANDIDATES,
            title=M.Q_TWO_READINGS_TITLE.format(name=r.name),
            summary=[M.Q_TWO_READINGS] + _notes(r),
            candidates=r.alternatives,
        )
    if r.unresolved is not None and r.intent is not None and _asks_back(r, r.unresolved, r.intent):
        return _unresolved(r, r.unresolved, r.intent, ctx)
    if r.command is None:
        return Reply(kind=ReplyKind.USAGE, title=M.MENTION_UNCLEAR_TITLE, summary=[M.MENTION_UNCLEAR] + _notes(r))
    reply = handle(r.command, ctx)
    notes = _notes(r)
    if notes:
        reply.summary = notes + reply.summary
    return reply


def _asks_back(r: Reading, res: Resolution, intent: str) -> bool:
    """Whether a name that did not resolve is worth a list of names to pick from (rather
    than the command's own answer without it)."""
    return res.outcome == "many" or intent not in ("upcoming", "audit", "budget") or bool(res.closest) or bool(r.typed_name)


def _unresolved(r: Reading, res: Resolution, intent: str, ctx: Context) -> Reply:
    base = {"compare": "/budget", "when": "/when"}.get(intent, f"/{intent}")
    suffix = " 비교" if intent == "compare" else _year_suffix(r)
    reply = unresolved_reply(r.typed_name or "", res, base, suffix, ctx, answer_same=intent != "compare")
    reply.summary = reply.summary + _notes(r)
    return reply


def _notes(r: Reading) -> list[str]:
    out: list[str] = []
    if r.loose and r.name and r.typed_name:
        out.append(M.Q_UNDERSTOOD_AS.format(typed=r.typed_name, name=r.name))
    if r.unused:
        out.append(M.Q_UNUSED.format(words=", ".join(f"'{w}'" for w in dict.fromkeys(r.unused))))
    return out
