"""HTML table fragments (``<table>``, ``<tr>``, ``<td>``/``<th>`` with rowspan/colspan).

Each ``<tr>`` becomes one tab-separated row on the line where the ``<tr>`` starts; a row
printed over several lines leaves ``"\\t"`` on its other lines. Spanned slots of the grid
are left empty, as the tab-separated conversions print merged cells: an upper header cell
spanning columns is then what ``tables.columns`` reads as a group, and a body figure is
never counted twice. ``<b>``/``<strong>`` at the start of a cell is kept (a bold row is a
heading row for the budget reader); other tags go, entities are decoded. A table inside a
tab-separated line (an answer cell of an audit table) is not a region: it is left alone.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from bot.ingest.shapes.rows import as_row

_OPEN = re.compile(r"<table\b", re.I)
_CLOSE = re.compile(r"</table\s*>", re.I)
_ROWISH = re.compile(r"</?t[rdh]\b", re.I)
_TOKEN = re.compile(r"<(/?)(table|tr|td|th|caption)\b([^<>]{0,2000})>", re.I)
_SPAN = re.compile(r"(rowspan|colspan)\s*=\s*[\"']?\s*(\d{1,4})", re.I)
_BOLD_ATTR = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_NOT_BOLD_TAG = re.compile(r"<(?!/?(?:b|strong)\b)/?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,2000}>")
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,2000}>")
_LEADING_BOLD = re.compile(r"^\s*<(?:b|strong)\b", re.I)
MAX_SPAN = 32  # a span larger than this is a converter's error, not a layout


@dataclass
class _Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Row:
    line: int  # index into the region's lines
    cells: list[_Cell] = field(default_factory=list)


def cell_text(raw: str, attrs: str = "") -> str:
    """A cell's text: tags out, entities decoded, spaces single; '<b>…</b>' kept around it
    when the cell starts in bold."""
    s = _BR.sub(" ", raw)
    s = _NOT_BOLD_TAG.sub(" ", s)
    bold = bool(_LEADING_BOLD.match(s)) or bool(_BOLD_ATTR.search(attrs))
    s = html.unescape(_ANY_TAG.sub(" ", s)).replace("\xa0", " ")
    s = " ".join(s.split())
    return f"<b>{s}</b>" if bold and s else s


def _depth_ends(lines: list[str]) -> list[int]:
    """For each line index i, the first index j > i where the running count of opened
    minus closed tables falls back to its value before line i (-1 if never): the line
    after a table opened on line i ends. One monotonic-stack pass, linear."""
    n = len(lines)
    depth = [0] * (n + 1)
    for i, line in enumerate(lines):
        d = 0
        if "<" in line and "\t" not in line:
            d = len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        depth[i + 1] = depth[i] + d
    ends = [-1] * (n + 1)
    stack: list[int] = []
    for k in range(n + 1):
        while stack and depth[k] <= depth[stack[-1]]:
            ends[stack.pop()] = k
        stack.append(k)
    return ends


def _parse(text: str, starts: list[int]) -> tuple[list[_Row], str, int, int]:
    """Rows of the outermost table in ``text`` (region lines joined by newlines), its
    caption, and the offsets where the table opens and closes."""
    rows: list[_Row] = []
    caption = ""
    depth = 0
    row: _Row | None = None
    cell_start = -1
    cell_attrs = ""
    cap_start = -1
    opened = closed = -1

    def line_of(pos: int) -> int:
        return bisect_right(starts, pos) - 1

    def end_cell(pos: int) -> None:
        nonlocal cell_start
        if cell_start >= 0 and row is not None:
            spans = {k.lower(): int(v) for k, v in _SPAN.findall(cell_attrs)}
            row.cells.append(
                _Cell(
                    cell_text(text[cell_start:pos], cell_attrs),
                    max(1, min(spans.get("rowspan", 1), MAX_SPAN)),
                    max(1, min(spans.get("colspan", 1), MAX_SPAN)),
                )
            )
        cell_start = -1

    for m in _TOKEN.finditer(text):
        closing, tag, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
        if tag == "table":
            if not closing:
                depth += 1
                if depth == 1 and opened < 0:
                    opened = m.start()
                continue
            depth -= 1
            if depth == 0:
                end_cell(m.start())
                closed = m.end()
                break
            continue
        if depth != 1:
            continue  # a table inside a cell: its text stays in the cell
        if tag == "caption":
            if closing and cap_start >= 0:
                caption = cell_text(text[cap_start : m.start()])
                cap_start = -1
            elif not closing:
                cap_start = m.end()
            continue
        if tag == "tr":
            end_cell(m.start())
            if not closing:
                row = _Row(line_of(m.start()))
                rows.append(row)
            continue
        end_cell(m.start())  # td / th
        if not closing:
            if row is None:
                row = _Row(line_of(m.start()))
                rows.append(row)
            cell_start, cell_attrs = m.end(), attrs
    else:
        end_cell(len(text))
    return [r for r in rows if r.cells], caption, opened, closed


def _grid(rows: list[_Row]) -> list[list[str]]:
    """Place cells on a grid: each takes the first free column, spans stay empty."""
    taken: set[tuple[int, int]] = set()
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        cells: dict[int, str] = {}
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            cells[c] = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        taken = {(rr, cc) for rr, cc in taken if rr > r}
        width = max(cells) + 1 if cells else 0
        out.append([cells.get(j, "") for j in range(width)])
    return out


def _rowish_end(lines: list[str], start: int) -> int:
    """An unclosed table: it runs while lines hold row or cell tags (exclusive end)."""
    j = start + 1
    while j < len(lines) and "\t" not in lines[j] and _ROWISH.search(lines[j]):
        j += 1
    return j


def _rewrite(lines: list[str], start: int, end: int, more_rows: dict[int, list[str]], notes: list[str]) -> None:
    region = lines[start:end]
    starts: list[int] = []
    pos = 0
    for line in region:
        starts.append(pos)
        pos += len(line) + 1
    text = "\n".join(region)
    rows, caption, opened, closed = _parse(text, starts)
    if not rows:
        return
    grid = _grid(rows)
    placed: dict[int, list[str]] = {}
    for row, cells in zip(rows, grid, strict=True):
        placed.setdefault(row.line, []).append(as_row(cells))
    first, last = min(placed), max(placed)
    before = text[: max(opened, 0)].strip()
    after = text[closed:].strip() if closed >= 0 else ""
    lost: list[str] = []
    for k in range(len(region)):
        n = start + k
        if k in placed:
            lines[n] = placed[k][0]
            if len(placed[k]) > 1:
                more_rows[n + 1] = placed[k][1:]
        elif first < k < last:
            lines[n] = "\t"
        else:
            lines[n] = ""
    head = " ".join(s for s in (before, caption) if s)
    if head:
        if first > 0:
            lines[start] = head
        else:
            lost.append(head)
    if after:
        if last < len(region) - 1:
            lines[end - 1] = after
        else:
            lost.append(after)
    if lost:
        where = f"{start + 1}행" if end - start == 1 else f"{start + 1}~{end}행"
        notes.append(f"HTML 표: {where}의 표 밖 글자('{' / '.join(lost)[:40]}')를 표와 같은 줄에 둘 수 없어 읽지 않았습니다")


def rewrite_html(lines: list[str], more_rows: dict[int, list[str]], notes: list[str]) -> None:
    """Rewrite every HTML table of ``lines`` in place; rows sharing a line go to
    ``more_rows`` (1-based line numbers); what cannot be placed is noted."""
    if not any("<" in line and "\t" not in line and _OPEN.search(line) for line in lines):
        return  # no line opens a table ('<사업개요>' is a printed label, not a tag)
    ends = _depth_ends(lines)
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if "\t" in line or "<" not in line or not _OPEN.search(line):
            i += 1
            continue
        end = ends[i]
        if end < 0:
            end = _rowish_end(lines, i)
        if any("\t" in lines[k] for k in range(i, end)):
            i = end
            continue
        _rewrite(lines, i, end, more_rows, notes)
        i = end
