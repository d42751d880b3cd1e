"""Whitespace-aligned columns as ``pdftotext -layout`` prints them.

Columns are found from the BODY rows, not by splitting on two spaces: a body row is a
label followed by figures (right-aligned amounts, '-' for zero, '△' negatives, rates,
'103,358 (28.9%)'); the figures of consecutive rows that overlap on the page are one
column. Labels may be letter-spaced ('합  계', '부  서  별') or indented ('  주차장특별회계'):
everything left of a row's first figure is its label. A region is a table only when at
least two rows carry two or more figures each (or one such row sits under a header naming
its columns: a page that continues a table) and every row's figures fall in distinct
columns, so prose and bullet lists with a figure or two are left alone.

The header lines right above the body (at most three, one blank line allowed) are read
against those columns: a word over a column names it, a word over several columns is a
group naming each of them, and words over the label area name the label column. A header
printed over two lines ('예산현액' over '(A)', '다음연도' over '이월액(C)') is merged per
column into ONE header row on its first line; its other lines become ``"\\t"``.

Positions are measured twice, in characters and in display width (Hangul counts two, as
a converter laying out a page may have counted it); the measure under which the figures
line up in fewer columns is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from bot.ingest.numbers import parse_cell
from bot.ingest.shapes.rows import as_row

_WORD = re.compile(r"\S+")
_LETTER = re.compile(r"[A-Za-z가-힣\u4e00-\u9fff]")
_UNIT_LINE = re.compile(r"단위\s*[:：)]|기준\s*[,)]|현재\s*[,)]")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*$|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$")
_SIGN_ONLY = frozenset({"△", "▵", "∆", "▲"})
MAX_HEADER_LINES = 3
MAX_LINE = 2000  # longer lines are prose, never a table row


@dataclass
class _Word:
    text: str
    start: int  # character offsets in the line
    end: int


@dataclass
class _Fig:
    text: str
    start: int
    end: int


@dataclass
class _Body:
    index: int
    label: str
    label_end: int  # character offset where the label text ends
    figs: list[_Fig]


def _words(line: str) -> list[_Word]:
    if len(line) > MAX_LINE:
        return []
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(line)]


def _chunks(words: list[_Word]) -> list[list[_Word]]:
    """Words separated by single spaces belong together; two or more spaces part them."""
    out: list[list[_Word]] = []
    for w in words:
        if out and w.start - out[-1][-1].end < 2:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _is_fig(text: str) -> bool:
    return parse_cell(text).numeric


def _chunk_figs(chunk: list[_Word]) -> list[_Fig] | None:
    """The figures of one chunk ('1,234', '103,358 (28.9%)', '△ 12', or figures printed one
    space apart), or None when any part of it is not a figure."""
    groups: list[list[_Word]] = []
    pending_sign: _Word | None = None
    for w in chunk:
        if w.text in _SIGN_ONLY:
            pending_sign = w
            continue
        if w.text.startswith("(") and groups and pending_sign is None:
            groups[-1].append(w)
            continue
        groups.append([pending_sign, w] if pending_sign else [w])
        pending_sign = None
    if pending_sign is not None or not groups:
        return None
    figs = []
    for g in groups:
        text = " ".join(w.text for w in g)
        if not _is_fig(text):
            return None
        figs.append(_Fig(text, g[0].start, g[-1].end))
    return figs


# Two words two or more spaces apart: without such a gap a line is one chunk, which is
# never a label followed by figures (most lines of a report; skipped without splitting).
_GAP = re.compile(r"\S\s{2,}\S")


def _body(index: int, line: str) -> _Body | None:
    """A label and the figures after it, or None."""
    if not _GAP.search(line):
        return None
    chunks = _chunks(_words(line))
    figs: list[_Fig] = []
    k = len(chunks)
    while k > 0:
        got = _chunk_figs(chunks[k - 1])
        if got is None:
            break
        figs[:0] = got
        k -= 1
    if not figs or k == 0:
        return None
    label = " ".join(w.text for c in chunks[:k] for w in c)
    if not _LETTER.search(label):
        return None
    return _Body(index, " ".join(label.split()), chunks[k - 1][-1].end, figs)


def _measure(line: str, wide: bool) -> list[int]:
    """pos[k] = position of character k (and pos[len] = the line's width)."""
    pos = [0] * (len(line) + 1)
    p = 0
    for k, ch in enumerate(line):
        pos[k] = p
        p += 2 if wide and unicodedata.east_asian_width(ch) in "WF" else 1
    pos[len(line)] = p
    return pos


def _columns(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping [start, end) spans into column intervals."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


@dataclass
class _Grid:
    cols: list[tuple[int, int]]
    cells: dict[int, list[str]]  # body line index -> figure cells by column
    pos: dict[int, list[int]]  # line index -> measured positions
    wide: bool


def _fit(lines: list[str], bodies: list[_Body], wide: bool) -> _Grid | None:
    pos = {b.index: _measure(lines[b.index], wide) for b in bodies}
    spans = [(pos[b.index][f.start], pos[b.index][f.end]) for b in bodies for f in b.figs]
    cols = _columns(spans)
    most = max(len(b.figs) for b in bodies)
    if len(cols) > most:
        return None  # the figures do not line up
    cells: dict[int, list[str]] = {}
    for b in bodies:
        row = [""] * len(cols)
        for f in b.figs:
            s = pos[b.index][f.start]
            j = next(j for j, (cs, ce) in enumerate(cols) if cs <= s < ce)
            if row[j]:
                return None  # two figures of one row in one column
            row[j] = f.text
        cells[b.index] = row
    return _Grid(cols, cells, pos, wide)


def _header(lines: list[str], first: int, grid: _Grid, label_end: int) -> tuple[list[str], list[int]] | None:
    """The merged header row for the body starting at line ``first`` and the header line
    indexes it came from (top first), or None when the lines above are no header."""
    width = len(grid.cols) + 1
    texts: list[list[str]] = [[] for _ in range(width)]
    used: list[int] = []
    k = first - 1
    blanks = 0
    while k >= 0 and len(used) < MAX_HEADER_LINES:
        line = lines[k].replace("\f", " ")
        if not line.strip():
            blanks += 1
            if blanks > 1:
                break
            k -= 1
            continue
        if "\t" in line or _UNIT_LINE.search(line) or _PAGE_NUMBER.match(line) or _body(k, line) is not None:
            break
        if _header_parts(line, grid, label_end) is None:
            break
        used.insert(0, k)
        k -= 1
    if not used:
        return None
    for k in used:
        for j, t in _header_parts(lines[k].replace("\f", " "), grid, label_end) or []:
            texts[j].append(t)
    named = sum(1 for j in range(1, width) if texts[j])
    if named * 2 < len(grid.cols):
        return None
    return [" ".join(t) for t in texts], used


def _header_parts(line: str, grid: _Grid, label_end: int) -> list[tuple[int, str]] | None:
    """(column, text) for each chunk of a header line; column 0 is the label column. None
    when a chunk runs from the label area into the figures (a heading or a sentence)."""
    pos = _measure(line, grid.wide)
    first_col = grid.cols[0][0]
    out: list[tuple[int, str]] = []
    in_cols = False
    for chunk in _chunks(_words(line)):
        text = " ".join(w.text for w in chunk)
        s, e = pos[chunk[0].start], pos[chunk[-1].end]
        over = [j for j, (cs, ce) in enumerate(grid.cols) if s < ce and cs < e]
        if not over:
            if e <= first_col:
                out.append((0, text))
                continue
            gap = [j for j, (cs, ce) in enumerate(grid.cols) if cs >= e]
            near = gap[0] if gap else len(grid.cols) - 1  # a word in a gap names the column after it
            over = [near]
        if s < label_end:
            return None
        in_cols = True
        for j in over:
            out.append((j + 1, text))
    return out if in_cols else None


def _label_only(line: str, grid: _Grid) -> str | None:
    """A line inside the body with words in the label area only (a group heading)."""
    words = _words(line)
    if not words:
        return None
    pos = _measure(line, grid.wide)
    if pos[words[-1].end] > grid.cols[0][0]:
        return None
    text = " ".join(w.text for w in words)
    return text if _LETTER.search(text) else None


def _runs(lines: list[str]) -> list[list[_Body | int]]:
    """Candidate bodies: body rows, with single blank or label-only lines between them."""
    runs: list[list[_Body | int]] = []
    cur: list[_Body | int] = []
    gap: list[int] = []
    for i, raw in enumerate(lines):
        if "\t" in raw:
            b = None
            line = ""
        else:
            line = raw.replace("\f", " ") if "\f" in raw else raw
            b = _body(i, line)
        if b is not None:
            cur.extend(gap)
            gap = []
            cur.append(b)
            continue
        if cur and "\t" not in raw and len(gap) < 1 and (not line.strip() or len(line.strip()) <= 40):
            gap.append(i)
            continue
        if cur:
            runs.append(cur)
        cur, gap = [], []
    if cur:
        runs.append(cur)
    return runs


def _rewrite_run(lines: list[str], run: list[_Body | int], may_split: bool = True) -> list[list[_Body | int]]:
    """Rewrite one run as a table. A run with sentences inside is handed back cut at every
    one of them (once: the pieces are then read as they are, so the work stays linear)."""
    while run and isinstance(run[-1], int):
        run = run[:-1]
    bodies = [x for x in run if isinstance(x, _Body)]
    strong = sum(1 for b in bodies if len(b.figs) >= 2)
    if strong == 0 or (strong == 1 and len(bodies) > 1):
        return []
    fits = [g for g in (_fit(lines, bodies, True), _fit(lines, bodies, False)) if g is not None]
    if not fits:
        return []
    grid = min(fits, key=lambda g: len(g.cols))
    gaps: dict[int, str] = {}
    cuts: list[int] = []
    for at, x in enumerate(run):
        if isinstance(x, int):
            line = lines[x].replace("\f", " ")
            if not line.strip():
                gaps[x] = "\t"
            elif (label := _label_only(line, grid)) is not None:
                gaps[x] = as_row([label])
            else:  # a sentence between two tables: it stays as printed and ends the table
                cuts.append(at)
    if cuts and may_split:
        bounds = [-1, *cuts, len(run)]
        return [run[a + 1 : b] for a, b in pairwise(bounds) if b - a > 1]
    label_end = max(grid.pos[b.index][b.label_end] for b in bodies)
    head = _header(lines, bodies[0].index, grid, label_end)
    if strong == 1 and head is None:
        return []  # one row of figures is a table only under a header naming its columns
    if head is not None:
        cells, used = head
        lines[used[0]] = as_row(cells)
        for k in range(used[0] + 1, bodies[0].index):
            lines[k] = "\t"
    for b in bodies:
        lines[b.index] = as_row([b.label] + grid.cells[b.index])
    for k, text in gaps.items():
        lines[k] = text
    return []


def rewrite_layout(lines: list[str]) -> None:
    """Rewrite every aligned-column table of ``lines`` in place (lines with tabs are
    already tables and are skipped)."""
    for run in _runs(lines):
        for piece in _rewrite_run(lines, run):
            _rewrite_run(lines, piece, may_split=False)
