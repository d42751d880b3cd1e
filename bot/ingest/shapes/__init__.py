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
    rewrite_html(out.lines, out.more_rows, out.notes)
    rewrite_markdown(out.lines)
    rewrite_layout(out.lines)
    return out

