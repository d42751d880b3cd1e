"""Dated items of program bodies (and of 감사 answers) into ``Milestone`` records.

Which dates count depends on the section they sit in:

- plan sections (향후계획, 추진계획, 향후 일정, 행사개요 …): every dated item, even one
  dated before the report (plans are often written weeks before the cover date);
- descriptive sections (사업개요, 추진방향, 주요 추진내용, the purpose line): items
  dated from the report's month on;
- achievement sections (추진실적): only what is still ahead of the report, or marked 예정.

Dates are only taken where the report uses them as a date slot: with a printed year,
in parentheses ('(10월)'), after a colon ('… : 5~6월') or alone in a table cell. A
'(3월)' glued to the next word ('접수(3월)된 과제') is a reference, not an item; '현재',
'기준' and '(현행)' mark status, not plans; a bare year ('21년) is not a milestone.

The title is the item's own text without its date: the words before a parenthesised
date (one line may hold several items: '탄자니아 … 실시(9월), 몽골 … 역량강화(10월)'),
the label before '… : date', or — for a bare '일시 : …' line — the item it belongs to.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.dates import DateSpan, find_dates, heading_year, month_floor, period_end
from bot.ingest.header import parse_cover
from bot.ingest.lines import (
    DONE,
    INFO,
    PLAN,
    Lines,
    cells,
    heading_kind_of,
    roman_sections,
    section_map,
    strip_bullets,
    tidy,
    title_similarity,
)
from bot.ingest.text import Document, squeeze
from bot.ingest.units import looks_like_unit
from bot.models import AuditItem, Milestone, Precision, Program, Source

# --- small text helpers ------------------------------------------------------------------

_GENERIC_LABEL = re.compile(r"^.{0,6}(?:기간|일시|일정|시기|일자|기한|시한|개시|날짜)(?:[/·].{1,6})?$")
_STATUS_AFTER = re.compile(r"^\s*\.?\s*(?:말\s*)?(?:현재|기준)")
_NOTE_START = re.compile(r"^[*※]")
_CHAIN = re.compile(r"\s*[→⇒⇨➡]\s*")
_LEAD_JUNK = re.compile(r"^(?:[-–－·ㆍ•○●◎□■▶►▷✓✔⇒⇨→*※\s]|\(\s*[^()]{1,8}\s*\)\s*)+")
_TRAIL_JUNK = re.compile(r"[\s:：,，·/]+$|\s+(?:등|및)$")
_LABEL = re.compile(r"^(?P<label>[^:：()]{1,40}?)\s*[:：]\s*(?P<value>.*)$")
_PAREN_WORDS_DROP = re.compile(r"^(?:온라인|오프라인|예정|미정|잠정|계속|市|시|추진|개최)$")
_HANGUL = re.compile(r"[가-힣]")
_HAS_WORD = re.compile(r"[가-힣A-Za-z]")
_CURRENT_PRACTICE = re.compile(r"\(\s*현\s*행\s*\)|^현\s*행\b")
_STATUS_LABEL = re.compile(r"현황$")
_SEASON = re.compile(r"(?:방학|하절기|동절기|학기|성수기|비수기|휴가철)$")  # '겨울방학(12~2월)' names a season
_VERB_ENDING = re.compile(r"(?:하고|하며|하여|해서|하는|하고자)$")
_FREQUENCY = re.compile(r"^(?:연|월|주|일|분기|반기)\s*\d+\s*회(?:\s*이상)?$")
_PURPOSE_CLAUSE = re.compile(r"(?:위한|위해|통한|통해)\s")
_AUDIT_PLAN = re.compile(r"(?<!및)(?<!및\s)향후\s*(?:추진\s*)?계획")
_BRACKETED_TITLE = re.compile(r"^\s*[<〈《【\[]\s*(.*?)\s*[>〉》】\]]\s*$")
_SPACES = re.compile(r"\s+")


def _clean_title(t: str) -> str:
    t = t.replace("**", "")
    t = _BRACKETED_TITLE.sub(r"\1", t)
    t = _LEAD_JUNK.sub("", t)
    t = squeeze(t)
    for _ in range(2):
        t = _TRAIL_JUNK.sub("", t).strip()
    return t


def _without(text: str, spans: list[tuple[int, int]]) -> str:
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


# --- the rules for a date in its text -------------------------------------------------------


@dataclass
class _Period:
    """The report's own date, as the cut-off for descriptive and achievement sections."""

    start: date  # first day of the report's month
    day: date  # the report date (first of month when only the month is printed)
    end: date  # last day the report date covers
    day_precise: bool
    year: int | None  # for dates printed without a year

    @classmethod
    def of(cls, doc: Document) -> _Period:
        """Without a report date nothing is 'ahead of the report': only plan sections
        count, and dates without a printed year are not guessed."""
        if doc.report_date is None:
            return cls(date.max, date.max, date.max, True, None)
        d = doc.report_date
        prec = doc.report_date_precision or Precision.DAY
        return cls(month_floor(d), d, period_end(d, prec), prec is Precision.DAY, d.year)


def _in_slot(text: str, sp: DateSpan, table_cell: bool) -> bool:
    """A date without a printed year only counts where the report uses it as a date:
    in parentheses, after a colon, in a list of dates, or alone in a table cell."""
    before = text[: sp.pos].rstrip()
    after = text[sp.endpos :].lstrip()
    if table_cell and not before:
        return True
    if not before or before[-1] not in "(:：/,，·~":
        return False
    if before[-1] == "(":
        close = text.find(")", sp.endpos)
        if close >= 0 and close + 1 < len(text) and _HANGUL.match(text[close + 1]):
            return False  # '접수(3월)된 과제': a reference inside a sentence
    return not after or after[0] in ")/,，·:：~" or table_cell or before[-1] in ":："


def _is_status(text: str, sp: DateSpan) -> bool:
    return bool(_STATUS_AFTER.match(text[sp.endpos : sp.endpos + 10]))


_PAST = "past"  # a history ('추진경과'): only what it marks 예정 is still ahead
_PAST_HEADING = re.compile(r"경과(?:\(.{0,6}\))?$")


def _keep(sp: DateSpan, kind: str, period: _Period, marked_planned: bool) -> bool:
    if kind == PLAN:
        return True
    if kind == INFO:
        if sp.precision is Precision.DAY:
            cutoff = period.day if period.day_precise else period.start
            return sp.start >= cutoff
        # '상반기', '3/4분기' in a report of February: the period is still ahead
        return period_end(sp.start, sp.precision) >= period.day
    if kind == _PAST:
        return marked_planned
    return sp.start > period.end or marked_planned


# --- titles ------------------------------------------------------------------------------------


class _Context:
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
    start = 0
    for other in spans:
        if other.endpos <= o:
            p2 = _paren_around(text, other.pos, other.endpos)
            if p2 is not None and p2[1] < o:
                start = max(start, _tail(text, p2[1])[1])
    item = text[start:o]
    item = re.sub(r"^[\s,，/·]*(?:및\s+)?", "", item)
    label = _LABEL.match(item)
    if label and len(label.group("label")) <= 10 and label.group("value").strip():
        item = label.group("value")
    tail, _ = _tail(text, c)
    after_paren = text[c + 1 :].lstrip()
    if not tail and after_paren and not _SEPARATOR.match(after_paren) and not after_paren.startswith(
        ("(", "⇒", "→", ":", "：", "~", "*", "※")
    ):
        # '… 특허법인을 선정하고('21.4) 사업예산 …': the item is the last words before it
        words = item.split()[-3:]
        if words:
            words[-1] = _VERB_ENDING.sub("", words[-1]) or words[-1]
        item = " ".join(words)
    inside = text[o + 1 : c]
    in_spans = [(s_.pos - o - 1, s_.endpos - o - 1) for s_ in spans if o < s_.pos and s_.endpos <= c]
    own = (sp.pos - o - 1, sp.endpos - o - 1)
    prefix = _without(inside[: own[0]], [(a, b) for a, b in in_spans if b <= own[0]])
    suffix = re.split(r"[/,，]", inside[own[1] :], maxsplit=1)[0]
    suffix = _without(suffix, [(a - own[1], b - own[1]) for a, b in in_spans if a >= own[1]]).strip(" ()~")
    prefix_parts = [p.strip() for p in re.split(r"[/,，]", prefix) if p.strip()]
    counts = [p for p in prefix_parts if re.search(r"\d", p)]
    title = _clean_title(item)
    if counts:
        title = f"{title}({', '.join(counts)})"
    if suffix and not _PAREN_WORDS_DROP.match(suffix) and len(suffix) <= 12:
        title = f"{title} {suffix}"
    if tail and len(title.replace(" ", "")) + len(tail) <= 60:
        title = f"{title} {tail}"
    followed_by_label = after_paren.startswith((":", "："))
    return title.strip(), followed_by_label


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


def _title(text: str, sp: DateSpan, spans: list[DateSpan], ctx: _Context) -> str | None:
    """The item's text without its date; None when the date names a season, not an item."""
    paren = _paren_around(text, sp.pos, sp.endpos)
    if paren is not None and _SEASON.search(_clean_title(text[max(0, paren[0] - _PAREN_REACH) : paren[0]])):
        return None
    title = _shorten(_raw_title(text, sp, spans, ctx))
    return title if _HAS_WORD.search(title) else ctx.program_title


def _raw_title(text: str, sp: DateSpan, spans: list[DateSpan], ctx: _Context) -> str:
    paren = _paren_around(text, sp.pos, sp.endpos)
    if paren is not None:
        title, label_desc = _paren_title(text, sp, spans, paren)
        if _FREQUENCY.match(title) and ctx.parent:
            return f"{_clean_title(ctx.parent)} ({title})"  # '연 1회('21. 하)' belongs to its parent item
        if label_desc and len(title.replace(" ", "")) <= 5 and ctx.heading:
            title = f"{_clean_title(ctx.heading)} {title}"
        return title or ctx.program_title
    m = _LABEL.match(text)
    if m and m.start("value") <= sp.pos:
        # '… 세부계획 수립 : '21. 8~9월' → the label is the item; '일 시 : …' → the item above
        label = _clean_title(m.group("label"))
        if _GENERIC_LABEL.match(label.replace(" ", "")):
            if ctx.parent:
                return _clean_title(ctx.parent)
            core = re.split(r"[/·]", label, maxsplit=1)[0].strip()
            return f"{ctx.program_title} {core}"
        if label and len(label.replace(" ", "")) <= _SHORT_LABEL:
            # '- 개막식 : 9. 8.' names a part of the item above it (or of the program)
            return f"{ctx.outer or _clean_title(ctx.program_title)} {label}"
        return label or ctx.program_title
    if ctx.name_cell and not _without(text, [(s.pos, s.endpos) for s in spans]).strip(" -·()~"):
        # the row's own name column ('행 사 명'), without its '▶ …' remark
        return _clean_title(re.split(r"[▶※]", ctx.name_cell, maxsplit=1)[0])
    if ctx.other_cells and not _without(text, [(s.pos, s.endpos) for s in spans]).strip(" -·()~"):
        best = max(ctx.other_cells, key=len)
        best = re.split(r"[▶※]", best, maxsplit=1)[0]
        best = _clean_title(best)
        if len(best.replace(" ", "")) <= 6:
            return f"{ctx.program_title} {best}"
        return best
    # the line's head names the item; past _TITLE_REACH it is no title (and reading the
    # whole head again for each of 1,800 dates on one line made the line quadratic)
    before = _clean_title(text[: min(sp.pos, _TITLE_REACH)])
    nxt = bisect.bisect_left(spans, sp.endpos, key=lambda s: s.pos)  # spans run left to right
    after_text = text[sp.endpos : spans[nxt].pos] if nxt < len(spans) else text[sp.endpos : sp.endpos + _TITLE_REACH]
    after = _clean_title(after_text)
    if not _HAS_WORD.search(after):
        after = ""
    if not after:
        return before or ctx.program_title
    if len(before.replace(" ", "")) <= 20:
        return f"{before} {after}".strip()
    return after


# --- walking a program body ------------------------------------------------------------------------


def _is_label_line(t: str) -> bool:
    m = _LABEL.match(strip_bullets(t))
    return bool(m) and len(m.group("label").replace(" ", "")) <= 10


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
        m = _LABEL.match(body)
        name = m.group("label") if m else _without(body, [(d.pos, d.endpos) for d in find_dates(body, _ANY_YEAR)])
        name = _TRAILING_VERB.sub("", _clean_title(name))
        return name or None
    return None


_SUB_HEADING = re.compile(r"^(?:[①-⑳]|\d{1,2}(?:\s|\.\s|\]))\s*\S")


def _sub_heading(lines: Lines, n: int, lo: int) -> str | None:
    for k in range(n - 1, lo - 1, -1):
        t = lines.text[k]
        if t and _SUB_HEADING.match(t) and not lines.is_table(k):
            return re.sub(r"^(?:[①-⑳]|\d{1,2}\.?\]?)\s*", "", t)
    return None


def _segments(text: str) -> list[tuple[str, bool]]:
    """Pieces of a line read one by one: a chain 'A(4월) ⇒ B(5월)' gives A and B; an
    inline '※ …' remark is kept apart (it is read like a descriptive section)."""
    out: list[tuple[str, bool]] = []
    main, note = text, ""
    k = text.find("※")
    if k > 0:
        main, note = text[:k], text[k:]
    for part in _CHAIN.split(main):
        if part.strip():
            out.append((part, False))
    if note.strip():
        out.append((note, True))
    return out


def _from_text(
    text: str,
    *,
    kind: str,
    year: int | None,
    period: _Period,
    ctx: _Context,
    table_cell: bool = False,
) -> list[tuple[DateSpan, str]]:
    out: list[tuple[DateSpan, str]] = []
    if _CURRENT_PRACTICE.search(text):
        return out
    lab = _LABEL.match(strip_bullets(text))
    if lab:
        label = lab.group("label").replace(" ", "")
        if _STATUS_LABEL.search(label):
            return out
        if label.endswith("실적") and kind != PLAN:
            kind = DONE  # '※ '15년 ~ '16. 4월말 추진실적 : 6회'
        elif label.endswith("실적"):
            kind = INFO
    for seg, is_note in _segments(text):
        spans = find_dates(_mask_label(seg), year)
        if not spans:
            continue
        seg_kind = INFO if (is_note and kind == PLAN) else kind
        kept_before = False
        for sp in spans:
            if kept_before and _UNTIL.match(seg[sp.endpos : sp.endpos + 4]):
                continue  # '…, 본 전시 '24. 2월까지': how long the item above runs, not an item
            if sp.precision is Precision.YEAR:
                continue
            if not sp.year_printed and not _in_slot(seg, sp, table_cell):
                continue
            if _is_status(seg, sp):
                continue
            planned = "예정" in seg[sp.pos : sp.endpos + 12] or seg.rstrip().endswith(("예정", "예정임"))
            if not _keep(sp, seg_kind, period, planned):
                continue
            title = _title(seg, sp, spans, ctx)
            if title is None:
                continue
            kept_before = True
            out.append((sp, title))
    return out


_UNTIL = re.compile(r"^\s*까지")
_ANY_YEAR = 2000  # to ask whether a text holds a date at all, printed year or not


def _mask_label(seg: str) -> str:
    """'2025년 예산 편성 : 10월 ~ 11월', '하반기 특별 프로그램 : 9. 29., 10. 27.': when the
    value after the colon is dated, a year or half in the label is part of the item's
    name, not a date (nor the year of the dates after it). Length-preserving."""
    m = _LABEL.match(seg)
    if not m or not find_dates(m.group("value"), _ANY_YEAR):
        return seg
    a = m.start("value")
    return " " * a + seg[a:]




def _body_start(lines: Lines, p: Program) -> int:
    """The first line after a program's printed title (its purpose line when the body
    had no heading)."""
    t = lines.text[p.line] if p.line <= lines.count else ""
    return p.line + 1 if t and title_similarity(t, p.title) >= 0.6 else p.line


@dataclass
class _Scope:
    """What the dated lines of one walk belong to: a program, or a report-level plan
    section ('Ⅴ. 향후 일정') outside every program."""

    name: str  # the program's title or the section's
    dept: str | None
    lo: int
    hi: int
    body_start: int
    year: int | None  # the plan year of the part it sits in (headings inside may name another)
    loose_kind: str = INFO  # kind of the lines before the first section heading


_UNIT_IN_PARENS = re.compile(r"\(\s*(?P<unit>[^()]{2,20}?)\s*\)$")
_SUBSECTION = re.compile(r"^(?:[가-하]\.|\d{1,2}[.)]|[□■◇◆▣]|\(\d{1,2}\)|[①-⑳])")
_GROUP_LINE = re.compile(r"^[【\[<〈《]\s*(?P<name>[^】\]>〉》]{1,20}?)\s*[】\]>〉》]$")


def _unit_heading(lines: Lines, n: int) -> str | None:
    """The unit a sub-section heading names for the items under it: '#### 가. 감염병
    대응 (가람행정과)', '② 시설 점검 (안전총괄과)', '【도로과】'. Not a dated item's line."""
    t = lines.text[n]
    if not t or lines.is_table(n):
        return None
    m = _GROUP_LINE.match(t)
    if m:
        name = _squash_spaces(m.group("name"))
        return name if looks_like_unit(name) else None
    if not (lines.raw(n).lstrip().startswith("#") or _SUBSECTION.match(t)):
        return None
    m = _UNIT_IN_PARENS.search(t)
    if not m or find_dates(t):
        return None
    name = _squash_spaces(m.group("unit"))
    return name if looks_like_unit(name) else None


def _squash_spaces(t: str) -> str:
    return _SPACES.sub("", t)


def _walk(doc: Document, lines: Lines, scope: _Scope, period: _Period) -> list[Milestone]:
    out: list[Milestone] = []
    unit: str | None = None
    header: list[str] | None = None
    for a, b, kind, head in section_map(lines, scope.body_start, scope.hi):
        is_heading = lines.kind(head) is not None
        if not is_heading and head == a:
            kind = scope.loose_kind
        year = (heading_year(lines.text[head]) if is_heading else None) or scope.year or period.year
        if kind == DONE and is_heading and _PAST_HEADING.search(_squash_spaces(lines.text[head])):
            kind = _PAST
        for n in range(a, b + 1):
            t = lines.text[n]
            if not t:
                continue
            if not lines.is_table(n):
                header = None
                found_unit = _unit_heading(lines, n)
                if found_unit is not None or (lines.raw(n).lstrip().startswith("#")):
                    unit = found_unit  # a new sub-section: its own unit, or none
                    if found_unit is not None:
                        continue
            dept = unit or scope.dept
            if n == head and is_heading:
                m = _LABEL.match(t)
                if not m:
                    continue
                t = m.group("value")  # '그간 추진실적 : 방문객 … (기준)'
            raw = lines.raw(n)
            if lines.is_table(n):
                row = [tidy(x) for x in raw.split("\t")]
                if header is None:
                    header = _header_of(row)
                    if header is not None:
                        continue
                name_col, dept_col = _columns(header) if header else (None, None)
                row_dept = dept
                if dept_col is not None and dept_col < len(row) and looks_like_unit(_squash_spaces(row[dept_col])):
                    row_dept = _squash_spaces(row[dept_col])
                for ci, cell in enumerate(row):
                    if not cell or ci in (name_col, dept_col):
                        continue
                    name = row[name_col] if name_col is not None and name_col < len(row) and row[name_col] else None
                    others = [c for j, c in enumerate(row[:_MAX_CELLS]) if j != ci and c]
                    ctx = _Context(scope.name, other_cells=others, name_cell=name)
                    for sp, title in _from_text(cell, kind=kind, year=year, period=period, ctx=ctx, table_cell=True):
                        out.append(_milestone(doc, None, sp, title, n, program=scope.name, dept=row_dept))
                continue
            if not any(map(str.isdigit, t)) and "반기" not in t and "下" not in t and "上" not in t:
                continue
            ctx = _Context(scope.name, lines, n, a, scope.body_start)
            for sp, title in _from_text(t, kind=kind, year=year, period=period, ctx=ctx):
                out.append(_milestone(doc, None, sp, title, n, program=scope.name, dept=dept))
    return out


_MAX_CELLS = 40  # a title borrows from a row's first cells only (a row of thousands is not a table)
_NAME_HEADER = re.compile(r"(?:명|명칭)$")
_TOPIC_HEADER = re.compile(r"(?:내용|사업|과제|행사|항목)$")
_DEPT_HEADER = re.compile(r"(?:부서|담당|소관|주관|부서명)")


def _header_of(row: list[str]) -> list[str] | None:
    """A table's header row: no dates, at least two cells, and a column that names the
    items ('행 사 명', '사업명', '내용') — then the rows under it are read by column."""
    if len([c for c in row if c]) < 2 or any(find_dates(c) for c in row if c):
        return None
    squashed = [_squash_spaces(c) for c in row]
    if any(_NAME_HEADER.search(c) or _TOPIC_HEADER.search(c) for c in squashed if c):
        return squashed
    return None


def _columns(header: list[str]) -> tuple[int | None, int | None]:
    dept = next((i for i, c in enumerate(header) if c and _DEPT_HEADER.search(c)), None)
    name = next((i for i, c in enumerate(header) if c and i != dept and _NAME_HEADER.search(c)), None)
    if name is None:
        name = next((i for i, c in enumerate(header) if c and i != dept and _TOPIC_HEADER.search(c)), None)
    return name, dept


def _program_milestones(doc: Document, lines: Lines, p: Program, period: _Period, year: int | None) -> list[Milestone]:
    scope = _Scope(p.title, p.dept, p.line, p.end_line or p.line, _body_start(lines, p), year)
    return _walk(doc, lines, scope, period)


def _section_milestones(
    doc: Document, lines: Lines, programs: list[Program], period: _Period, years: _Years, org_unit: str | None
) -> list[Milestone]:
    """Report-level plan parts ('Ⅴ. 향후 일정', 'Ⅲ. 하반기 주요 행사 일정') that hold no
    program: every dated item in them, owned by a unit column or heading, else the office."""
    out: list[Milestone] = []
    program_lines = sorted(p.line for p in programs)
    for sec in roman_sections(lines):
        if sec.audit or not sec.title or heading_kind_of(tidy(sec.title)) != PLAN:
            continue
        k = bisect.bisect_left(program_lines, sec.start)
        if k < len(program_lines) and program_lines[k] <= sec.end:
            continue  # a program sits in it
        name = re.sub(r"\s+", " ", sec.title).strip()
        scope = _Scope(name, org_unit, sec.start, sec.end, sec.start + 1, years.at(sec.start), loose_kind=PLAN)
        out.extend(_walk(doc, lines, scope, period))
    return out


@dataclass
class _Years:
    """The plan year of each part of the report: the year its roman heading names
    ('Ⅲ. 2024년 주요업무 추진계획'), else the one the title names ('2024년 주요업무계획',
    reported in December 2023), else none (the report's year applies)."""

    parts: list[tuple[int, int, int | None]]  # the report's parts in order, none overlapping
    title_year: int | None

    def at(self, n: int) -> int | None:
        k = bisect.bisect_right(self.parts, n, key=lambda part: part[0]) - 1
        if k >= 0:
            lo, hi, year = self.parts[k]
            if lo <= n <= hi and year is not None:
                return year
        return self.title_year

    @classmethod
    def of(cls, lines: Lines, title: str | None) -> _Years:
        parts = [(sec.start, sec.end, heading_year(sec.title) if sec.title else None) for sec in roman_sections(lines)]
        return cls(parts, heading_year(title) if title else None)


def _cover(doc: Document) -> tuple[str | None, str | None]:
    """The report's title and issuing unit, as the cover reader found them (read again
    only when this reader is used on its own)."""
    title, org = doc.title, doc.org
    if title is None:
        try:
            cover = parse_cover(doc)
        except Exception:  # noqa: BLE001 - a cover the reader rejects leaves these unknown
            return None, None
        title, org = cover.title, cover.org
    words = org.split() if org else []
    unit = words[-1] if words and looks_like_unit(words[-1]) else None
    return title, unit


def _milestone(doc: Document, p: Program | None, sp: DateSpan, title: str, line: int, *,
               program: str | None = None, dept: str | None = None) -> Milestone:
    return Milestone(
        title=title[:200] or (p.title if p else ""),
        start=sp.start,
        end=sp.end,
        precision=sp.precision,
        program=program if program is not None else (p.title if p else None),
        dept=dept if dept is not None else (p.dept if p else None),
        date_text=sp.text,
        source=Source(report_id=doc.report_id, doc=doc.doc, line=line),
    )


# --- 감사 answers ---------------------------------------------------------------------------------------

_DEPT_IN_PARENS = re.compile(r"\(\s*([^()]{2,20}?(?:담당관|과|실|국|본부|단|센터))\s*\)")
_SENTENCE = re.compile(r"\s+(?=[○□▶◦]|-\s)")


def _audit_milestones(doc: Document, lines: Lines, audit_items: list[AuditItem], period: _Period) -> list[Milestone]:
    """Planned dates inside 감사 처리결과 answers: what an answer says will happen
    ('… 연구용역 : '21.10.~'22.5.(예정)', anything under its own 향후계획)."""
    out: list[Milestone] = []
    by_line = {a.source.line: a for a in audit_items if a.source.line}
    for sec in roman_sections(lines):
        if not sec.audit:
            continue
        title = re.sub(r"\s+", " ", lines.text[sec.start]).strip()
        for n in range(sec.start + 1, sec.end + 1):
            row = cells(lines.raw(n))
            if len(row) < 2:
                continue
            item = by_line.get(n)
            dept = item.dept if item else None
            if dept is None:
                m = _DEPT_IN_PARENS.search(row[0])
                dept = m.group(1).replace(" ", "") if m else None
            label = title
            if item is not None:
                label = f"{title} ({item.kind}: {item.request_head})"
            for cell in row[1:]:
                parts = _AUDIT_PLAN.split(cell, maxsplit=1)
                for part, kind in zip(parts, (DONE, PLAN)):
                    for sentence in _SENTENCE.split(part):
                        ctx = _Context(label)
                        for sp, t in _from_text(sentence, kind=kind, year=period.year, period=period, ctx=ctx):
                            out.append(_milestone(doc, None, sp, t, n, program=label, dept=dept))
    return out


# --- entry point -----------------------------------------------------------------------------------------


def parse_milestones(doc: Document, programs: list[Program], audit_items: list[AuditItem]) -> list[Milestone]:
    lines = Lines.of(doc)
    period = _Period.of(doc)
    title, org_unit = _cover(doc)
    years = _Years.of(lines, title)
    out: list[Milestone] = []
    for p in programs:
        try:
            out.extend(_program_milestones(doc, lines, p, period, years.at(p.line)))
        except (ValueError, IndexError):  # an odd body never stops the rest of the report
            doc.notes.append(f"일정을 읽지 못한 사업: {p.title} (줄 {p.line})")
    try:
        out.extend(_section_milestones(doc, lines, programs, period, years, org_unit))
    except (ValueError, IndexError):
        doc.notes.append("향후 일정 부분의 일정을 읽지 못했습니다")
    try:
        out.extend(_audit_milestones(doc, lines, audit_items, period))
    except (ValueError, IndexError):
        doc.notes.append("감사 처리결과의 일정을 읽지 못했습니다")
    seen: set[tuple] = set()
    unique: list[Milestone] = []
    for m in out:
        key = (m.title, m.start, m.end, m.source.line if m.source else None)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique
