"""Korean report date expressions → ``DateSpan`` (start, end, precision, text as printed).

The reports write dates in many ways: '21.11.19., ’21. 10. 1.(금) ~ 10. 10.(일),
2021. 9. 6.(월), 21.7.1, '21.11., '21. 8~9월, (9월/11월), 6월초, 4월 말, '21. 하,
'21.下, 하반기, 3/4분기, '21.10.~'22. 5. … This module reads them without knowing
what they date; callers (milestones, audit due dates, ``/milestone add``) decide which
ones matter. Year-less dates take the year of a date printed earlier in the same text,
else ``default_year`` (the section's year, else the report's).

Deliberately *not* dates: a year that is part of a name ('2023 서울아시아광고대회',
'「2021 U20 시장회의」', '「22 UN공공행정상」'), bare two-digit years ('19~'21), times
(21:00), percentages and other decimals (3.7%, 1.5배), '연중'/'수시'/'계속'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.models import Precision

__all__ = ["DateSpan", "find_dates", "heading_year", "may_begin_a_date", "month_floor", "parse_date", "period_end"]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """One date or date range found in a text.

    ``pos``/``endpos`` index the text given to :func:`find_dates`; ``text`` is that
    slice (the date as printed). Month, half, quarter and year precision start on the
    first day of the period; ``end`` is only set for printed ranges. ``open_ended``
    marks '8월~'. ``year_printed`` says whether the start's year was written in the
    text (or inherited from an earlier date in it) rather than assumed."""

    start: date
    end: date | None
    precision: Precision
    text: str
    pos: int
    endpos: int
    year_printed: bool
    open_ended: bool = False
    qualifier: str | None = None  # 초 / 중 / 말 / 이후 … as printed after the date


# --- normalisation (length-preserving, so positions stay valid) ---------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "′": "'", "＇": "'"})
_TILDES = str.maketrans({"～": "~", "〜": "~", "∼": "~", "∽": "~", "﹋": "~"})
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-4])\s?:\s?[0-5]\d(?!\d)")


_FOLDED = re.compile("[" + "".join(chr(c) for c in (*_APOSTROPHES, *_TILDES)) + "]")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _normalise(text: str) -> str:
    # most lines hold no odd apostrophe, tilde or time: test before rewriting
    s = text.translate(_APOSTROPHES).translate(_TILDES) if _FOLDED.search(text) else text
    return _TIME.sub(_blank, s) if ":" in s else s


# --- points ------------------------------------------------------------------------

_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"
# a year: 2021 (needs '.', '년', '-' or '/' after it), '21, or a bare 21 that is
# followed by a month and a day or '월' (21.7.1, 21.6~7월)
def _year(g: str) -> str:
    """A year pattern with group names prefixed by ``g`` (Python forbids repeats)."""
    return (
        rf"(?:(?P<{g}y4>(?:19|20)\d\d)(?=\s?[.년\-/])"
        rf"|'\s?(?P<{g}y2>\d\d)(?![\d,])"
        rf"|(?<![\d.',])(?P<{g}yb>[1-4]\d)(?=\.\s?" + _M + r"(?:\s?\.\s?\d|\s?월|\s?~\s?\d{1,2}\s?월)))"
    )


_WEEKDAY = r"(?:\s?\(\s?[월화수목금토일]\s?\))"
def _qual(g: str) -> str:
    return rf"(?P<{g}>\s?(?:초순|중순|하순|상순|초|중|말|경|이후|께))?"
_HALF = r"(?P<half>상반기|하반기|上半期|下半期|상|하|上|下)(?:\s?반기)?"
_QUARTER = r"(?:(?P<q1>[1-4])\s?/\s?4\s?분기|(?P<q2>[1-4])\s?분기)"

_ALTERNATIVES = [
    # year + month + day: '21.11.19.  2021. 9. 6.(월)  2021년 9월 6일  2021-09-06
    r"(?P<ymd>" + _year("a") + r"\s?(?:\.|년|-|/)\s?(?P<ymd_m>" + _M + r")\s?(?:\.|월|-|/)\s?(?P<ymd_d>" + _D + r")"
    r"(?![\d])(?!\s?분기)(?:\s?일|\s?\.)?" + _WEEKDAY + r"?)",
    # year + half / quarter: '21. 하  '21.下  '21년 하반기  2021년 3/4분기
    r"(?P<yh>" + _year("b") + r"\s?(?:\.|년)?\s?" + _HALF + r"(?![가-힣]))",
    r"(?P<yq>" + _year("c") + r"\s?(?:\.|년)?\s?" + _QUARTER + r")",
    # year + month: '21.11.  '21. 5월  ’21.4  2021. 4.  '21년 10월
    r"(?P<ym>" + _year("d") + r"(?:\s?\.\s?(?P<ym_m>" + _M + r")(?!\d)(?:\s?월|\.(?!\s?\d))?"
    r"|\s?년\s?(?P<ym_m2>" + _M + r")\s?월)" + _qual("qual") + ")",
    # year alone: '21년  2021년도
    r"(?P<y>" + _year("e") + r"\s?년(?:\s?도)?)",
    # month + day: 3.26  9. 4.(토)  4월 15일  7.19.字
    r"(?P<md>(?<![\d.'/])(?P<md_m>" + _M + r")(?:\s?\.\s?(?P<md_d>" + _D + r")(?:\.(?!\d)|(?=$|[\s)~,/·\]」』(일字]))"
    r"|\s?월\s?(?P<md_d2>" + _D + r")\s?일)" + _WEEKDAY + r"?)",
    # month: 10월  6월초  4월 말
    r"(?P<m>(?<![\d.])(?P<m_m>" + _M + r")\s?월(?!\s?\d)" + _qual("qual2") + ")",
    # half / quarter without a year: 하반기  3/4분기
    r"(?P<h>(?<![가-힣])(?P<h_half>상반기|하반기|上半期|下半期))",
    r"(?P<q>(?<![\d/])(?:(?P<q_q1>[1-4])\s?/\s?4\s?분기|(?P<q_q2>[1-4])\s?분기))",
    # a bare number: only ever half of a range ('8~12월', '10.1~10', '(4~12)')
    r"(?P<bare>(?<![\d.,'/])\d{1,2}(?![\d%]|,(?!\s?\d{1,2}\s?월)|\.\d))",
]
_POINT = re.compile("|".join(_ALTERNATIVES))
# At a start where no year can begin, the alternatives that begin with one cannot match:
# trying only the others finds the same first match. A year begins with an apostrophe,
# or with '1'-'4' followed by a digit ('19', '20', or a bare '21' of '21.7.1').
_POINT_NO_YEAR = re.compile("|".join(_ALTERNATIVES[5:]))  # month and day, month, half, quarter, bare
_POINT_HALF = re.compile(_ALTERNATIVES[7])  # the only one that begins with a letter


@dataclass(slots=True)
class _Point:
    kind: str  # day | month | half | quarter | year | bare
    pos: int
    endpos: int
    year: int | None
    month: int | None = None
    day: int | None = None
    number: int | None = None  # for bare numbers
    qualifier: str | None = None


def _year_of(m: re.Match, g: str) -> int | None:
    if m.group(g + "y4"):
        return int(m.group(g + "y4"))
    two = m.group(g + "y2") or m.group(g + "yb")
    if two:
        return 2000 + int(two) if int(two) < 70 else 1900 + int(two)
    return None


# Every alternative of _POINT begins with a digit, an apostrophe or the first letter of a
# half ('상반기', '下半期'); matching only where one stands finds what ``finditer`` finds.
# Inside a run of digits only a four-digit year can begin (every other alternative that
# starts with a digit looks behind for one), so there only '19' and '20' are tried.
_POINT_START = re.compile(r"['상하上下]|(?<!\d)\d|19|20")


def may_begin_a_date(text: str) -> bool:
    """Whether a date could begin anywhere in ``text``: without a digit, an apostrophe or
    the first letter of a half, :func:`find_dates` finds no date in it (nor a year that
    carries over to the dates after it)."""
    return _POINT_START.search(text.translate(_APOSTROPHES)) is not None


def _point_matches(s: str) -> Iterator[re.Match[str]]:
    """``_POINT.finditer(s)``, trying the pattern only at characters that can begin a match
    (3× faster on report lines, where most characters are Hangul). Lookbehinds still see
    the text before each start; no alternative matches the empty string."""
    search, match, no_year, half = _POINT_START.search, _POINT.match, _POINT_NO_YEAR.match, _POINT_HALF.match
    pos = 0
    while (c := search(s, pos)) is not None:
        i = c.start()
        ch = s[i]
        if ch == "'" or (ch in "1234" and s[i + 1 : i + 2].isdecimal()):
            m = match(s, i)
        elif ch in "상하上下":
            m = half(s, i)
        else:
            m = no_year(s, i)
        if m is None:
            pos = i + 1
        else:
            yield m
            pos = m.end()


def _points(s: str) -> list[_Point]:
    out: list[_Point] = []
    for m in _point_matches(s):
        a, b = m.span()
        alt = m.lastgroup  # each alternative is one named group around the rest: the one that matched
        if alt == "ymd":
            out.append(_Point("day", a, b, _year_of(m, "a"), int(m.group("ymd_m")), int(m.group("ymd_d"))))
        elif alt == "yh":
            half = m.group("half")
            out.append(_Point("half", a, b, _year_of(m, "b"), 1 if half[0] in "상上" else 7))
        elif alt == "yq":
            q = int(m.group("q1") or m.group("q2"))
            out.append(_Point("quarter", a, b, _year_of(m, "c"), 3 * (q - 1) + 1))
        elif alt == "ym":
            month = int(m.group("ym_m") or m.group("ym_m2"))
            qual = (m.group("qual") or "").strip() or None
            out.append(_Point("month", a, b, _year_of(m, "d"), month, qualifier=qual))
        elif alt == "y":
            out.append(_Point("year", a, b, _year_of(m, "e"), 1))
        elif alt == "md":
            day = int(m.group("md_d") or m.group("md_d2"))
            out.append(_Point("day", a, b, None, int(m.group("md_m")), day))
        elif alt == "m":
            qual = (m.group("qual2") or "").strip() or None
            out.append(_Point("month", a, b, None, int(m.group("m_m")), qualifier=qual))
        elif alt == "h":
            out.append(_Point("half", a, b, None, 1 if m.group("h_half")[0] in "상上" else 7))
        elif alt == "q":
            q = int(m.group("q_q1") or m.group("q_q2"))
            out.append(_Point("quarter", a, b, None, 3 * (q - 1) + 1))
        else:
            out.append(_Point("bare", a, b, None, number=int(m.group("bare"))))
    return out


# --- combining points into spans ------------------------------------------------------

_RANGE_GAP = re.compile(r"^\s*(?:\(\s?[월화수목금토일]\s?\))?\s*~\s*$")
_LIST_GAP = re.compile(r"^\s*[/·,ㆍ]\s*$")
_OPEN_END = re.compile(r"^\s*~(?!\s*['\d상하上下])")
_PRECISION = {
    "day": Precision.DAY,
    "month": Precision.MONTH,
    "half": Precision.HALF,
    "quarter": Precision.QUARTER,
    "year": Precision.YEAR,
}


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _start_of(p: _Point, year: int) -> date | None:
    if p.kind == "day":
        return _safe_date(year, p.month or 1, p.day or 1)
    return _safe_date(year, p.month or 1, 1)


def find_dates(text: str, default_year: int | None = None) -> list[DateSpan]:
    """Every date or date range in ``text``, left to right.

    ``default_year`` resolves dates printed without a year when no earlier date in the
    text gave one; without it such dates are skipped. Never raises on odd input."""
    if not text:
        return []
    s = _normalise(text)
    pts = _points(s)
    spans: list[DateSpan] = []
    running = default_year
    printed_seen = False
    i = 0
    n = len(pts)
    while i < n:
        p = pts[i]
        nxt = pts[i + 1] if i + 1 < n else None
        gap = s[p.endpos : nxt.pos] if nxt else ""
        in_range = nxt is not None and _RANGE_GAP.match(gap) is not None
        # bare numbers only count as part of a range
        if p.kind == "bare":
            span = _bare_start(s, p, nxt, gap, in_range, pts, i, running, printed_seen)
            if span is not None:
                spans.append(span[0])
                if span[2]:
                    running, printed_seen = span[0].start.year, True
                i += span[1]
                continue
            i += 1
            continue
        year = p.year if p.year is not None else running
        printed = p.year is not None or printed_seen
        if year is None:
            i += 1
            continue
        if p.year is not None:
            running, printed_seen = p.year, True
        start = _start_of(p, year)
        if start is None:
            i += 1
            continue
        end: date | None = None
        endpos = p.endpos
        consumed = 1
        if in_range and nxt is not None:
            end, end_point_year = _range_end(p, start, nxt)
            if end is not None:
                endpos = nxt.endpos
                consumed = 2
                if end_point_year is not None:
                    running = end_point_year
        open_ended = False
        if consumed == 1:
            m_open = _OPEN_END.match(s[endpos : endpos + 40])  # a window: no copy of the rest per date
            # '15:00~16:30' after a date is a time range, not an open end
            if m_open and p.kind != "year" and not re.search(r"\d", text[endpos : endpos + m_open.end()]):
                open_ended = True
                endpos += m_open.end()
        spans.append(
            DateSpan(
                start=start,
                end=end,
                precision=_PRECISION[p.kind],
                text=text[p.pos : endpos].strip(),
                pos=p.pos,
                endpos=endpos,
                year_printed=printed,
                open_ended=open_ended,
                qualifier=p.qualifier,
            )
        )
        i += consumed
    return spans


def _range_end(p: _Point, start: date, q: _Point) -> tuple[date | None, int | None]:
    """The end of 'p ~ q'; q may omit the year (and, after a day, the month)."""
    if q.kind == "bare":
        if p.kind == "day" and q.number and q.number > (p.day or 0):
            return _safe_date(start.year, start.month, q.number), None
        if p.kind == "month" and q.number and 1 <= q.number <= 12:
            y = start.year + (1 if q.number < start.month else 0)
            return date(y, q.number, 1), None
        return None, None
    if q.kind != p.kind and not (p.kind == "day" and q.kind == "month") and not (
        p.kind == "month" and q.kind == "day"
    ):
        return None, None
    y = q.year if q.year is not None else start.year
    end = _start_of(q, y)
    if end is None:
        return None, None
    if end < start and q.year is None:
        end = _start_of(q, y + 1)
    if end is None or end < start:
        return None, None
    return end, q.year


def _bare_start(
    s: str,
    p: _Point,
    nxt: _Point | None,
    gap: str,
    in_range: bool,
    pts: list[_Point],
    i: int,
    running: int | None,
    printed_seen: bool,
) -> tuple[DateSpan, int, bool] | None:
    """'8~12월' (bare ~ month), '7/12월' (read as the span July–December), '7,8월'
    (two months) and '(4~12)' (a parenthesised month range without 월)."""
    if nxt is None or p.number is None:
        return None
    if nxt.kind == "month" and 1 <= p.number <= 12:
        year = nxt.year if nxt.year is not None else running
        if year is None:
            return None
        printed = nxt.year is not None or printed_seen
        if in_range or gap.strip() == "/":
            sy = year - (1 if p.number > (nxt.month or 0) and nxt.year is not None else 0)
            start = date(sy, p.number, 1)
            ey = year + (1 if p.number > (nxt.month or 0) and nxt.year is None else 0)
            end = date(ey, nxt.month or 1, 1)
            span = DateSpan(start, end, Precision.MONTH, s[p.pos : nxt.endpos].strip(), p.pos, nxt.endpos, printed,
                            qualifier=nxt.qualifier)
            return span, 2, nxt.year is not None
        if _LIST_GAP.match(gap):
            start = date(year, p.number, 1)
            span = DateSpan(start, None, Precision.MONTH, s[p.pos : p.endpos].strip(), p.pos, p.endpos, printed)
            return span, 1, False
        return None
    if (
        nxt.kind == "bare"
        and in_range
        and nxt.number is not None
        and running is not None
        and 1 <= p.number <= 12
        and 1 <= nxt.number <= 12
        and p.number < nxt.number
    ):
        before = s[max(0, p.pos - 40) : p.pos].rstrip()  # windows, not copies of the line
        after = s[nxt.endpos : nxt.endpos + 40].lstrip()
        if before.endswith("(") and after.startswith(")"):
            span = DateSpan(
                date(running, p.number, 1), date(running, nxt.number, 1), Precision.MONTH,
                s[p.pos : nxt.endpos].strip(), p.pos, nxt.endpos, printed_seen,
            )
            return span, 2, False
    return None


# --- helpers for callers ---------------------------------------------------------------

_WHOLE_NOISE = re.compile(r"^[\s(（\[:：]*|[\s)）\].。:：]*$")


def parse_date(text: str, default_year: int | None = None) -> DateSpan | None:
    """A text that is one date expression and nothing else (a ``/milestone add`` argument,
    a '기한' cell): '2021-11-19', "'21.11.19.", '11월', '하반기'. None otherwise."""
    if not text or not text.strip():
        return None
    spans = find_dates(text, default_year)
    if len(spans) != 1:
        return None
    sp = spans[0]
    rest = (text[: sp.pos] + text[sp.endpos :]).strip()
    rest = _WHOLE_NOISE.sub("", rest)
    if rest and rest not in {"(", ")", "()"}:
        return None
    return sp


@lru_cache(maxsize=4096)  # every program's '□ 향후계획' asks again
def heading_year(text: str) -> int | None:
    """The year a heading speaks of: "□ '21년 추진실적" → 2021, '2016년 추진계획' → 2016."""
    if not may_begin_a_date(text):
        return None
    for sp in find_dates(text):
        if sp.year_printed:
            return sp.start.year
    return None


def month_floor(d: date) -> date:
    return date(d.year, d.month, 1)


def period_end(start: date, precision: Precision) -> date:
    """Last day of the period a date of this precision names (for 'is it over yet?')."""
    if precision is Precision.DAY:
        return start
    months = {Precision.MONTH: 1, Precision.QUARTER: 3, Precision.HALF: 6, Precision.YEAR: 12}[precision]
    y, m = start.year, start.month + months
    while m > 12:
        y, m = y + 1, m - 12
    return date.fromordinal(date(y, m, 1).toordinal() - 1)
