"""The title of a dated item: the item's own text without its date.

The words before a parenthesised date (one line may hold several items: '탄자니아 …
실시(9월), 몽골 … 역량강화(10월)'), the label before '… : date', or — for a bare
'일시 : …' line — the item it belongs to (looked up in the lines above it).
"""

from __future__ import annotations

import bisect
import re

from bot.ingest.dates import DateSpan, find_dates
from bot.ingest.lines import Lines, strip_bullets
from bot.ingest.text import squeeze

_GENERIC_LABEL = re.compile(r"^.{0,6}(?:기간|일시|일정|시기|일자|기한|시한|개시|날짜)(?:[/·].{1,6})?$")
_NOTE_START = re.compile(r"^[*※]")
_LEAD_JUNK = re.compile(r"^(?:[-–－·ㆍ•○●◎□■▶►▷✓✔⇒⇨→*※\s]|\(\s*[^()]{1,8}\s*\)\s*)+")
_TRAIL_JUNK = re.compile(r"[\s:：,，·/]+$|\s+(?:등|및)$")
LABEL = re.compile(r"^(?P<label>[^:：()]{1,40}?)\s*[:：]\s*(?P<value>.*)$")
_PAREN_WORDS_DROP = re.compile(r"^(?:온라인|오프라인|예정|미정|잠정|계속|市|시|추진|개최)$")
_HAS_WORD = re.compile(r"[가-힣A-Za-z]")
_SEASON = re.compile(r"(?:방학|하절기|동절기|학기|성수기|비수기|휴가철)$")  # '겨울방학(12~2월)' names a season
_VERB_ENDING = re.compile(r"(?:하고|하며|하여|해서|하는|하고자)$")
_FREQUENCY = re.compile(r"^(?:연|월|주|일|분기|반기)\s*\d+\s*회(?:\s*이상)?$")
_PURPOSE_CLAUSE = re.compile(r"(?:위한|위해|통한|통해)\s")
_BRACKETED_TITLE = re.compile(r"^\s*[<〈《【\[]\s*(.*?)\s*[>〉》】\]]\s*$")
ANY_YEAR = 2000  # to ask whether a text holds a date at all, printed year or not


def label_of(text: str) -> re.Match[str] | None:
    """``LABEL.match(text)``: 'label : value' at the start of ``text``; a text without a
    colon has none (and is not tried, the lazy label would be tried at 40 lengths)."""
    return LABEL.match(text) if ":" in text or "：" in text else None


def clean_title(t: str) -> str:
    t = t.replace("**", "")
    t = _BRACKETED_TITLE.sub(r"\1", t)
    t = _LEAD_JUNK.sub("", t)
    t = squeeze(t)
    for _ in range(2):
        t = _TRAIL_JUNK.sub("", t).strip()
    return t


def without(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for a, b in sorted(spans):
        out.append(text[last:a])
        last = max(last, b)
    out.append(text[last:])
    return squeeze("".join(out))


_PAREN_REACH = 300
_TITLE_REACH = 300  # characters of a line's head read as a date's title


def _paren_around(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The innermost '( … )' that contains text[a:b], if any (looked for within
    ``_PAREN_REACH`` characters, so a line with thousands of dates stays linear)."""
    depth, open_at = 0, -1
    for i in range(a - 1, max(-1, a - 1 - _PAREN_REACH), -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                open_at = i
                break
            depth -= 1
    if open_at < 0:
        return None
    depth = 0
    for j in range(b, min(len(text), b + _PAREN_REACH)):
        ch = text[j]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return open_at, j
            depth -= 1
    return None

# --- titles ------------------------------------------------------------------------------------


class Context:
    """What a title may borrow from: the program, the item a bare '일시 : …' line belongs
    to, the nearest sub-item heading, and (in a table row) the row's other cells. The
    parent and heading are looked up only when a title needs them."""

    def __init__(
        self,
        program_title: str,
        lines: Lines | None = None,
        n: int = 0,
        section_start: int = 0,
        body_start: int = 0,
        other_cells: list[str] | None = None,
        name_cell: str | None = None,
    ) -> None:
        self.program_title = program_title
        self.other_cells = other_cells or []
        self.name_cell = name_cell
        self._lines, self._n, self._lo, self._body = lines, n, section_start, body_start

    @property
    def parent(self) -> str | None:
        return _parent(self._lines, self._n, self._lo) if self._lines else None

    @property
    def outer(self) -> str | None:
        return _outer_item(self._lines, self._n, self._lo) if self._lines else None

    @property
    def heading(self) -> str | None:
        return _sub_heading(self._lines, self._n, self._body) if self._lines else None


_SEPARATOR = re.compile(r"^\s*(?:[,，/·]|및\s|등\s*[,，]?|$)")


def _tail(text: str, close: int) -> tuple[str, int]:
    """The short verb a parenthesised date is followed by ('포럼('16.9월) 개최 …' → '개최')
    and where the next item starts."""
    rest = text[close + 1 :]
    m = re.match(r"^\s*([^,，/·()]{1,10}?)\s*(?=[,，/·]|\s및\s|$)", rest)
    if m and m.group(1).strip() and not m.group(1).strip().startswith(("및", "등", ":", "：", "~", "*", "※")):
        tail = m.group(1).strip()
        return tail, close + 1 + m.end()
    return "", close + 1


def _paren_title(text: str, sp: DateSpan, spans: list[DateSpan], paren: tuple[int, int]) -> tuple[str, bool]:
    """Words before a parenthesised date, back to the previous dated parenthesis (and the
    verb that followed it); plus what the parenthesis adds ('(202명, ’21.5월)' →
    '(202명)', '(’21.11월 응모)' → '응모') and the verb after it ('(’16.9월) 개최')."""
    o, c = paren
    tail, _ = _tail(text, c)
    after_paren = text[c + 1 :].lstrip()
    # '… 특허법인을 선정하고('21.4) 사업예산 …': a sentence goes on after it
    glued = not tail and bool(after_paren) and not _SEPARATOR.match(after_paren) and not after_paren.startswith(
        ("(", "⇒", "→", ":", "：", "~", "*", "※")
    )
    counts, suffix = _paren_words(text, sp, spans, paren)
    title = clean_title(_item_before(text, spans, o, glued))
    if counts:
        title = f"{title}({', '.join(counts)})"
    if suffix and not _PAREN_WORDS_DROP.match(suffix) and len(suffix) <= 12:
        title = f"{title} {suffix}"
    if tail and len(title.replace(" ", "")) + len(tail) <= 60:
        title = f"{title} {tail}"
    followed_by_label = after_paren.startswith((":", "："))
    return title.strip(), followed_by_label


def _item_before(text: str, spans: list[DateSpan], o: int, glued: bool) -> str:
    """The words before the parenthesis at ``o``, back to the previous dated parenthesis
    (and its verb), without a short label; only the last words when the sentence goes on
    after the parenthesis (``glued``)."""
    start = 0
    for other in spans:
        if other.endpos <= o:
            p2 = _paren_around(text, other.pos, other.endpos)
            if p2 is not None and p2[1] < o:
                start = max(start, _tail(text, p2[1])[1])
    item = text[start:o]
    item = re.sub(r"^[\s,，/·]*(?:및\s+)?", "", item)
    label = label_of(item)
    if label and len(label.group("label")) <= 10 and label.group("value").strip():
        item = label.group("value")
    if glued:
        words = item.split()[-3:]
        if words:
            words[-1] = _VERB_ENDING.sub("", words[-1]) or words[-1]
        item = " ".join(words)
    return item


def _paren_words(text: str, sp: DateSpan, spans: list[DateSpan], paren: tuple[int, int]) -> tuple[list[str], str]:
    """What the parenthesis says beside the date: the counts before it ('202명') and the
    word after it ('응모'), other dates left out."""
    o, c = paren
    inside = text[o + 1 : c]
    in_spans = [(s_.pos - o - 1, s_.endpos - o - 1) for s_ in spans if o < s_.pos and s_.endpos <= c]
    own = (sp.pos - o - 1, sp.endpos - o - 1)
    prefix = without(inside[: own[0]], [(a, b) for a, b in in_spans if b <= own[0]])
    suffix = re.split(r"[/,，]", inside[own[1] :], maxsplit=1)[0]
    suffix = without(suffix, [(a - own[1], b - own[1]) for a, b in in_spans if a >= own[1]]).strip(" ()~")
    prefix_parts = [p.strip() for p in re.split(r"[/,，]", prefix) if p.strip()]
    return [p for p in prefix_parts if re.search(r"\d", p)], suffix


def _shorten(title: str) -> str:
    """A long title keeps what follows its purpose clause ('… 논의를 위한 「U20 시장회의」
    참석' → '「U20 시장회의」 참석') when that is still a phrase of its own."""
    if len(title.replace(" ", "")) <= 24:
        return title
    cuts = list(_PURPOSE_CLAUSE.finditer(title))
    if cuts:
        rest = title[cuts[-1].end() :].strip()
        if len(rest.replace(" ", "")) >= 10:
            return rest
    return title


def item_title(text: str, sp: DateSpan, spans: list[DateSpan], ctx: Context) -> str | None:
    """The item's text without its date; None when the date names a season, not an item."""
    paren = _paren_around(text, sp.pos, sp.endpos)
    if paren is not None and _SEASON.search(clean_title(text[max(0, paren[0] - _PAREN_REACH) : paren[0]])):
        return None
    title = _shorten(_raw_title(text, sp, spans, ctx, paren))
    return title if _HAS_WORD.search(title) else ctx.program_title


def _raw_title(text: str, sp: DateSpan, spans: list[DateSpan], ctx: Context, paren: tuple[int, int] | None) -> str:
    if paren is not None:
        return _title_by_paren(text, sp, spans, ctx, paren)
    m = label_of(text)
    if m and m.start("value") <= sp.pos:
        return _title_by_label(m, ctx)
    if (ctx.name_cell or ctx.other_cells) and not without(text, [(s.pos, s.endpos) for s in spans]).strip(" -·()~"):
        return _title_by_cells(ctx)  # a cell that holds only dates
    return _title_by_head(text, sp, spans, ctx)


def _title_by_paren(text: str, sp: DateSpan, spans: list[DateSpan], ctx: Context, paren: tuple[int, int]) -> str:
    title, label_desc = _paren_title(text, sp, spans, paren)
    if _FREQUENCY.match(title) and ctx.parent:
        return f"{clean_title(ctx.parent)} ({title})"  # '연 1회('21. 하)' belongs to its parent item
    if label_desc and len(title.replace(" ", "")) <= 5 and ctx.heading:
        title = f"{clean_title(ctx.heading)} {title}"
    return title or ctx.program_title


def _title_by_label(m: re.Match[str], ctx: Context) -> str:
    """'… 세부계획 수립 : '21. 8~9월' → the label is the item; '일 시 : …' → the item above."""
    label = clean_title(m.group("label"))
    if _GENERIC_LABEL.match(label.replace(" ", "")):
        if ctx.parent:
            return clean_title(ctx.parent)
        core = re.split(r"[/·]", label, maxsplit=1)[0].strip()
        return f"{ctx.program_title} {core}"
    if label and len(label.replace(" ", "")) <= _SHORT_LABEL:
        # '- 개막식 : 9. 8.' names a part of the item above it (or of the program)
        return f"{ctx.outer or clean_title(ctx.program_title)} {label}"
    return label or ctx.program_title


def _title_by_cells(ctx: Context) -> str:
    """The row's own name column ('행 사 명', without its '▶ …' remark), else its longest
    other cell (with the program's title when that is a word or two)."""
    if ctx.name_cell:
        return clean_title(re.split(r"[▶※]", ctx.name_cell, maxsplit=1)[0])
    best = max(ctx.other_cells, key=len)
    best = re.split(r"[▶※]", best, maxsplit=1)[0]
    best = clean_title(best)
    if len(best.replace(" ", "")) <= 6:
        return f"{ctx.program_title} {best}"
    return best


def _title_by_head(text: str, sp: DateSpan, spans: list[DateSpan], ctx: Context) -> str:
    """The line's head names the item, with the words after the date up to the next one;
    past _TITLE_REACH it is no title (and reading the whole head again for each of 1,800
    dates on one line made the line quadratic)."""
    before = clean_title(text[: min(sp.pos, _TITLE_REACH)])
    nxt = bisect.bisect_left(spans, sp.endpos, key=lambda s: s.pos)  # spans run left to right
    after_text = text[sp.endpos : spans[nxt].pos] if nxt < len(spans) else text[sp.endpos : sp.endpos + _TITLE_REACH]
    after = clean_title(after_text)
    if not _HAS_WORD.search(after):
        after = ""
    if not after:
        return before or ctx.program_title
    if len(before.replace(" ", "")) <= 20:
        return f"{before} {after}".strip()
    return after


# --- the item a line belongs to ----------------------------------------------------------


def _is_label_line(t: str) -> bool:
    m = label_of(strip_bullets(t))
    return m is not None and len(m.group("label").replace(" ", "")) <= 10


def _parent(lines: Lines, n: int, lo: int) -> str | None:
    """The item a line like '- 일 시 : …' belongs to: the nearest line above it (inside
    the same section) that is not itself a 'label : value' line or a footnote, and is an
    outer or same-level bullet, or an unbulleted heading line."""
    level = lines.bullet(n)[1]
    for k in range(n - 1, lo, -1):
        t = lines.text[k]
        if not t or lines.is_table(k):
            continue
        body = strip_bullets(t)
        if _NOTE_START.match(t) or _NOTE_START.match(body) or _is_label_line(t):
            continue
        glyph, lv = lines.bullet(k)
        if glyph is None or lv <= level:
            return body
    return None


_SHORT_LABEL = 3  # '개막식', '착공' alone do not say what opens or starts
_OUTER_REACH = 15
_TRAILING_VERB = re.compile(r"\s+(?:개최|추진|운영|실시|시행)$")


def _outer_item(lines: Lines, n: int, lo: int) -> str | None:
    """The name of the item a sub-bullet belongs to: the nearest line above with an outer
    bullet ('○ 「…축전」 개최 : 9. 3. ~ 10. 20.' above '- 개막식 : 9. 5.'), its label
    when it has one, its trailing verb dropped; None for a top-level item."""
    level = lines.bullet(n)[1]
    for k in range(n - 1, max(lo, n - _OUTER_REACH), -1):
        t = lines.text[k]
        if not t or lines.is_table(k):
            continue
        if lines.kind(k) is not None:
            return None
        glyph, lv = lines.bullet(k)
        if glyph is None or lv >= level:
            continue
        body = strip_bullets(t)
        m = label_of(body)
        name = m.group("label") if m else without(body, [(d.pos, d.endpos) for d in find_dates(body, ANY_YEAR)])
        name = _TRAILING_VERB.sub("", clean_title(name))
        return name or None
    return None


_SUB_HEADING = re.compile(r"^(?:[①-⑳]|\d{1,2}(?:\s|\.\s|\]))\s*\S")


def _sub_heading(lines: Lines, n: int, lo: int) -> str | None:
    for k in range(n - 1, lo - 1, -1):
        t = lines.text[k]
        if t and _SUB_HEADING.match(t) and not lines.is_table(k):
            return re.sub(r"^(?:[①-⑳]|\d{1,2}\.?\]?)\s*", "", t)
    return None
