"""The one output shape of every reader: a tab-separated line."""

from __future__ import annotations


def as_row(cells: list[str]) -> str:
    """One tab-separated line; a one-cell row keeps a trailing tab so it stays a table line."""
    cells = [c.replace("\t", " ") for c in cells]
    if len(cells) < 2:
        cells = cells + [""] * (2 - len(cells))
    return "\t".join(cells)
