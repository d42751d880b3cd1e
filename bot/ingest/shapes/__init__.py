"""Tables in every shape a conversion prints, rewritten into the one shape the parser reads.

The sub-parsers read tables as runs of tab-separated lines (``bot.ingest.tables``). HWP/PDF
converters also print Markdown pipe tables, HTML ``<table>`` fragments and
``pdftotext -layout`` columns. Each reader here finds its shape and rewrites the table
region in place, ON THE SAME LINE NUMBERS (they are quoted to users as sources): a row goes
on the line where it was printed, lines of the region that hold no row become ``"\\t"``
(inside the table, dropped) or ``""`` (outside it). Rows that share one printed line (a
whole HTML table on one line) are all kept: the first on that line, the others in
``Shaped.more_rows`` under the same line number, which ``find_blocks`` reads as rows of that
line. Tab-separated text is never touched: every reader skips lines that hold a tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ingest.shapes.html import rewrite_html
from bot.ingest.shapes.layout import rewrite_layout
from bot.ingest.shapes.markdown import rewrite_markdown
from bot.ingest.shapes.rows import as_row

__all__ = ["Shaped", "as_row", "read_shapes"]


@dataclass
class Shaped:
    lines: list[str]
    more_rows: dict[int, list[str]] = field(default_factory=dict)  # 1-based line -> further rows
    notes: list[str] = field(default_factory=list)


def read_shapes(lines: list[str]) -> Shaped:
    """Every table of ``lines`` as tab-separated rows (a new list; ``lines`` is not changed).
    HTML first (its cells may hold pipes or aligned text), then Markdown, then aligned
    columns, which only looks at lines the others left as they were."""
    out = Shaped(list(lines))
    _cap_lines(out.lines, MAX_RAW_LINE_CHARS, out.notes)
    rewrite_html(out.lines, out.more_rows, out.notes)
    rewrite_markdown(out.lines)
    rewrite_layout(out.lines)
    _cap_rows(out, out.notes)
    _cap_lines(out.lines, MAX_LINE_CHARS, out.notes)
    return out


# Bounds that hold every sub-parser to linear work whatever a file holds. No line of a real
# report comes near them (a whole HTML table printed on one line is cut into rows first);
# a hostile or broken file is read up to them and the cut said in the parse account.
MAX_RAW_LINE_CHARS = 400_000  # before the shape readers: a one-line HTML table of ~8,000 cells
MAX_LINE_CHARS = 20_000  # after them: what the sub-parsers see
MAX_CELLS = 200  # cells of one table row


def _cap_lines(lines: list[str], limit: int, notes: list[str]) -> None:
    cut = [i for i, line in enumerate(lines) if len(line) > limit]
    for i in cut:
        lines[i] = lines[i][:limit]
    if cut:
        where = ", ".join(f"{i + 1}행" for i in cut[:5]) + (f" 외 {len(cut) - 5}줄" if len(cut) > 5 else "")
        notes.append(f"긴 줄: {where}은 {limit:,}자가 넘어 앞의 {limit:,}자만 읽었습니다")


def _capped_row(row: str) -> str | None:
    """The first ``MAX_CELLS`` cells of a tab-separated row, or None when it has no more."""
    if row.count("\t") < MAX_CELLS:
        return None
    return "\t".join(row.split("\t", MAX_CELLS)[:MAX_CELLS])


def _cap_rows(out: Shaped, notes: list[str]) -> None:
    cut: list[int] = []
    for i, line in enumerate(out.lines):
        capped = _capped_row(line) if "\t" in line else None
        if capped is not None:
            out.lines[i] = capped
            cut.append(i + 1)
    for n, rows in out.more_rows.items():
        for j, row in enumerate(rows):
            capped = _capped_row(row)
            if capped is not None:
                rows[j] = capped
                cut.append(n)
    if cut:
        cut = sorted(set(cut))
        where = ", ".join(f"{n}행" for n in cut[:5]) + (f" 외 {len(cut) - 5}줄" if len(cut) > 5 else "")
        notes.append(f"표: {where}의 칸이 {MAX_CELLS}개가 넘어 앞의 {MAX_CELLS}칸만 읽었습니다")

