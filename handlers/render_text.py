"""``Reply`` → plain text: the console's output and the fallback text of Slack and
Telegram messages (notifications, screen readers, clients without rich blocks).

Table columns are padded by display width (Hangul is two cells wide) using rich's
cell measurement, so figures line up in a monospaced terminal."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from bot import messages as M
from bot.replies import Action, Reply, Table

MAX_CELL = 44  # display cells (22 Hangul); longer names are cut with an ellipsis in tables
# The last column has nothing to its right and may run longer, but not without end: a cell
# of 1,490 Hangul once made a header rule longer than a whole Slack block.
MAX_LAST_CELL = 120
MAX_COLUMNS = 12  # more are shown as one '…' column: no screen or message is that wide
GAP = "  "
_ONE_LINE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def _fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` display cells, on one line. A character takes at most
    two cells, so only the first ``4 * width`` characters are ever measured: a cell of a
    million characters costs no more than one of a hundred."""
    text = text[: width * 4].translate(_ONE_LINE)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - cell_len(text))
    return fill + text if right else text + fill


def _narrowed(table: Table) -> Table:
    """At most ``MAX_COLUMNS`` columns: the first ones kept, the rest folded into '…'."""
    width = len(table.columns)  # cells beyond the header are never shown
    if width <= MAX_COLUMNS:
        return table
    keep = MAX_COLUMNS - 1

    def fold(cells: list[str]) -> list[str]:
        cells = (cells + [""] * keep)[:width]
        return cells[:keep] + (["…"] if any(c for c in cells[keep:]) else [""])

    return Table(columns=fold(list(table.columns)), rows=[fold(list(r)) for r in table.rows], align_right=list(table.align_right[:keep]) + [False])


def render_table(table: Table, indent: str = "  ") -> list[str]:
    table = _narrowed(table)
    cols = len(table.columns)
    limits = [MAX_CELL] * (cols - 1) + [MAX_LAST_CELL]
    rows = [[_fit(str(c), limits[i]) for i, c in enumerate((row[:cols] + [""] * cols)[:cols])] for row in table.rows]
    header = [_fit(c, limits[i]) for i, c in enumerate(table.columns)]
    widths = [max([cell_len(header[i])] + [cell_len(r[i]) for r in rows]) for i in range(cols)]
    right = (table.align_right + [False] * cols)[:cols]
    out = [indent + GAP.join(_pad(header[i], widths[i], right[i]) for i in range(cols)).rstrip()]
    out.append(indent + GAP.join("-" * widths[i] for i in range(cols)))
    for r in rows:
        out.append(indent + GAP.join(_pad(r[i], widths[i], right[i]) for i in range(cols)).rstrip())
    return out


def _action_line(a: Action) -> str:
    return f"  ▸ {a.label}: {a.command}" if a.label != a.command else f"  ▸ {a.command}"


def render(reply: Reply) -> str:
    """The whole reply as text, in reading order: title, figures, table, sections,
    candidates, source, follow-ups."""
    lines: list[str] = [f"■ {reply.title}"]
    lines.extend(reply.summary)
    for label, value in reply.fields:
        lines.append(f"  {label}: {value}")
    if reply.table and reply.table.rows:
        lines.append("")
        lines.extend(render_table(reply.table))
    for section in reply.sections:
        lines.append("")
        lines.append(f"[{section.heading}]")
        lines.extend(f"  {line}" for line in section.lines)
    if reply.candidates:
        lines.append("")
        lines.append(M.RENDER_CANDIDATES)
        lines.extend(f"  {i}. {c.label} → {c.command}" for i, c in enumerate(reply.candidates, 1))
    if reply.pages > 1:
        lines.append(M.RENDER_PAGE.format(page=reply.page, pages=reply.pages))
    if reply.footnote:
        lines.append("")
        lines.append(f"※ {reply.footnote}")
    if reply.actions:
        lines.append("")
        lines.extend(_action_line(a) for a in reply.actions)
    return "\n".join(lines).rstrip() + "\n"
