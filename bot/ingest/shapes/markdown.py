"""Markdown pipe tables (``| a | b |`` rows under a ``|---|---:|`` delimiter row).

A table is either a header line with a pipe over a delimiter row and the piped lines that
follow, or at least two consecutive lines that start with a pipe. ``\\|`` is a pipe inside
a cell. Bold markup (``**합 계**``) is kept: ``tables`` sees a bold first cell from it.
"""

from __future__ import annotations

import re

from bot.ingest.shapes.rows import as_row

_DELIM_CELL = re.compile(r"^\s*:?-+:?\s*$")
_ESCAPED_PIPE = "\x00"


def _is_delimiter(line: str) -> bool:
    """'|---|---:|' or '--- | :---:' : only dashes and colons between pipes."""
    if "|" not in line or "-" not in line:
        return False
    cells = _split(line)
    return bool(cells) and all(_DELIM_CELL.match(c) for c in cells)


def _split(line: str) -> list[str]:
    """Cells of one piped line, outer pipes dropped, ``\\|`` kept as a pipe."""
    s = line.strip().replace("\\|", _ESCAPED_PIPE)
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip().replace(_ESCAPED_PIPE, "|") for c in s.split("|")]


def _piped(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and "\t" not in line


def rewrite_markdown(lines: list[str]) -> None:
    """Rewrite every pipe table of ``lines`` in place into tab-separated rows."""
    n = len(lines)
    i = 0
    while i < n:
        start = end = -1
        if _piped(lines[i]):
            j = i
            while j < n and _piped(lines[j]):
                j += 1
            if j - i >= 2 or any(_is_delimiter(lines[k]) for k in range(i, j)):
                start, end = i, j
            else:
                i = j
                continue
        elif i + 1 < n and "|" in lines[i] and "\t" not in lines[i] and "\t" not in lines[i + 1] and _is_delimiter(lines[i + 1]):
            j = i + 2
            while j < n and lines[j].strip() and "|" in lines[j] and "\t" not in lines[j]:
                j += 1
            start, end = i, j
        if start < 0:
            i += 1
            continue
        for k in range(start, end):
            lines[k] = "\t" if _is_delimiter(lines[k]) else as_row(_split(lines[k]))
        i = end
