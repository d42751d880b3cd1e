"""Tab-separated tables as the converter left them.

A table is a run of consecutive lines holding tabs. Its first rows are headers
(rows without any figure); a header may span two lines, the upper one naming a
group of columns ("총계" over "정원 | 현원", "신속집행" over "대상 | 제외"). Cells may
carry HTML ("<b>합 계</b>", "<ul>…") and letter-spacing ("예 산 액"). A table that
continues on a new page repeats its header; ``same_header`` lets callers join it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.ingest.numbers import is_figure
from bot.ingest.text import Document, clean, squash


@dataclass
class Row:
    line: int  # 1-based line in the report
    cells: list[str]  # cleaned text of each tab-separated cell, trailing empties dropped
    bold: bool = False  # the first cell was printed in bold (<b>, <strong>, **): a heading row

    def cell(self, j: int) -> str:
        return self.cells[j] if j < len(self.cells) else ""

    _key: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, ...]:
        """The row without spacing, to recognise a repeated header (made once, when asked)."""
        if self._key is None:
            self._key = tuple("".join(c.split()) for c in self.cells)
        return self._key


@dataclass
class Block:
    """One run of tabbed lines, split into header rows and body rows."""

    header: list[Row]
    body: list[Row]
    start: int
    end: int

    @property
    def header_key(self) -> tuple[tuple[str, ...], ...]:
        return tuple(r.key for r in self.header)


@dataclass
class Column:
    """One column's header: ``group`` from an upper header line (spanning several
    columns), ``sub`` from the line below; ``text`` is how staff would name it."""

    index: int
    group: str
    sub: str
    text: str = field(default="")


_BOLD = re.compile(r"^\s*(?:<(?:b|strong)\b[^>]*>|\*\*)", re.I)
_MEANINGFUL = re.compile(r"[0-9A-Za-z가-힣\u4e00-\u9fff-]")
_NEEDS_CLEAN = re.compile(r"[<&*#]")


def _clean_cell(cell: str) -> str:
    """``clean`` for cells, skipping its costlier steps for the common plain cell."""
    if _NEEDS_CLEAN.search(cell) or not unicodedata.is_normalized("NFKC", cell):
        return clean(cell)
    return " ".join(cell.split())


def split_row(text: str) -> list[str]:
    """Cells of one tabbed line, each cleaned (no HTML, single spaces)."""
    cells = [_clean_cell(c) for c in text.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


_PAIR = re.compile(r"^\d[\d,]*\s*/\s*\d[\d,]*")  # '39/38 (18)', '261 / 251': two counts in one cell


def is_header_row(row: Row) -> bool:
    """A header row names columns: no cell in it is a figure."""
    return not any(is_figure(c) or _PAIR.match(c) for c in row.cells)


_RECENT: list[tuple[list[str], list[Block]]] = []  # the last few documents' tables


def find_blocks(doc: Document) -> list[Block]:
    """Every table in the document, in order. Lines whose cells are all empty belong to
    the table they sit in but are dropped; a line without a tab ends the table.
    Several sub-parsers ask for the same document's tables; they are read once."""
    for lines, blocks in _RECENT:
        if lines is doc.lines:
            return blocks
    blocks = _find_blocks(doc)
    _RECENT.insert(0, (doc.lines, blocks))
    del _RECENT[4:]
    return blocks


def _find_blocks(doc: Document) -> list[Block]:
    blocks: list[Block] = []
    rows: list[Row] = []
    start = 0

    def close(end: int) -> None:
        if rows:
            depth = 0
            while depth < len(rows) and is_header_row(rows[depth]):
                depth += 1
            blocks.append(Block(header=rows[:depth], body=rows[depth:], start=start, end=end))

    more = doc.more_rows
    for n, text in doc.numbered():
        if "\t" in text:
            for row_text in [text, *more[n]] if n in more else (text,):
                cells = split_row(row_text)
                if not any(_MEANINGFUL.search(c) for c in cells):
                    cells = []  # only brackets, stray marks or emptied tags: not a row
                if not rows and not cells:
                    continue
                if not rows:
                    start = n
                if cells:
                    rows.append(Row(n, cells, bool(_BOLD.match(row_text))))
            continue
        if rows:
            close(n - 1)
            rows = []
    if rows:
        close(len(doc.lines))
    return blocks


def _join(group: str, sub: str) -> str:
    if not sub:
        return group
    if not group:
        return sub
    if squash(sub) in squash(group):
        return group
    return f"{group} {sub}"


def columns(header: list[Row]) -> list[Column]:
    """Column names from one or more header lines. An empty upper cell above a named
    lower cell continues the group to its left (a merged cell in the original) when the
    cell to its left is itself split below; a row-label column ('구분') never is."""
    if not header:
        return []
    width = max(len(r.cells) for r in header)
    groups = [""] * width
    for r in header[:-1]:
        upper = [r.cell(j) for j in range(width)]
        lower = header[-1]
        for j in range(width):
            if not upper[j] and j > 0 and upper[j - 1] and lower.cell(j) and lower.cell(j - 1):
                upper[j] = upper[j - 1]
            groups[j] = _join(groups[j], upper[j])
    last = header[-1] if len(header) > 1 else None
    out = []
    for j in range(width):
        if last is None:
            group, sub = header[0].cell(j), ""
        else:
            group, sub = groups[j], last.cell(j)
        out.append(Column(j, group, sub, _join(group, sub)))
    return out


def is_repeat_of_header(row: Row, block: Block) -> bool:
    """A header line printed again inside the body (a page break within one run)."""
    return any(len(row.cells) == len(h.cells) and row.key == h.key for h in block.header)
