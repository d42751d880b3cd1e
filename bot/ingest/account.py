"""The parse account: what was read from a report, and what was seen but not understood.
One text for the CLI (``reportbot parse``/``ingest``) and the chat upload preview."""

from __future__ import annotations

from typing import Any

from bot import messages as M


def account_lines(export: dict[str, Any]) -> list[str]:
    """The summary line (title, office, date, counts) and the warnings, from ``to_export``."""
    from bot.ingest.prose_budget import PROSE_TABLE

    tables = {(b["table"], b["unit"]) for b in export["budget_lines"] if not b["table"].endswith(PROSE_TABLE)}
    prose = sum(1 for b in export["budget_lines"] if b["table"].endswith(PROSE_TABLE))
    lines = [
        M.PARSE_SUMMARY.format(
            title=export["title"],
            org=export["org"],
            date=export["report_date"],
            depts=len(export["departments"]),
            tables=len(tables),
            budget=len(export["budget_lines"]) - prose,
            prose=prose,
            programs=len(export["programs"]),
            audit=len(export["audit_items"]),
            milestones=len(export["milestones"]),
        )
    ]
    warnings = export.get("warnings") or []
    if not warnings:
        return lines + [M.PARSE_NO_WARNINGS]
    lines.append(M.PARSE_WARNINGS.format(count=len(warnings)))
    lines.extend(M.PARSE_WARNING_LINE.format(text=w) for w in warnings)
    return lines
