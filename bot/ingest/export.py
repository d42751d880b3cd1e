"""The ``reportbot parse --json`` export (shape: tests/fixtures/golden/SCHEMA.md)."""

from __future__ import annotations

from typing import Any

from bot.models import ParsedReport


def to_export(parsed: ParsedReport) -> dict[str, Any]:
    r = parsed.report
    summary = None
    if parsed.audit_summary:
        s = parsed.audit_summary
        summary = {"total": s.total, **s.counts, "by_kind": s.by_kind}
    return {
        "doc": r.doc,
        "title": r.title,
        "org": r.org,
        "report_date": r.report_date.isoformat(),
        "departments": [
            {"name": d.name, "quota": d.quota, "current": d.current, "teams": d.teams, "line": d.source.line}
            for d in parsed.departments
        ],
        "budget_lines": [
            {
                "table": b.table,
                "as_of": b.as_of.isoformat() if b.as_of else None,
                "unit": b.unit,
                "dept": b.dept,
                "level": b.level,
                "name": b.name,
                "values": dict(b.values),
                "line": b.source.line,
            }
            for b in parsed.budget_lines
        ],
        "audit_items": [
            {
                "kind": a.kind,
                "dept": a.dept,
                "status": a.status.value,
                "request_head": a.request_head,
                "request": a.request,
                "action": a.action,
                "plan": a.plan,
                "due": a.due.isoformat() if a.due else None,
                "number": a.number,
                "line": a.source.line,
            }
            for a in parsed.audit_items
        ],
        "audit_summary": summary,
        "milestones": [
            {
                "title": m.title,
                "start": m.start.isoformat(),
                "end": m.end.isoformat() if m.end else None,
                "precision": m.precision.value,
                "program": m.program,
                "dept": m.dept,
                "line": m.source.line if m.source else None,
                "date_text": m.date_text,
            }
            for m in parsed.milestones
        ],
        "programs": [
            {"title": p.title, "dept": p.dept, "budget_text": p.budget_text, "line": p.line}
            for p in parsed.programs
        ],
        "warnings": list(parsed.warnings),
    }
