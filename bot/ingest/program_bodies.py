"""Where each program's body is: the announced lists and the headings that open bodies.

A group of programs is announced by a list (① … ⑤, or '1.' '2.' …) and followed by
the bodies. A body normally starts with its number and title ('1' then the title on the
next line, '4 「…」 개최', '1. …'), then a one-sentence purpose line and □ sections
(사업개요, 추진실적, 향후계획 …). Conversions lose things: a body may have no heading at
all (it starts with the purpose line right after the previous body's 향후계획), and
sub-items inside a body are numbered like programs ('1 공무원 직접수행 학술용역 운영').
So the announced list is the reference: each item is matched to a heading in order, and
items without a heading are placed at the purpose lines left over between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.ingest.lines import CIRCLED, ROMAN, Lines, Section, roman_sections, squash_spaces, title_similarity
from bot.ingest.text import Document
from bot.ingest.units import looks_like_unit

_DIGIT = re.compile(r"\d")
# the first character of a list's first item: a dash before ①, ① itself, or the digit of '1.'
_LIST_START = re.compile(r"[-–·" + CIRCLED + r"]|\d")
_NOT_PLAIN_START = "□■◇◆▣○●◎-–－·ㆍ▶►※*<〈【[(「“\"'‘’⇒→✓" + CIRCLED
_TWO_LETTERS = re.compile(r"[가-힣A-Za-z]{2}")
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
_BUDGET_WORDS = re.compile(r"(세\s*입|세\s*출).*(결\s*산|현\s*황)")


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
                name = squash_spaces(m.group("name"))
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
        if lines.is_table(n) or not _LIST_START.match(lines.text[n]):
            n += 1  # neither run can begin here (both need item 1 on an untabbed line)
            continue
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
class BodyStart:
    item: int  # 0-based index into the list
    line: int  # first line of the body (number line or title line or purpose line)
    title_line: int
    title: str
    explicit: bool
    unit: str | None = None  # the 【…】 group heading's unit the list printed it under


def is_plain_text(lines: Lines, n: int) -> bool:
    """An unbulleted sentence line: candidate title or purpose line."""
    t = lines.text[n]
    if not t or lines.is_table(n):
        return False
    if t[0] in _NOT_PLAIN_START:
        return t[0] in "「“\"'‘’" and lines.kind(n) is None
    if lines.kind(n) is not None or ROMAN.match(t):
        return False
    return not _DIGIT.match(t)


def _candidates(lines: Lines, lo: int, hi: int) -> list[tuple[int, int | None, int, str, str]]:
    """(line, number or None, title line, title, how) for every line that could open a body."""
    out: list[tuple[int, int | None, int, str, str]] = []
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
                and is_plain_text(lines, k)
                and len(lines.text[k]) <= 90
                and _TWO_LETTERS.search(lines.text[k])
            ):
                out.append((n, int(m.group("num")), k, lines.text[k], "number"))
            n += 1
            continue
        m = _NUM_TITLE.match(t) or _NUM_DOT.match(t)
        if m and "\t" not in lines.raw(n) and len(t) <= 90:
            out.append((n, int(m.group("num")), n, m.group("title").strip(), "numbered"))
        elif is_plain_text(lines, n) and len(t) <= 90:
            out.append((n, None, n, t, "plain"))
        n += 1
    return out


def _is_purpose_line(lines: Lines, n: int, hi: int) -> bool:
    """A body's opening sentence: plain text, followed by a section heading (or a ■/□
    topic line) as the next non-blank line."""
    if not is_plain_text(lines, n) or len(squash_spaces(lines.text[n])) < 15:
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
        if number is not None and number == j + 1 and (how == "number" or sim >= 0.5):
            return j
        if how != "number" and sim >= 0.85:
            return j
    return None


def _place_bodies(lines: Lines, lst: _List, lo: int, hi: int) -> list[BodyStart]:
    """Where each item of ``lst`` starts between ``lo`` and ``hi``: at the heading that
    opens it, else at a purpose line between its neighbours."""
    items = [t for _, t in lst.items]
    found = {s.item: s for s in _headed_bodies(lines, items, lo, hi)}
    return _fill_unheaded(lines, lst, items, found, lo, hi)


def _headed_bodies(lines: Lines, items: list[str], lo: int, hi: int) -> list[BodyStart]:
    """The items whose body opens with a heading that matches them, in order."""
    starts: list[BodyStart] = []
    i = 0
    for n, number, title_line, title, how in _candidates(lines, lo, hi):
        if i >= len(items):
            break
        if starts and n <= starts[-1].title_line:
            continue
        j = _match_item(title, number, how, items, i)
        if j is None or not _has_body(lines, title_line, hi):
            continue
        starts.append(BodyStart(j, n, title_line, title, True))
        i = j + 1
    return starts


def _fill_unheaded(
    lines: Lines, lst: _List, items: list[str], found: dict[int, BodyStart], lo: int, hi: int
) -> list[BodyStart]:
    """Every item's start: the headed ones as found, the others at the purpose lines left
    between their neighbours (in order), by line."""
    filled: list[BodyStart] = []
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
            filled.append(BodyStart(item, n, n, items[item], False))
        if purposes:
            prev_floor = _first_heading_after(lines, purposes[min(len(purposes), k - j) - 1], hi)
        j = k
    filled.sort(key=lambda s: s.line)
    return filled


def _group_title(lines: Lines, lst: _List, section: Section) -> str:
    k = lines.prev_nonblank(lst.start, max(section.start, lst.start - 6))
    for _ in range(3):
        if k is None:
            break
        t = lines.text[k]
        if _NUM_DOT.match(t) or ROMAN.match(t):
            return t
        k = lines.prev_nonblank(k, max(section.start, k - 4))
    roman = lines.text[section.start]
    return roman


def _list_region_end(lines: Lines, nxt: _List | None, section: Section) -> int:
    if nxt is None:
        return section.end
    end = nxt.start - 1
    k = lines.prev_nonblank(nxt.start, section.start)
    if k is not None and (_NUM_DOT.match(lines.text[k]) or ROMAN.match(lines.text[k])):
        end = k - 1
    return end


def find_program_bodies(doc: Document, lines: Lines | None = None) -> list[tuple[Section, str, str, BodyStart, int]]:
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
