"""Numbered 주요업무 sections into ``Program`` records.

A group of programs is announced by a list (① … ⑤, or '1.' '2.' …) and followed by
the bodies. A body normally starts with its number and title ('1' then the title on the
next line, '4 「…」 개최', '1. …'), then a one-sentence purpose line and □ sections
(사업개요, 추진실적, 향후계획 …). Conversions lose things: a body may have no heading at
all (it starts with the purpose line right after the previous body's 향후계획), and
sub-items inside a body are numbered like programs ('1 공무원 직접수행 학술용역 운영').
So the announced list is the reference: each item is matched to a heading in order, and
items without a heading are placed at the purpose lines left over between them.

The structural helpers here (line tidying, bullet levels, section headings) are shared
with the milestone reader, which walks the same bodies.
"""

from __future__ import annotations

import bisect
import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from bot.ingest.text import Document, squeeze, strip_markdown
from bot.ingest.units import looks_like_unit
from bot.models import BudgetLine, Department, Program, Source

# --- line tidying ----------------------------------------------------------------------

_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]{0,400}?>")
_ESCAPED = re.compile(r"\\([*_#\[\]()<>|-])")


_PLAIN = re.compile(r"[<&\\#*\s\-=_·]")
_SPACES = re.compile(r"\s+")
_RULE_CHARS = "-=_*#· "
_NUMBERED_GLYPH = re.compile(r"\d{1,2}\)|[가-하]\.|\(\d{1,2}\)")
_COLON = re.compile(r"\s*[:：]\s*")
_DRAFT_MARK = re.compile(r"\((?:안|案)\)$")
_DIGIT = re.compile(r"\d")
_TITLE_NOISE = re.compile(r"[\s「」『』\"'‘’“”·ㆍ・*()\[\]<>〈〉【】,.:-]")
_TWO_LETTERS = re.compile(r"[가-힣A-Za-z]{2}")
_BRACKETED = re.compile(r"^[<〈].*[>〉]$")
_NOT_WORD = re.compile(r"[^가-힣A-Za-z0-9]")
_NOT_WORDS = re.compile(r"[^가-힣A-Za-z0-9]+")


def tidy(raw: str) -> str:
    """One display line: no HTML tags, no markdown, single spaces. Unlike
    ``text.clean`` it keeps circled numbers (①), which NFKC would turn into digits."""
    s = raw.strip()
    if not _PLAIN.search(s):
        return s
    if "<" in s:
        s = _ANY_TAG.sub(" ", s)
    if "&" in s:
        s = html.unescape(s)
    if "\\" in s:
        s = _ESCAPED.sub(r"\1", s)
    if "#" in s or "*" in s:
        s = strip_markdown(s).replace("**", "")
    s = squeeze(s)
    if s and not s.strip(_RULE_CHARS):  # a rule line: only '-', '=', '_', '*', '#', '·
        return ""
    return s


def cells(raw: str) -> list[str]:
    """The tidied non-empty cells of a tab-separated table line."""
    return [c for c in (tidy(x) for x in raw.split("\t")) if c]


# --- bullets and levels ----------------------------------------------------------------

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_BULLET = re.compile(
    r"^(?P<glyph>[□■◇◆▣○●◎◦]|[" + CIRCLED + r"]|[-–－‐·ㆍ•▶►▷▸※*✓✔⇒⇨→]|\d{1,2}\)|[가-하]\.|\(\d{1,2}\))\s*"
)
_GLYPH_RANK = {
    "□": 0, "■": 0, "◇": 0, "◆": 0, "▣": 0,
    "○": 1, "●": 1, "◎": 1, "◦": 1,
    "-": 2, "–": 3, "－": 3, "‐": 3, "•": 3,
    "·": 4, "ㆍ": 4, "▶": 5, "►": 5, "▷": 5, "▸": 5,
}


def bullet_of(raw: str) -> tuple[str | None, int]:
    """The leading bullet glyph of a raw line (or None) and a nesting level in which a
    smaller number is an outer item: '○' < '-' < ' - ' (indented) < '·' < '▶'."""
    s = strip_markdown(raw.replace("**", ""))
    indent = len(s) - len(s.lstrip(" \u3000\t"))
    t = s.lstrip(" \u3000\t")
    glyphs: list[str] = []
    for _ in range(3):  # '- ▶ …', '- ① …', '- － …'
        m = _BULLET.match(t)
        if not m:
            break
        glyphs.append(m.group("glyph"))
        t = t[m.end():]
    if not glyphs:
        return None, 100 + indent
    g = glyphs[-1] if glyphs[0] in "-" and len(glyphs) > 1 and glyphs[-1] in _GLYPH_RANK else glyphs[0]
    if g in CIRCLED or _NUMBERED_GLYPH.fullmatch(g):
        rank = 1
    else:
        rank = _GLYPH_RANK.get(g, 6)
    return g, rank * 10 + min(indent, 9)


def strip_bullets(text: str) -> str:
    """Text without its leading bullet glyphs ('- ▶ ', '○ ', '① ')."""
    t = text.strip()
    for _ in range(3):
        m = _BULLET.match(t)
        if not m:
            break
        t = t[m.end():]
    return t.strip()


# --- section headings ------------------------------------------------------------------

PLAN, DONE, INFO = "plan", "done", "info"

_YEAR_PREFIX = re.compile(r"^(?:['’‘]?\d{2,4}\s*년\s*(?:도)?|['’‘]\d{2}\.?)\s*")
_PLAN_END = ("계획", "일정", "행사개요", "개최개요", "행사구성", "향후과제", "추진방안")
_DONE_END = ("실적", "성과", "추진현황", "추진경과", "추진상황", "그간추진사항")
_INFO_END = (
    "개요", "방향", "추진내용", "주요내용", "현황", "배경", "의의", "문제점", "필요성", "목적", "추진체계",
    "기대효과", "근거", "추진전략",
)


def heading_kind(raw: str) -> str | None:
    """See :func:`heading_kind_of` (this one tidies a raw line first)."""
    return heading_kind_of(tidy(raw))


def _squash(t: str) -> str:
    return _SPACES.sub("", t)


@lru_cache(maxsize=8192)
def heading_kind_of(t: str) -> str | None:
    """PLAN / DONE / INFO when the line is a section heading inside a program body
    ('□ 향후계획', "□ '21년 추진실적", ' 행사개요(안)', '### 추진방향', '- 추진계획'), else None.
    Headings are short; a '□' glyph is a strong sign, an unmarked line must be a bare
    section name. ``t`` is a tidied line."""
    if not t:
        return None
    boxed = t[0] in "□■◇◆▣"
    bulleted = False
    if boxed:
        t = t[1:].strip()
    elif t[0] in "-–○·▶※*<〈【(「[":
        if t[0] not in "-○":
            return None
        bulleted = True
        t = t[1:].strip()
    parts = _COLON.split(t, maxsplit=1)
    head = parts[0]
    if bulleted and len(parts) > 1 and parts[1].strip():
        return None  # '- 현황 : …' is an item with a label, not a heading
    h = _squash(_YEAR_PREFIX.sub("", head))
    h = _DRAFT_MARK.sub("", h).rstrip(".")
    if not h or len(h) > (24 if boxed else 14):
        return None
    if bulleted and len(h) > 6:
        return None
    if any(h.endswith(k) for k in _DONE_END):
        return DONE
    if h.startswith("향후") or any(h.endswith(k) for k in _PLAN_END):
        return PLAN
    if any(h.endswith(k) for k in _INFO_END):
        return INFO
    return INFO if boxed and not bulleted and len(h) <= 8 and not _DIGIT.search(h) else None


# --- numbered headings and lists -----------------------------------------------------------

_ROMAN = re.compile(r"^(?P<num>[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\s*\.\s*(?P<title>\S.*)$")
_LIST_CIRCLED = re.compile(r"^(?:[-–·]\s*)?(?P<num>[" + CIRCLED + r"])\s*(?P<title>\S.*)$")
# a title may begin with the year it is about
# ('1. 2024년 서울빛축제 개최', '1. 2023 서울…') or with a counted word ('3. 1인가구 …'), not a date
_NUM_DOT = re.compile(
    r"^(?P<num>\d{1,2})\s*\.\s+(?P<title>(?:[^\d\s]|(?:19|20)\d\d(?:\s?년\s?도?)?\s+[^\d\s]"
    r"|\d{1,3}(?![월일년])[가-힣A-Za-z]).*)$"
)
# a group heading between list items: '【가람복지국】', '< 나래정책과 >'
_GROUP_HEAD = re.compile(r"^[【\[<〈《]\s*(?P<name>[^】\]>〉》]{1,20}?)\s*[】\]>〉》]$")
_NUM_ONLY = re.compile(r"^(?P<num>\d{1,2})$")
_NUM_TITLE = re.compile(r"^(?P<num>\d{1,2})\s+(?P<title>[^\d\s.:)\]~].*)$")
_AUDIT_SECTION = re.compile(r"(감\s*사|결\s*산\s*검\s*사|시\s*정\s*권\s*고|처\s*리\s*결\s*과|조\s*치\s*결\s*과)")
_BUDGET_WORDS = re.compile(r"(세\s*입|세\s*출).*(결\s*산|현\s*황)")


def _norm_title(s: str) -> str:
    return _TITLE_NOISE.sub("", s)


@lru_cache(maxsize=4096)
def title_similarity(a: str, b: str) -> float:
    return fuzz.ratio(_norm_title(a), _norm_title(b)) / 100.0


@dataclass
class Lines:
    """The document's lines, tidied once, with the facts every reader asks about."""

    doc: Document
    text: list[str] = field(default_factory=list)  # index 0 unused, 1-based like the report

    _bullets: dict[int, tuple[str | None, int]] = field(default_factory=dict)
    _table: list[bool] = field(default_factory=list)
    _sections: list[_Section] | None = None

    def __post_init__(self) -> None:
        self.text = [""] + [tidy(r) for r in self.doc.lines]
        self._table = [False] + ["\t" in r.strip("\t") for r in self.doc.lines]

    @classmethod
    def of(cls, doc: Document) -> Lines:
        """The document's Lines, tidied once and shared by the readers of one parse (the
        program and milestone readers walk the same lines)."""
        memo = doc.memo.get("lines")
        if memo is not None and memo[0] is doc.lines and memo[1] == len(doc.lines):
            return memo[2]
        lines = cls(doc)
        doc.memo["lines"] = (doc.lines, len(doc.lines), lines)
        return lines

    @property
    def count(self) -> int:
        return len(self.text) - 1

    def raw(self, n: int) -> str:
        return self.doc.lines[n - 1]

    def kind(self, n: int) -> str | None:
        """Section kind if line ``n`` is a section heading (see :func:`heading_kind_of`);
        a table row ('구 분 | 시기 | 추진 내용') never is."""
        if self.is_table(n):
            return None
        return heading_kind_of(self.text[n])

    def bullet(self, n: int) -> tuple[str | None, int]:
        b = self._bullets.get(n)
        if b is None:
            b = self._bullets[n] = bullet_of(self.raw(n))
        return b

    def is_table(self, n: int) -> bool:
        return self._table[n]

    def next_nonblank(self, n: int, limit: int | None = None) -> int | None:
        stop = self.count if limit is None else min(limit, self.count)
        for k in range(n + 1, stop + 1):
            if self.text[k]:
                return k
        return None

    def prev_nonblank(self, n: int, limit: int = 1) -> int | None:
        for k in range(n - 1, max(limit, 1) - 1, -1):
            if self.text[k]:
                return k
        return None


@dataclass
class _Section:
    """A roman-numbered part of the report (I. 일반현황, III. 주요업무 …)."""

    title: str
    start: int
    end: int
    audit: bool


def roman_sections(lines: Lines) -> list[_Section]:
    """Body parts of the report. A table of contents at the top prints the same roman
    headings one after another; a heading followed by another within three lines is
    taken as a TOC entry, not the start of a part. Found once per Lines (several readers
    ask)."""
    if lines._sections is None:
        lines._sections = _roman_sections(lines)
    return list(lines._sections)


def _roman_sections(lines: Lines) -> list[_Section]:
    heads: list[tuple[int, str]] = []
    for n in range(1, lines.count + 1):
        t = lines.text[n]
        if len(t) > 60:
            continue
        m = _ROMAN.match(t)
        if m and "\t" not in lines.raw(n):
            heads.append((n, t))
    body = []
    for i, (n, t) in enumerate(heads):
        nxt = heads[i + 1][0] if i + 1 < len(heads) else None
        if nxt is not None:
            between = sum(1 for k in range(n + 1, nxt) if lines.text[k])
            if between == 0:
                continue
        body.append((n, t))
    out = []
    for i, (n, t) in enumerate(body):
        end = body[i + 1][0] - 1 if i + 1 < len(body) else lines.count
        title = _ROMAN.match(t).group("title") if _ROMAN.match(t) else t
        out.append(_Section(title=title, start=n, end=end, audit=bool(_AUDIT_SECTION.search(title))))
    if not out:
        out.append(_Section(title="", start=1, end=lines.count, audit=False))
    elif out[0].start > 1:
        out.insert(0, _Section(title="", start=1, end=out[0].start - 1, audit=False))
    return out


@dataclass
class _List:
    items: list[tuple[int, str]]  # (line, title)
    start: int
    end: int
    kind: str  # circled | dotted


def _circled_value(ch: str) -> int:
    return CIRCLED.index(ch) + 1


def _numbered_run(
    lines: Lines, n: int, hi: int, pattern: re.Pattern[str], value: Callable[[str], int]
) -> list[tuple[int, str]]:
    """The items 1, 2, 3 … of one list starting at line ``n`` (blank lines allowed
    between; a tabbed line is a table row, not an item)."""
    items: list[tuple[int, str]] = []
    k = n
    while k <= hi:
        tk = lines.text[k]
        if not tk and items:
            k += 1
            continue
        mk = None if lines.is_table(k) else pattern.match(tk)
        if items and mk is None and _GROUP_HEAD.match(tk):
            k += 1  # '【복지정책국】' between items: the list goes on under a new group
            continue
        if not (mk and value(mk.group("num")) == len(items) + 1):
            break
        items.append((k, mk.group("title").strip()))
        k += 1
    return items


_ONE_PROGRAM_REACH = 80  # lines after a one-item list in which its body must start


def _announces_one(lines: Lines, item: tuple[int, str], hi: int) -> bool:
    """A list of one program ('1. …' alone) is an announcement when its body follows:
    the same title numbered 1 again soon after ('### 1. …')."""
    n, title = item
    for k in range(n + 1, min(hi, n + _ONE_PROGRAM_REACH) + 1):
        m = _NUM_DOT.match(lines.text[k]) or _NUM_TITLE.match(lines.text[k])
        if m and m.group("num") == "1" and title_similarity(m.group("title"), title) >= 0.85:
            return True
    return False


def item_group_units(lines: Lines, lst: _List) -> list[str | None]:
    """The unit a 【…】 group heading names for each item of a list printed under such
    headings ('【복지정책국】' above items 3 and 4); None where there is none."""
    out: list[str | None] = []
    current: str | None = None
    prev = max(1, lst.start - 4)
    for line, _title in lst.items:
        for k in range(prev, line):
            m = _GROUP_HEAD.match(lines.text[k])
            if m and "\t" not in lines.raw(k):
                name = _squash(m.group("name"))
                current = name if looks_like_unit(name) else None
        out.append(current)
        prev = line + 1
    return out


def find_lists(lines: Lines, lo: int, hi: int) -> list[_List]:
    """Announcement lists: runs of ① ② … items (blank and rule lines allowed between),
    or runs of at least two '1. ' '2. ' items numbered from one."""
    out: list[_List] = []
    n = lo
    while n <= hi:
        circled = _numbered_run(lines, n, hi, _LIST_CIRCLED, _circled_value)
        if circled:
            # a lone ① is a sub-item heading inside a body, not an announcement
            if len(circled) >= 2:
                out.append(_List(circled, n, circled[-1][0], "circled"))
            n = circled[-1][0] + 1
            continue
        dotted = _numbered_run(lines, n, hi, _NUM_DOT, int)
        if len(dotted) >= 2 or (dotted and _announces_one(lines, dotted[0], hi)):
            out.append(_List(dotted, n, dotted[-1][0], "dotted"))
            n = dotted[-1][0] + 1
            continue
        n += 1
    return out


# --- program bodies ----------------------------------------------------------------------


@dataclass
class _Start:
    item: int  # 0-based index into the list
    line: int  # first line of the body (number line or title line or purpose line)
    title_line: int
    title: str
    explicit: bool
    unit: str | None = None  # the 【…】 group heading's unit the list printed it under


def _is_plain_text(lines: Lines, n: int) -> bool:
    """An unbulleted sentence line: candidate title or purpose line."""
    t = lines.text[n]
    if not t or "\t" in lines.raw(n).strip("\t"):
        return False
    if t[0] in "□■◇◆▣○●◎-–－·ㆍ▶►※*<〈【[(「“\"'‘’⇒→✓" + CIRCLED:
        return t[0] in "「“\"'‘’" and lines.kind(n) is None
    if lines.kind(n) is not None or _ROMAN.match(t):
        return False
    return not _DIGIT.match(t)


def _candidates(lines: Lines, lo: int, hi: int) -> list[tuple[int, int | None, int, str, str]]:
    """(line, number or None, title line, title, how) for every line that could open a body."""
    out = []
    n = lo
    while n <= hi:
        t = lines.text[n]
        if not t:
            n += 1
            continue
        m = _NUM_ONLY.match(t)
        if m:
            k = lines.next_nonblank(n, hi)
            if (
                k is not None
                and k - n <= 4
                and _is_plain_text(lines, k)
                and len(lines.text[k]) <= 90
                and _TWO_LETTERS.search(lines.text[k])
            ):
                out.append((n, int(m.group("num")), k, lines.text[k], "number"))
            n += 1
            continue
        m = _NUM_TITLE.match(t) or _NUM_DOT.match(t)
        if m and "\t" not in lines.raw(n) and len(t) <= 90:
            out.append((n, int(m.group("num")), n, m.group("title").strip(), "numbered"))
        elif _is_plain_text(lines, n) and len(t) <= 90:
            out.append((n, None, n, t, "plain"))
        n += 1
    return out


def _is_purpose_line(lines: Lines, n: int, hi: int) -> bool:
    """A body's opening sentence: plain text, followed by a section heading (or a ■/□
    topic line) as the next non-blank line."""
    if not _is_plain_text(lines, n) or len(_squash(lines.text[n])) < 15:
        return False
    k = lines.next_nonblank(n, hi)
    if k is None:
        return False
    nxt = lines.text[k]
    return lines.kind(k) is not None or nxt[:1] in "□■"


def _has_body(lines: Lines, title_line: int, hi: int) -> bool:
    """A real body follows its heading: a section heading or bulleted content soon after
    (a group title repeated before its list has none)."""
    seen = 0
    for k in range(title_line + 1, min(hi, title_line + 40) + 1):
        t = lines.text[k]
        if not t:
            continue
        seen += 1
        if lines.kind(k) is not None or lines.bullet(k)[0] is not None:
            return True
        if _NUM_DOT.match(t) or _LIST_CIRCLED.match(t) or seen > 4:
            return False
    return False


def _first_heading_after(lines: Lines, n: int, hi: int) -> int:
    for k in range(n + 1, hi + 1):
        if lines.text[k] and lines.kind(k) is not None:
            return k
    return hi


def _match_item(title: str, number: int | None, how: str, items: list[str], i: int) -> int | None:
    """Which list item (index ≥ i) a candidate heading opens, if any."""
    for j in range(i, len(items)):
        sim = title_similarity(title, items[j])
        if number is not None and number == j + 1:
            if how == "number" or sim >= 0.5:
                return j
        if how != "number" and sim >= 0.85:
            return j
    return None


def _place_bodies(lines: Lines, lst: _List, lo: int, hi: int) -> list[_Start]:
    items = [t for _, t in lst.items]
    starts: list[_Start] = []
    i = 0
    for n, number, title_line, title, how in _candidates(lines, lo, hi):
        if i >= len(items):
            break
        if starts and n <= starts[-1].title_line:
            continue
        j = _match_item(title, number, how, items, i)
        if j is None or not _has_body(lines, title_line, hi):
            continue
        starts.append(_Start(j, n, title_line, title, True))
        i = j + 1
    # items without a heading: place them at purpose lines between their neighbours
    found = {s.item: s for s in starts}
    filled: list[_Start] = []
    prev_floor = lo
    j = 0
    while j < len(items):
        if j in found:
            s = found[j]
            filled.append(s)
            prev_floor = _first_heading_after(lines, s.title_line, hi)
            j += 1
            continue
        k = j
        while k < len(items) and k not in found:
            k += 1
        ceiling = found[k].line - 1 if k < len(items) else hi
        purposes = [n for n in range(prev_floor, ceiling + 1) if lines.text[n] and _is_purpose_line(lines, n, ceiling)]
        if not filled and j == 0:
            purposes = [n for n in purposes if n > lst.end]
        for idx, item in enumerate(range(j, k)):
            if idx >= len(purposes):
                break
            n = purposes[idx]
            filled.append(_Start(item, n, n, items[item], False))
        if purposes:
            prev_floor = _first_heading_after(lines, purposes[min(len(purposes), k - j) - 1], hi)
        j = k
    filled.sort(key=lambda s: s.line)
    return filled


def _group_title(lines: Lines, lst: _List, section: _Section) -> str:
    k = lines.prev_nonblank(lst.start, max(section.start, lst.start - 6))
    for _ in range(3):
        if k is None:
            break
        t = lines.text[k]
        if _NUM_DOT.match(t) or _ROMAN.match(t):
            return t
        k = lines.prev_nonblank(k, max(section.start, k - 4))
    roman = lines.text[section.start]
    return roman


def _list_region_end(lines: Lines, nxt: _List | None, section: _Section) -> int:
    if nxt is None:
        return section.end
    end = nxt.start - 1
    k = lines.prev_nonblank(nxt.start, section.start)
    if k is not None and (_NUM_DOT.match(lines.text[k]) or _ROMAN.match(lines.text[k])):
        end = k - 1
    return end


# --- parts of a body ----------------------------------------------------------------------------

_BUDGET = re.compile(
    r"(?P<label>(?:['’‘]?\d{2,4}\s*년\s*(?:도)?\s*)?(?:사\s*업\s*비|총\s*사\s*업\s*비|소\s*요\s*예\s*산|사\s*업\s*예\s*산|예\s*산|결\s*산))"
    r"\s*[:：]\s*(?P<value>.*?\d[\d,.]*\s*(?:백만원|천만원|천원|억원|만원|원).*)$"
)
_AMOUNT = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>백만원|천만원|천원|억원|만원|원)")
# a spoken amount: '8억 5천만원', '11억 2,000만원'
_SPOKEN = re.compile(r"(?P<eok>\d[\d,]*)\s*억\s+(?P<rest>\d[\d,]*)\s*(?P<unit>천만원|백만원|만원)")
_UNIT_IN_THOUSANDS = {"백만원": 1000.0, "천만원": 10000.0, "천원": 1.0, "억원": 100000.0, "만원": 10.0, "원": 0.001}
# '(구비 100%)', '(국비 25%, 시비 25%, 구비 50%)': who pays, not part of the amount
_FUNDING_SHARES = re.compile(r"\s*\(\s*(?:[가-힣·]{1,6}비\s*\d{1,3}(?:\.\d)?\s*%\s*[,，]?\s*){1,6}\)\s*$")


def budget_sentence(lines: Lines, lo: int, hi: int) -> str | None:
    """The program's budget sentence ('예 산 : 3,974백만원 (집행액 …)'); a plain
    사업비/예산 label is dropped, a label that says more ("'21년 예산", '소요예산') kept."""
    for n in range(lo, hi + 1):
        t = lines.text[n]
        if not t:
            continue
        raw = lines.raw(n)
        if "\t" in raw.strip("\t"):
            cs = cells(raw)
            if len(cs) >= 2 and _squash(strip_bullets(cs[0])) in {"사업비", "예산", "총사업비", "소요예산"}:
                vals = [c for c in cs[1:] if _AMOUNT.search(c)]
                if vals:
                    return " / ".join(vals)
            continue
        if ":" not in t and "：" not in t:
            continue  # the budget sentence is 'label : amount'
        m = _BUDGET.search(strip_bullets(t))
        if not m:
            continue
        value = m.group("value").strip()
        if value.count(")") > value.count("("):
            value = value[: value.rfind(")")].strip()
        value = _FUNDING_SHARES.sub("", value).strip()
        label = _squash(m.group("label"))
        return value if label in {"사업비", "예산"} else f"{m.group('label').strip()} : {value}"
    return None


def amount_in_thousands(text: str | None) -> tuple[float, float] | None:
    """The first amount of a budget sentence in 천원 (the budget tables' unit), with the
    rounding that printing it in its own unit allows (±0.5 백만원 for '3,974백만원')."""
    if not text:
        return None
    spoken = _SPOKEN.search(text)
    if spoken:
        unit = _UNIT_IN_THOUSANDS[spoken.group("unit")]
        eok, rest = int(spoken.group("eok").replace(",", "")), int(spoken.group("rest").replace(",", ""))
        return eok * 100000.0 + rest * unit, 0.5 * unit + 0.001
    m = _AMOUNT.search(text)
    if not m:
        return None
    try:
        unit = _UNIT_IN_THOUSANDS[m.group("unit")]
        return float(m.group("num").replace(",", "")) * unit, 0.5 * unit + 0.001
    except ValueError:
        return None


def section_map(lines: Lines, lo: int, hi: int) -> list[tuple[int, int, str, int]]:
    """(first line, last line, kind, heading line) of each section inside a body; the
    text before the first heading (purpose line) is INFO. '■' topic lines restart INFO."""
    out: list[tuple[int, int, str, int]] = []
    cur_kind, cur_start, cur_head = INFO, lo, lo
    for n in range(lo, hi + 1):
        t = lines.text[n]
        if not t:
            continue
        kind = lines.kind(n)
        topic = kind is None and t.startswith("■")
        if kind is not None or topic:
            if n > cur_start:
                out.append((cur_start, n - 1, cur_kind, cur_head))
            cur_kind, cur_start, cur_head = (kind or INFO), n, n
    out.append((cur_start, hi, cur_kind, cur_head))
    return out


def _section_lines(lines: Lines, sections, kind: str, limit: int = 12) -> list[str]:
    """Top-level lines of the sections of one kind (the outermost bullet level used)."""
    out: list[str] = []
    for a, b, k, head in sections:
        if k != kind:
            continue
        body = [n for n in range(a, b + 1) if n != head and lines.text[n]]
        body = [n for n in body if not _BRACKETED.match(lines.text[n])]
        if not body:
            continue
        top = min(lines.bullet(n)[1] for n in body)
        for n in body:
            if lines.bullet(n)[1] == top:
                raw = lines.raw(n)
                t = " · ".join(cells(raw)) if "\t" in raw.strip("\t") else strip_bullets(lines.text[n])
                if t:
                    out.append(t)
            if len(out) >= limit:
                return out
    return out


def _overview(lines: Lines, sections, purpose: str | None) -> str | None:
    """The 사업개요 (or 추진개요, 운영개요 …) text; the purpose line when there is none."""
    for a, b, k, head in sections:
        if k != INFO or head != a or "개요" not in _squash(lines.text[head]):
            continue
        parts = []
        for n in range(a + 1, b + 1):
            if not lines.text[n]:
                continue
            t = " · ".join(cells(lines.raw(n))) if lines.is_table(n) else strip_bullets(lines.text[n])
            if t:
                parts.append(t)
        if parts:
            return " / ".join(parts)[:1200]
    return purpose


# --- who owns a program -----------------------------------------------------------------------------


_DEPT_SUFFIX = re.compile(r"(담당관|기획관|과|실|국|본부|단|팀)$")
_STOP_TOKENS = frozenset(
    "및 위한 통한 강화 추진 활성화 제고 운영 등 관련 업무 총괄 사항 관한 서울시 서울 시정 지원 구현 확대".split()
)


def _bigrams(s: str) -> list[str]:
    t = _NOT_WORD.sub("", s)
    return [t[i : i + 2] for i in range(len(t) - 1)]


def _tokens(s: str) -> list[str]:
    s = s.replace("·", "").replace("ㆍ", "")
    return [t for t in _NOT_WORDS.split(s) if len(t) >= 2 and t not in _STOP_TOKENS]


def _dept_core(name: str) -> str:
    return _DEPT_SUFFIX.sub("", name)


def _dept_text(d: Department) -> str:
    return " ".join([_dept_core(d.name), *d.teams, *d.functions.values()])


@dataclass
class _ProgramText:
    """The parts of a body the owner is guessed from, by weight: title, purpose line,
    the INFO sections (개요, 방향, 추진내용) and the rest."""

    title: str
    purpose: str
    info: str
    rest: str
    budget_text: str | None

    @property
    def body(self) -> str:
        return " ".join((self.purpose, self.info, self.rest))


FUNCTION_WEIGHTS = (3.0, 3.0, 1.0, 0.5)  # title, purpose line, 개요/방향 sections, the rest
TITLE_WORD_WEIGHT = 0.7


def _budget_column(b: BudgetLine) -> float | None:
    """The row's budget figure: the 예산현액/예산 column, else its first figure."""
    numeric = [(k, v) for k, v in b.values.items() if isinstance(v, (int, float)) and "률" not in k and "수" not in k]
    for k, v in numeric:
        if "현액" in k:
            return float(v)
    for k, v in numeric:
        if "예산" in k:
            return float(v)
    return float(numeric[0][1]) if numeric else None


def _program_level(budget_lines: list[BudgetLine]) -> str:
    """The level whose rows are programs: 'unit' rows (단위사업), or in a table of only
    departments and their rows, the 'policy' rows under each department."""
    return "unit" if any(b.level == "unit" for b in budget_lines) else "policy"


_TITLE_MARKS = re.compile(r"[「」『』()'‘’]")
_ROW_NOISE = re.compile(r"\(.*?\)|운영|관리|제공|추진|지원|활성화|사업|및")
_QUOTED = re.compile(r"['‘「](.{2,20}?)['’」]")


class _DeptEvidence:
    """What owner scoring reads from the departments (the same for every volume of one
    report): words, bigrams, marks, and each title word's likeness to them once seen."""

    def __init__(self, departments: list[Department]) -> None:
        self.departments = departments
        described = [d for d in departments if d.functions or d.teams]
        # 주요기능 text only speaks when the report gives it for most departments
        self.use_functions = bool(described) and len(described) * 2 >= len(departments)
        # title words: each department's words, and each word's best likeness per title token
        self.words = {d.name: _tokens(_dept_text(d)) for d in departments}
        self.unique_words = list(dict.fromkeys(u for us in self.words.values() for u in us))
        self.title_log = math.log(1 + len(departments)) if departments else 0.0
        self.token_hits: dict[str, tuple[dict[str, float], list[str]]] = {}
        self.cores = [(d.name, core) for d in departments if len(core := _dept_core(d.name)) >= 2]
        # function bigrams: the department's own name is left out (a renamed department
        # must not change owners)
        grams = {d.name: set(_bigrams(" ".join([*d.teams, *d.functions.values()]))) for d in departments}
        df: dict[str, int] = {}
        for gs in grams.values():
            for g in gs:
                df[g] = df.get(g, 0) + 1
        total = len(grams)
        self.gram_weights = [
            (name, [(g, math.log(total / df[g])) for g in gs], math.sqrt(len(gs) or 1)) for name, gs in grams.items()
        ]
        # units a body may name: a team ('응답소' of 응답소팀) or a quoted service of 주요기능
        self.marks: list[tuple[str, list[str]]] = []
        for d in departments:
            marks = [_squash(t)[:-1] for t in d.teams if _squash(t).endswith("팀")]
            for text in d.functions.values():
                marks += [_squash(q) for q in _QUOTED.findall(text)]
            self.marks.append((d.name, [m for m in marks if len(m) >= 3]))


class _Evidence:
    """What owner scoring reads from one volume's departments and budget rows, prepared
    once for all its programs (preparing it per program made a compiled volume of many
    offices' reports cubic). Every score is the same arithmetic as reading the tables
    afresh for each program."""

    def __init__(
        self, departments: list[Department], budget_lines: list[BudgetLine], depts: _DeptEvidence | None = None
    ) -> None:
        d = depts if depts is not None and depts.departments is departments else _DeptEvidence(departments)
        self.departments = departments
        known = {dep.name for dep in departments}
        self.names = [dep.name for dep in departments] + sorted({b.dept for b in budget_lines if b.dept} - known)
        self.use_functions, self.words, self.unique_words = d.use_functions, d.words, d.unique_words
        self.title_log, self._token_hits, self.cores = d.title_log, d.token_hits, d.cores
        self.gram_weights, self.marks = d.gram_weights, d.marks
        # budget rows at the level whose rows are programs
        level = _program_level(budget_lines)
        self.rows: list[tuple[str, float | None, str, str, str]] = []
        for b in budget_lines:
            if not b.dept or b.level != level:
                continue
            figure = _budget_column(b)
            scaled = figure * _UNIT_IN_THOUSANDS.get(b.unit, 1.0) if figure is not None and figure > 0 else None
            core = _squash(_ROW_NOISE.sub(" ", b.name))
            self.rows.append((b.dept, scaled, _norm_title(b.name), core if len(core) >= 4 else "", _squash(b.name)))

    def scores(self, p: _ProgramText, body: str, budget: dict[str, float]) -> dict[str, float]:
        """Each candidate owner's score; ``body`` is the squashed body, ``budget`` the
        program's :meth:`budget_scores`."""
        score = dict.fromkeys(self.names, 0.0)
        parts = [budget, self.title_scores(p)]
        if self.use_functions:
            parts.append(self.function_scores(p))
        for part in parts:
            for name, v in part.items():
                score[name] = score.get(name, 0.0) + v
        return score

    def function_scores(self, p: _ProgramText) -> dict[str, float]:
        """TF-IDF overlap of character bigrams between the program and each department's
        teams and 주요기능, scaled so the best department scores 2."""
        prog: dict[str, float] = {}
        for text, weight in zip((p.title, p.purpose, p.info, p.rest), FUNCTION_WEIGHTS):
            counts: dict[str, int] = {}
            for g in _bigrams(text):
                counts[g] = counts.get(g, 0) + 1
            for g, c in counts.items():
                prog[g] = prog.get(g, 0.0) + weight * math.log1p(c)
        raw = {name: sum(prog[g] * idf for g, idf in pairs if g in prog) / norm for name, pairs, norm in self.gram_weights}
        best = max(raw.values(), default=0.0)
        return {name: (2.0 * v / best if best > 0 else 0.0) for name, v in raw.items()}

    def _hits(self, token: str) -> tuple[dict[str, float], list[str]]:
        hit = self._token_hits.get(token)
        if hit is None:
            ratio = {u: fuzz.ratio(token, u) / 100.0 for u in self.unique_words}
            best = {name: max((ratio[u] for u in us), default=0.0) for name, us in self.words.items()}
            hit = self._token_hits[token] = (best, [name for name, v in best.items() if v >= 0.75])
        return hit

    def title_scores(self, p: _ProgramText) -> dict[str, float]:
        """Title words that a department's 주요기능 words resemble ('투자기관' ~ '투자·출연기관'),
        weighted by how few departments share them; and the department's own name in the
        title ('합동평가' for 평가담당관)."""
        out = dict.fromkeys((d.name for d in self.departments), 0.0)
        if not self.departments:
            return out
        total = len(self.departments)
        for t in _tokens(p.title):
            best, hits = self._hits(t)
            for name in hits:
                out[name] += TITLE_WORD_WEIGHT * best[name] * math.log(1 + total / len(hits)) / self.title_log
        title = _squash(p.title)
        for name, core in self.cores:
            if core in title:
                out[name] += 0.5
        return out

    def budget_scores(self, p: _ProgramText, body: str) -> dict[str, float]:
        """Evidence from the budget tables: a unit row with the program's budget amount, a
        unit row named like the program, unit rows whose names the program's text repeats."""
        out: dict[str, float] = {}
        amount = amount_in_thousands(p.budget_text)
        title_words = [t for t in _tokens(_TITLE_MARKS.sub(" ", p.title)) if len(t) >= 4]
        title = _norm_title(p.title)
        for dept, scaled, name, core, row in self.rows:
            if amount is not None and scaled is not None:
                value, tolerance = amount
                if abs(scaled - value) <= tolerance:
                    out[dept] = out.get(dept, 0.0) + 3.0
            sim = fuzz.ratio(title, name) / 100.0
            if sim >= 0.6:
                out[dept] = out.get(dept, 0.0) + 2.0 * sim
            if core and core in body:
                out[dept] = out.get(dept, 0.0) + 1.0
            if any(t in row for t in title_words):
                out[dept] = out.get(dept, 0.0) + 1.0
        return out

    def units_named(self, body: str) -> set[str]:
        """Departments whose own units the body names: a team ('응답소' of 응답소팀,
        '홈페이지' of 홈페이지 팀) or a quoted service in their 주요기능 ("'내 손안에 서울'")."""
        return {name for name, marks in self.marks if any(m in body for m in marks)}


def dept_scores(p: _ProgramText, departments: list[Department], budget_lines: list[BudgetLine]) -> dict[str, float]:
    ev = _Evidence(departments, budget_lines)
    body = _squash(p.body)
    return ev.scores(p, body, ev.budget_scores(p, body))


SKIP_PENALTY = 0.6  # per department skipped between consecutive programs of a group
BACK_PENALTY = 2.0  # for going back up the department table
STAY_BONUS = 0.1  # neighbours in a group usually share a department
_VECTOR_FROM = 40  # candidate owners from which the path search runs on arrays


def assign_depts(
    texts: list[_ProgramText],
    groups: list[str],
    departments: list[Department],
    budget_lines: list[BudgetLine],
    depts: _DeptEvidence | None = None,
) -> list[str | None]:
    """Owner of each program. Reports list a group's programs department by department,
    in the order of the 인력/주요기능 tables, so within a group the choice is the
    best-scoring sequence that moves down the table (a soft rule: strong budget evidence
    overrides it). A program whose body names units of several departments and has no
    budget row of its own is left without an owner."""
    if not departments and not any(b.dept for b in budget_lines):
        return [None] * len(texts)
    ev = _Evidence(departments, budget_lines, depts)
    bodies = [_squash(t.body) for t in texts]
    budget = [ev.budget_scores(t, body) for t, body in zip(texts, bodies)]
    scores = [ev.scores(t, body, b) for t, body, b in zip(texts, bodies, budget)]
    names = list(scores[0]) if scores else []
    shared = [
        len(ev.units_named(body)) >= 2 and max(b.values(), default=0.0) < 2.0 for body, b in zip(bodies, budget)
    ]
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        members = by_group.setdefault(g, [])
        if not shared[i]:
            members.append(i)
    out: list[str | None] = [None] * len(texts)
    penalty: list[list[float]] | None = None
    for idx in by_group.values():
        if not any(max(scores[i].values(), default=0.0) > 0 for i in idx):
            continue
        if penalty is None:
            penalty = _penalties(len(names))
        rows = [[scores[i][n] for n in names] for i in idx]
        path = (_best_path_arrays if len(names) >= _VECTOR_FROM else _best_path)(rows, penalty)
        for i, j in zip(idx, path):
            out[i] = names[j]
    return out


def _penalties(count: int) -> list[list[float]]:
    """penalty[a][b]: the cost of moving from the department at table position a to b."""
    out = []
    for a in range(count):
        row = []
        for b in range(count):
            step = b - a
            row.append(BACK_PENALTY if step < 0 else SKIP_PENALTY * max(0, step - 1) - STAY_BONUS * (step == 0))
        out.append(row)
    return out


def _best_path(rows: list[list[float]], penalty: list[list[float]]) -> list[int]:
    """The best-scoring sequence of department positions, one per row of scores (Viterbi
    with back-pointers; ties go to the earlier department, as a left-to-right ``max``)."""
    count = len(rows[0])
    total = list(rows[0])
    back: list[list[int]] = []
    for row in rows[1:]:
        new_total: list[float] = []
        pointers: list[int] = []
        for b in range(count):
            s = row[b]
            best_v = total[0] - penalty[0][b] + s
            best_a = 0
            for a in range(1, count):
                v = total[a] - penalty[a][b] + s
                if v > best_v:
                    best_v, best_a = v, a
            new_total.append(best_v)
            pointers.append(best_a)
        total = new_total
        back.append(pointers)
    return _trace(total, back)


def _best_path_arrays(rows: list[list[float]], penalty: list[list[float]]) -> list[int]:
    """:func:`_best_path` on arrays, for volumes with many departments: the same sums in
    the same order (so the same floats), and argmax keeps the first of equal maxima."""
    import numpy as np  # only a volume with many departments pays for the import

    if not all(math.isfinite(v) for row in rows for v in row):
        return _best_path(rows, penalty)
    pen = np.array(penalty, dtype=np.float64)
    total = np.array(rows[0], dtype=np.float64)
    cols = np.arange(len(rows[0]))
    back: list[list[int]] = []
    for row in rows[1:]:
        cand = (total[:, None] - pen) + np.array(row, dtype=np.float64)[None, :]
        pointers = cand.argmax(axis=0)
        total = cand[pointers, cols]
        back.append(pointers.tolist())
    return _trace(total.tolist(), back)


def _trace(total: list[float], back: list[list[int]]) -> list[int]:
    end = 0
    for b in range(1, len(total)):
        if total[b] > total[end]:
            end = b
    path = [end]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    path.reverse()
    return path


# --- the reader ------------------------------------------------------------------------------------------


@dataclass
class ProgramBody:
    """Where a program sits, for readers that walk its lines again (milestones)."""

    program: Program
    start: int
    end: int
    sections: list[tuple[int, int, str, int]]


def find_program_bodies(doc: Document, lines: Lines | None = None) -> list[tuple[_Section, str, str, _Start, int]]:
    """(part, group title, number, start, end line) for every program body found."""
    lines = lines or Lines.of(doc)
    found = []
    for sec in roman_sections(lines):
        if sec.audit or _BUDGET_WORDS.search(sec.title):
            continue
        lists = find_lists(lines, sec.start + 1, sec.end)
        for li, lst in enumerate(lists):
            nxt = lists[li + 1] if li + 1 < len(lists) else None
            hi = _list_region_end(lines, nxt, sec)
            lo = lst.end + 1
            if hi < lo:
                continue
            starts = _place_bodies(lines, lst, lo, hi)
            if not starts:
                continue
            group = _group_title(lines, lst, sec)
            units = item_group_units(lines, lst)
            for si, s in enumerate(starts):
                end = starts[si + 1].line - 1 if si + 1 < len(starts) else hi
                while end > s.line and not lines.text[end]:
                    end -= 1
                s.unit = units[s.item] if s.item < len(units) else None
                found.append((sec, group, str(s.item + 1), s, end))
    return found


def parse_programs(doc: Document, departments: list[Department], budget_lines: list[BudgetLine]) -> list[Program]:
    return [b.program for b in program_bodies(doc, departments, budget_lines)]


def program_bodies(
    doc: Document, departments: list[Department], budget_lines: list[BudgetLine]
) -> list[ProgramBody]:
    lines = Lines.of(doc)
    out: list[ProgramBody] = []
    texts: list[_ProgramText] = []
    groups: list[str] = []
    units: list[str | None] = []
    for sec, group, number, s, end in find_program_bodies(doc, lines):
        first = s.title_line + 1 if s.explicit else s.line
        sections = section_map(lines, first, end)
        purpose_n = s.line if not s.explicit else lines.next_nonblank(s.title_line, end)
        purpose = None
        if purpose_n is not None and _is_plain_text(lines, purpose_n):
            purpose = lines.text[purpose_n]
        budget = budget_sentence(lines, first, end)
        overview = _overview(lines, sections, purpose)
        title = s.title.strip()
        info, rest = [], []
        for a, b, kind, _head in sections:
            for n in range(a, b + 1):
                if lines.text[n] and n != purpose_n:
                    (info if kind == INFO else rest).append(lines.text[n])
        texts.append(_ProgramText(title, purpose or "", " ".join(info), " ".join(rest), budget))
        groups.append(f"{sec.start}:{group}")
        program = Program(
            title=title,
            dept=None,
            group=group,
            number=number,
            overview=overview,
            budget_text=budget,
            achievements=_section_lines(lines, sections, DONE),
            plans=_section_lines(lines, sections, PLAN),
            line=s.title_line,
            end_line=end,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=s.title_line),
        )
        out.append(ProgramBody(program, s.line, end, sections))
        units.append(s.unit)
    owners: list[str | None] = [None] * len(out)
    spans = volumes(lines)
    firsts = [lo for lo, _hi in spans]
    last = spans[-1][1]

    def volume_of(line: int) -> int | None:
        return bisect.bisect_right(firsts, line) - 1 if 1 <= line <= last else None

    members: dict[int, list[int]] = {}
    for i, b in enumerate(out):
        v = volume_of(b.program.line)
        if v is not None:
            members.setdefault(v, []).append(i)
    rows_of: dict[int, list[BudgetLine]] = {}
    for row in budget_lines:
        v = volume_of(row.source.line or 0)
        if v is not None:
            rows_of.setdefault(v, []).append(row)
    depts = _DeptEvidence(departments) if members else None
    for v in sorted(members):
        idx = members[v]
        rows = rows_of.get(v, [])
        chosen = assign_depts([texts[i] for i in idx], [groups[i] for i in idx], departments, rows, depts)
        for i, dept in zip(idx, chosen):
            owners[i] = dept
    for body, dept, unit in zip(out, owners, units):
        body.program.dept = unit or dept  # a 【국】 heading the list printed it under says whose it is
    return out


_ROMAN_VALUE = {"I": 1, "Ⅰ": 1, "II": 2, "Ⅱ": 2, "III": 3, "Ⅲ": 3, "IV": 4, "Ⅳ": 4, "V": 5, "Ⅴ": 5}


def volumes(lines: Lines) -> list[tuple[int, int]]:
    """(first, last line) of each report in a compiled volume: the roman numbering of the
    parts starting again at Ⅰ begins another office's report, whose programs are owned by
    its own tables' departments. A single report is one volume (and owner evidence stays
    linear in the size of a volume of many reports)."""
    starts = [1]
    previous = 0
    for sec in roman_sections(lines):
        m = _ROMAN.match(lines.text[sec.start]) if sec.title else None
        value = _ROMAN_VALUE.get(m.group("num"), 6) if m else 0
        if value == 1 and previous > 1:
            starts.append(sec.start)
        if value:
            previous = value
    ends = [n - 1 for n in starts[1:]] + [lines.count]
    return list(zip(starts, ends))
