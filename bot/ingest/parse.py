"""Runs the sub-parsers over one document in dependency order.

Programs need the departments and budget rows (to know whose program it is);
milestones need the programs (to know what each dated line belongs to)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.ingest.audit import parse_audit
from bot.ingest.budget import parse_budget
from bot.ingest.departments import parse_departments
from bot.ingest.header import CoverOverride, parse_cover
from bot.ingest.milestones import parse_milestones
from bot.ingest.programs import parse_programs
from bot.ingest.prose_budget import parse_prose_budget
from bot.ingest.text import MAX_REPORT_BYTES, Document, NotAReportError, document_from_bytes, load_document
from bot.ingest.units import looks_like_unit
from bot.models import Department, ParsedReport, Report, Source


def parse_document(doc: Document, given: CoverOverride | None = None) -> ParsedReport:
    cover = parse_cover(doc, given)
    doc.report_date = cover.report_date
    doc.report_date_precision = cover.precision
    doc.title, doc.org = cover.title, cover.org
    doc.notes[:0] = cover.warnings
    report = Report(
        id=doc.report_id,
        doc=doc.doc,
        title=cover.title,
        org=cover.org,
        report_date=cover.report_date,
        report_date_precision=cover.precision,
        kind="settlement" if cover.kind == "settlement" else "work",
        fiscal_year=cover.fiscal_year,
        line_count=len(doc.lines),
    )
    departments = parse_departments(doc)
    budget_lines = parse_budget(doc, departments)
    departments = _with_units_seen(doc, departments, ((b.dept, b.source.line) for b in budget_lines))
    programs = parse_programs(doc, departments, budget_lines)
    budget_lines = budget_lines + parse_prose_budget(doc, programs, budget_lines)
    audit_items, audit_summary = parse_audit(doc, departments)
    milestones = parse_milestones(doc, programs, audit_items)
    departments = _with_units_seen(
        doc,
        departments,
        [(a.dept, a.source.line) for a in audit_items] + [(p.dept, p.line) for p in programs],
    )
    if not (departments or budget_lines or programs or audit_items or milestones):
        raise NotAReportError("보고서 내용(조직·예산·주요업무·감사·일정)을 하나도 찾을 수 없습니다")
    return ParsedReport(
        report=report,
        departments=departments,
        budget_lines=budget_lines,
        programs=programs,
        audit_items=audit_items,
        audit_summary=audit_summary,
        milestones=milestones,
        warnings=list(doc.notes),
    )


def _with_units_seen(
    doc: Document, departments: list[Department], seen: Iterable[tuple[str | None, int | None]]
) -> list[Department]:
    """The organisation as the whole report shows it: units named by a table's department
    rows, an audit item or a program heading join those of the 인력 table."""
    known = {d.name for d in departments}
    out = list(departments)
    for name, line in seen:
        for part in (name or "").split(", "):
            if part and part not in known and looks_like_unit(part):
                known.add(part)
                out.append(Department(name=part, source=Source(report_id=doc.report_id, doc=doc.doc, line=line)))
    return out


def parse_file(path: Path, given: CoverOverride | None = None, max_bytes: int = MAX_REPORT_BYTES) -> ParsedReport:
    doc, _ = load_document(path, max_bytes)
    return parse_document(doc, given)


def parse_bytes(
    name: str, data: bytes, given: CoverOverride | None = None, max_bytes: int = MAX_REPORT_BYTES
) -> ParsedReport:
    return parse_document(document_from_bytes(name, data, max_bytes), given)
