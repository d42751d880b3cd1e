"""The report's lines as every structural reader sees them.

Each raw line tidied once (no HTML or markdown, single spaces, circled numbers kept),
its bullet glyph and nesting level, whether it is a section heading inside a program
body (향후계획, 추진실적, 개요 …) and which kind, the roman-numbered parts of the report
(I. 일반현황, III. 주요업무 …) and the volumes of a compiled book. The program, owner
and milestone readers all walk this one structure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from bot.ingest.text import Document, squeeze, strip_markdown

# --- line tidying ----------------------------------------------------------------------

_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]{0,400}?>")
_ESCAPED = re.compile(r"\\([*_#\[\]()<>|-])")


_PLAIN = re.compile(r"[<&\\#*\s\-=_·]")
_RULE_CHARS = "-=_*#· "
_NUMBERED_GLYPH = re.compile(r"\d{1,2}\)|[가-하]\.|\(\d{1,2}\)")
_COLON = re.compile(r"\s*[:：]\s*")
_DRAFT_MARK = re.compile(r"\((?:안|案)\)$")
_DIGIT = re.compile(r"\d")
_TITLE_NOISE = re.compile(r"[\s「」『』\"'‘’“”·ㆍ・*()\[\]<>〈〉【】,.:-]")


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


def squash_spaces(t: str) -> str:
    """``t`` without any whitespace: what ``re.sub(r"\\s+", "", t)`` gives (``split`` knows
    the same whitespace), without a regex pass."""
    return "".join(t.split())


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
    h = squash_spaces(_YEAR_PREFIX.sub("", head))
    h = _DRAFT_MARK.sub("", h).rstrip(".")
    if not h or len(h) > (24 if boxed else 14):
        return None
    if bulleted and len(h) > 6:
        return None
    named = _kind_named(h)
    if named is not None:
        return named
    return INFO if boxed and not bulleted and len(h) <= 8 and not _DIGIT.search(h) else None


def _kind_named(h: str) -> str | None:
    """The kind a section name says by its ending ('…실적', '…계획', '…개요'), if it says one."""
    if h.endswith(_DONE_END):
        return DONE
    if h.startswith("향후") or h.endswith(_PLAN_END):
        return PLAN
    if h.endswith(_INFO_END):
        return INFO
    return None


# --- titles and the lines of one document ------------------------------------------------

ROMAN = re.compile(r"^(?P<num>[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\s*\.\s*(?P<title>\S.*)$")
_ROMAN_FIRST = "IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"  # what a roman heading begins with
_AUDIT_SECTION = re.compile(r"(감\s*사|결\s*산\s*검\s*사|시\s*정\s*권\s*고|처\s*리\s*결\s*과|조\s*치\s*결\s*과)")


def norm_title(s: str) -> str:
    return _TITLE_NOISE.sub("", s)


@lru_cache(maxsize=4096)
def title_similarity(a: str, b: str) -> float:
    return fuzz.ratio(norm_title(a), norm_title(b)) / 100.0


@dataclass
class Lines:
    """The document's lines, tidied once, with the facts every reader asks about."""

    doc: Document
    text: list[str] = field(default_factory=list)  # index 0 unused, 1-based like the report

    _bullets: dict[int, tuple[str | None, int]] = field(default_factory=dict)
    _kinds: dict[int, str | None] = field(default_factory=dict)
    _table: list[bool] = field(default_factory=list)
    _sections: list[Section] | None = None
    _section_maps: dict[tuple[int, int], list[tuple[int, int, str, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text = [""] + [tidy(r) for r in self.doc.lines]
        self._table = [False] + ["\t" in r and "\t" in r.strip("\t") for r in self.doc.lines]

    @classmethod
    def of(cls, doc: Document) -> Lines:
        """The document's Lines, tidied once and shared by the readers of one parse (the
        program and milestone readers walk the same lines)."""
        memo = doc.memo.get("lines")
        if isinstance(memo, tuple) and memo[0] is doc.lines and memo[1] == len(doc.lines):
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
        try:
            return self._kinds[n]
        except KeyError:
            kind = self._kinds[n] = None if self._table[n] else heading_kind_of(self.text[n])
            return kind

    def heading_mark(self, n: int) -> bool:
        """Line ``n`` was printed as a markdown heading ('### …')."""
        raw = self.raw(n)
        return "#" in raw and raw.lstrip().startswith("#")

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


# --- parts of the report and sections of a body ---------------------------------------


@dataclass
class Section:
    """A roman-numbered part of the report (I. 일반현황, III. 주요업무 …)."""

    title: str
    start: int
    end: int
    audit: bool


def roman_sections(lines: Lines) -> list[Section]:
    """Body parts of the report. A table of contents at the top prints the same roman
    headings one after another; a heading followed by another within three lines is
    taken as a TOC entry, not the start of a part. Found once per Lines (several readers
    ask)."""
    if lines._sections is None:
        lines._sections = _roman_sections(lines)
    return list(lines._sections)


def _roman_sections(lines: Lines) -> list[Section]:
    heads: list[tuple[int, str]] = []
    for n in range(1, lines.count + 1):
        t = lines.text[n]
        if len(t) > 60 or t[:1] not in _ROMAN_FIRST:
            continue
        m = ROMAN.match(t)
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
        m = ROMAN.match(t)
        title = m.group("title") if m else t
        out.append(Section(title=title, start=n, end=end, audit=bool(_AUDIT_SECTION.search(title))))
    if not out:
        out.append(Section(title="", start=1, end=lines.count, audit=False))
    elif out[0].start > 1:
        out.insert(0, Section(title="", start=1, end=out[0].start - 1, audit=False))
    return out


def section_map(lines: Lines, lo: int, hi: int) -> list[tuple[int, int, str, int]]:
    """(first line, last line, kind, heading line) of each section inside a body; the
    text before the first heading (purpose line) is INFO. '■' topic lines restart INFO.
    Found once per range (the program and milestone readers both ask for each body)."""
    known = lines._section_maps.get((lo, hi))
    if known is None:
        known = lines._section_maps[(lo, hi)] = _section_map(lines, lo, hi)
    return list(known)


def _section_map(lines: Lines, lo: int, hi: int) -> list[tuple[int, int, str, int]]:
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


_ROMAN_VALUE = {"I": 1, "Ⅰ": 1, "II": 2, "Ⅱ": 2, "III": 3, "Ⅲ": 3, "IV": 4, "Ⅳ": 4, "V": 5, "Ⅴ": 5}


def volumes(lines: Lines) -> list[tuple[int, int]]:
    """(first, last line) of each report in a compiled volume: the roman numbering of the
    parts starting again at Ⅰ begins another office's report, whose programs are owned by
    its own tables' departments. A single report is one volume (and owner evidence stays
    linear in the size of a volume of many reports)."""
    starts = [1]
    previous = 0
    for sec in roman_sections(lines):
        m = ROMAN.match(lines.text[sec.start]) if sec.title else None
        value = _ROMAN_VALUE.get(m.group("num"), 6) if m else 0
        if value == 1 and previous > 1:
            starts.append(sec.start)
        if value:
            previous = value
    ends = [n - 1 for n in starts[1:]] + [lines.count]
    return list(zip(starts, ends, strict=True))
