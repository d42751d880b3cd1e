"""OWPML section XML (the body of an HWPX package, and what an HWP 5 file converts to)
as the parser's lines: a paragraph is a line, a table is a run of tab-separated rows.

Cells are placed on a grid by their ``cellAddr`` (or, without one, the first free slot)
and a merged cell's other slots stay empty, as ``shapes/html.py`` does and as the
tab-separated conversions print merged cells. Page headers, footers, footnotes and
hidden fields are not report text and are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from bot.ingest.formats.limits import FormatError
from bot.ingest.shapes.rows import as_row

MAX_SPAN = 32  # as in shapes/html.py: a larger span is a writer's error, not a layout
MAX_COLUMNS = 256
# Not report text: running page header/footer, notes, page numbers, hidden comments.
_SKIP = frozenset({"header", "footer", "footNote", "endNote", "pageNum", "hiddenComment", "secPr", "colPr", "fieldBegin", "fieldEnd", "pageHiding", "pageNumCtrl", "newNum", "autoNum", "linesegarray", "memo"})


def _local(tag: object) -> str:
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, what: str) -> ET.Element:
    """An OWPML part never declares a DTD: one that does is refused rather than expanded
    (entity expansion is the classic XML bomb)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise FormatError(f"{what}에 허용하지 않는 XML 선언(DTD)이 있습니다")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise FormatError(f"{what}의 XML이 손상되었습니다") from exc


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        line = " ".join(line.split())
        if not line and self.lines and self.lines[-1] == "":
            return  # one blank line between blocks is enough
        self.lines.append(line)

    def add_row(self, row: str) -> None:
        self.lines.append(row)


def section_lines(roots: list[ET.Element]) -> list[str]:
    """The lines of the sections in order."""
    out = _Writer()
    for root in roots:
        _container(root, out)
    while out.lines and out.lines[-1] == "":
        out.lines.pop()
    return out.lines


def _container(el: ET.Element, out: _Writer) -> None:
    for child in el:
        name = _local(child.tag)
        if name in _SKIP:
            continue
        if name == "p":
            _paragraph(child, out)
        elif name == "tbl":
            _table(child, out)
        else:
            _container(child, out)


def _paragraph(p: ET.Element, out: _Writer) -> None:
    buf: list[str] = []

    def flush() -> None:
        out.add("".join(buf))
        buf.clear()

    def visit(el: ET.Element) -> None:
        for c in el:
            name = _local(c.tag)
            if name in _SKIP:
                continue
            if name == "t":
                _run_text(c, buf, flush)
            elif name == "tbl":
                if "".join(buf).strip():
                    flush()
                buf.clear()
                _table(c, out)
            elif name == "p":
                if "".join(buf).strip():
                    flush()
                buf.clear()
                _paragraph(c, out)
            else:
                visit(c)

    visit(p)
    flush()


def _run_text(t: ET.Element, buf: list[str], line_break: Callable[[], None] | None) -> None:
    """``<hp:t>`` text with its inline marks: a tab is a space (alignment, not a column),
    a line break ends the printed line."""
    buf.append(t.text or "")
    for sub in t:
        name = _local(sub.tag)
        if name == "lineBreak" and line_break is not None:
            line_break()
        elif name in ("tab", "nbSpace", "fwSpace", "hyphen"):
            buf.append(" " if name != "hyphen" else "-")
        buf.append(sub.tail or "")


def _cell_text(tc: ET.Element) -> str:
    """Every paragraph of a cell on one line (a cell is one field of a row)."""
    parts: list[str] = []

    def visit(el: ET.Element) -> None:
        for c in el:
            name = _local(c.tag)
            if name in _SKIP:
                continue
            if name == "t":
                buf: list[str] = []
                _run_text(c, buf, None)
                parts.append("".join(buf))
            elif name == "p":
                parts.append(" ")
                visit(c)
            else:
                visit(c)

    visit(tc)
    return " ".join("".join(parts).split())


def _int(el: ET.Element | None, attr: str, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(attr, default))
    except (TypeError, ValueError):
        return default


def _table(tbl: ET.Element, out: _Writer) -> None:
    """A table as rows; merged cells' other slots left empty."""
    grid: dict[int, dict[int, str]] = {}
    taken: set[tuple[int, int]] = set()
    n_rows = 0
    for r, tr in enumerate(c for c in tbl if _local(c.tag) == "tr"):
        col = 0
        for tc in (c for c in tr if _local(c.tag) == "tc"):
            addr = next((c for c in tc if _local(c.tag) == "cellAddr"), None)
            span = next((c for c in tc if _local(c.tag) == "cellSpan"), None)
            row_at = _int(addr, "rowAddr", r)
            if addr is not None and addr.get("colAddr") is not None:
                col = _int(addr, "colAddr", col)
            else:
                while (row_at, col) in taken:
                    col += 1
            if col >= MAX_COLUMNS or row_at < 0 or col < 0:
                continue
            rs = max(1, min(_int(span, "rowSpan", 1), MAX_SPAN))
            cs = max(1, min(_int(span, "colSpan", 1), MAX_SPAN))
            grid.setdefault(row_at, {})[col] = _cell_text(tc)
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((row_at + dr, col + dc))
            n_rows = max(n_rows, row_at + 1)
            col += cs
    width = max((c + 1 for row in grid.values() for c in row), default=0)
    width = max(width, max((c + 1 for (_, c) in taken), default=0))
    if width == 0:
        return
    if out.lines and out.lines[-1] != "":
        out.lines.append("")
    for r in range(n_rows):
        cells = grid.get(r, {})
        out.add_row(as_row([cells.get(c, "") for c in range(min(width, MAX_COLUMNS))]))
    out.lines.append("")
