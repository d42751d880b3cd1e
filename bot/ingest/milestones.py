"""Dated items of program bodies (and of 감사 answers) into ``Milestone`` records.

The walk: each program's body section by section (the section's kind and the year its
heading names decide which dates count, :mod:`bot.ingest.milestone_rules`), table rows
cell by cell (a header row says which column names the items and which the unit),
report-level plan parts that hold no program, and the planned dates in 감사 answers.
Titles are made by :mod:`bot.ingest.milestone_titles`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.ingest.dates import DateSpan, find_dates, heading_year
from bot.ingest.header import parse_cover
from bot.ingest.lines import (
    DONE,
    INFO,
    PLAN,
    Lines,
    cells,
    heading_kind_of,
    roman_sections,
    section_map,
    squash_spaces,
    tidy,
    title_similarity,
)
from bot.ingest.milestone_rules import PAST, Period, from_text
from bot.ingest.milestone_titles import Context, label_of
from bot.ingest.text import Document
from bot.ingest.units import looks_like_unit
from bot.models import AuditItem, Milestone, Program, Source

_AUDIT_PLAN = re.compile(r"(?<!및)(?<!및\s)향후\s*(?:추진\s*)?계획")
_PAST_HEADING = re.compile(r"경과(?:\(.{0,6}\))?$")


def _body_start(lines: Lines, p: Program) -> int:
    """The first line after a program's printed title (its purpose line when the body
    had no heading)."""
    t = lines.text[p.line] if p.line <= lines.count else ""
    return p.line + 1 if t and title_similarity(t, p.title) >= 0.6 else p.line


@dataclass
class _Scope:
    """What the dated lines of one walk belong to: a program, or a report-level plan
    section ('Ⅴ. 향후 일정') outside every program."""

    name: str  # the program's title or the section's
    dept: str | None
    lo: int
    hi: int
    body_start: int
    year: int | None  # the plan year of the part it sits in (headings inside may name another)
    loose_kind: str = INFO  # kind of the lines before the first section heading


_UNIT_IN_PARENS = re.compile(r"\(\s*(?P<unit>[^()]{2,20}?)\s*\)$")
_SUBSECTION = re.compile(r"^(?:[가-하]\.|\d{1,2}[.)]|[□■◇◆▣]|\(\d{1,2}\)|[①-⑳])")
_GROUP_LINE = re.compile(r"^[【\[<〈《]\s*(?P<name>[^】\]>〉》]{1,20}?)\s*[】\]>〉》]$")


def _unit_heading(lines: Lines, n: int) -> str | None:
    """The unit a sub-section heading names for the items under it: '#### 가. 감염병
    대응 (가람행정과)', '② 시설 점검 (안전총괄과)', '【도로과】'. Not a dated item's line."""
    t = lines.text[n]
    if not t or lines.is_table(n):
        return None
    m = _GROUP_LINE.match(t)
    if m:
        name = squash_spaces(m.group("name"))
        return name if looks_like_unit(name) else None
    if not t.endswith(")") or not (lines.heading_mark(n) or _SUBSECTION.match(t)):
        return None  # the unit is a parenthesis that ends the heading
    m = _UNIT_IN_PARENS.search(t)
    if not m or find_dates(t):
        return None
    name = squash_spaces(m.group("unit"))
    return name if looks_like_unit(name) else None


def _section_reading(lines: Lines, scope: _Scope, period: Period, a: int, kind: str, head: int) -> tuple[str, int | None, bool]:
    """How a section's dates are read: its kind (the scope's loose kind before any heading,
    PAST under a '추진경과' heading), the year its heading names (else the scope's, else the
    report's), and whether it has a heading."""
    is_heading = lines.kind(head) is not None
    if not is_heading and head == a:
        kind = scope.loose_kind
    year = (heading_year(lines.text[head]) if is_heading else None) or scope.year or period.year
    if kind == DONE and is_heading and _PAST_HEADING.search(squash_spaces(lines.text[head])):
        kind = PAST
    return kind, year, is_heading


def _walk(doc: Document, lines: Lines, scope: _Scope, period: Period) -> list[Milestone]:
    """The milestones of one scope, section by section and line by line: a sub-section
    heading that names a unit owns the lines under it, a table's header row says which
    columns name and own the items of the rows under it."""
    out: list[Milestone] = []
    unit: str | None = None
    header: list[str] | None = None
    for a, b, section_kind, head in section_map(lines, scope.body_start, scope.hi):
        kind, year, is_heading = _section_reading(lines, scope, period, a, section_kind, head)
        read = _Reading(scope.name, kind, year, period)
        for n in range(a, b + 1):
            t = lines.text[n]
            if not t:
                continue
            if not lines.is_table(n):
                header = None
                found_unit = _unit_heading(lines, n)
                if found_unit is not None or lines.heading_mark(n):
                    unit = found_unit  # a new sub-section: its own unit, or none
                    if found_unit is not None:
                        continue
            dept = unit or scope.dept
            if n == head and is_heading:
                m = label_of(t)
                if not m:
                    continue
                t = m.group("value")  # '그간 추진실적 : 방문객 … (기준)'
            if lines.is_table(n):
                row = [tidy(x) for x in lines.raw(n).split("\t")]
                if header is None:
                    header = _header_of(row)
                    if header is not None:
                        continue
                out.extend(_row_milestones(doc, n, row, header, dept, read))
            else:
                out.extend(_line_milestones(doc, lines, n, t, dept, read, (a, scope.body_start)))
    return out


def _line_milestones(
    doc: Document, lines: Lines, n: int, text: str, dept: str | None, read: _Reading, starts: tuple[int, int]
) -> list[Milestone]:
    """The dated items of line ``n`` (a line with no digit and no half holds none);
    ``starts`` are its section's and its body's first lines, where titles look up to."""
    if not any(map(str.isdigit, text)) and "반기" not in text and "下" not in text and "上" not in text:
        return []
    ctx = Context(read.program, lines, n, *starts)
    found = from_text(text, kind=read.kind, year=read.year, period=read.period, ctx=ctx)
    return [_milestone(doc, None, sp, title, n, program=read.program, dept=dept) for sp, title in found]


@dataclass
class _Reading:
    """What the dates of one section are read with: whose they are and by which rules."""

    program: str
    kind: str
    year: int | None
    period: Period


def _row_milestones(
    doc: Document, n: int, row: list[str], header: list[str] | None, dept: str | None, read: _Reading
) -> list[Milestone]:
    """The dated cells of one table row: the row's name column titles them, its unit
    column ('부서', '담당') owns them; without a header every other cell may lend a title."""
    out: list[Milestone] = []
    name_col, dept_col = _columns(header) if header else (None, None)
    row_dept = dept
    if dept_col is not None and dept_col < len(row) and looks_like_unit(squash_spaces(row[dept_col])):
        row_dept = squash_spaces(row[dept_col])
    for ci, cell in enumerate(row):
        if not cell or ci in (name_col, dept_col):
            continue
        name = row[name_col] if name_col is not None and name_col < len(row) and row[name_col] else None
        others = [c for j, c in enumerate(row[:_MAX_CELLS]) if j != ci and c]
        ctx = Context(read.program, other_cells=others, name_cell=name)
        for sp, title in from_text(cell, kind=read.kind, year=read.year, period=read.period, ctx=ctx, table_cell=True):
            out.append(_milestone(doc, None, sp, title, n, program=read.program, dept=row_dept))
    return out


_MAX_CELLS = 40  # a title borrows from a row's first cells only (a row of thousands is not a table)
_NAME_HEADER = re.compile(r"(?:명|명칭)$")
_TOPIC_HEADER = re.compile(r"(?:내용|사업|과제|행사|항목)$")
_DEPT_HEADER = re.compile(r"(?:부서|담당|소관|주관|부서명)")


def _header_of(row: list[str]) -> list[str] | None:
    """A table's header row: no dates, at least two cells, and a column that names the
    items ('행 사 명', '사업명', '내용') — then the rows under it are read by column."""
    if len([c for c in row if c]) < 2 or any(find_dates(c) for c in row if c):
        return None
    squashed = [squash_spaces(c) for c in row]
    if any(_NAME_HEADER.search(c) or _TOPIC_HEADER.search(c) for c in squashed if c):
        return squashed
    return None


def _columns(header: list[str]) -> tuple[int | None, int | None]:
    dept = next((i for i, c in enumerate(header) if c and _DEPT_HEADER.search(c)), None)
    name = next((i for i, c in enumerate(header) if c and i != dept and _NAME_HEADER.search(c)), None)
    if name is None:
        name = next((i for i, c in enumerate(header) if c and i != dept and _TOPIC_HEADER.search(c)), None)
    return name, dept


def _program_milestones(doc: Document, lines: Lines, p: Program, period: Period, year: int | None) -> list[Milestone]:
    scope = _Scope(p.title, p.dept, p.line, p.end_line or p.line, _body_start(lines, p), year)
    return _walk(doc, lines, scope, period)


def _section_milestones(
    doc: Document, lines: Lines, programs: list[Program], period: Period, years: _Years, org_unit: str | None
) -> list[Milestone]:
    """Report-level plan parts ('Ⅴ. 향후 일정', 'Ⅲ. 하반기 주요 행사 일정') that hold no
    program: every dated item in them, owned by a unit column or heading, else the office."""
    out: list[Milestone] = []
    program_lines = sorted(p.line for p in programs)
    for sec in roman_sections(lines):
        if sec.audit or not sec.title or heading_kind_of(tidy(sec.title)) != PLAN:
            continue
        k = bisect.bisect_left(program_lines, sec.start)
        if k < len(program_lines) and program_lines[k] <= sec.end:
            continue  # a program sits in it
        name = re.sub(r"\s+", " ", sec.title).strip()
        scope = _Scope(name, org_unit, sec.start, sec.end, sec.start + 1, years.at(sec.start), loose_kind=PLAN)
        out.extend(_walk(doc, lines, scope, period))
    return out


@dataclass
class _Years:
    """The plan year of each part of the report: the year its roman heading names
    ('Ⅲ. 2024년 주요업무 추진계획'), else the one the title names ('2024년 주요업무계획',
    reported in December 2023), else none (the report's year applies)."""

    parts: list[tuple[int, int, int | None]]  # the report's parts in order, none overlapping
    title_year: int | None

    def at(self, n: int) -> int | None:
        k = bisect.bisect_right(self.parts, n, key=lambda part: part[0]) - 1
        if k >= 0:
            lo, hi, year = self.parts[k]
            if lo <= n <= hi and year is not None:
                return year
        return self.title_year

    @classmethod
    def of(cls, lines: Lines, title: str | None) -> _Years:
        parts = [(sec.start, sec.end, heading_year(sec.title) if sec.title else None) for sec in roman_sections(lines)]
        return cls(parts, heading_year(title) if title else None)


def _cover(doc: Document) -> tuple[str | None, str | None]:
    """The report's title and issuing unit, as the cover reader found them (read again
    only when this reader is used on its own)."""
    title, org = doc.title, doc.org
    if title is None:
        try:
            cover = parse_cover(doc)
        except Exception:  # a cover the reader rejects leaves these unknown
            return None, None
        title, org = cover.title, cover.org
    words = org.split() if org else []
    unit = words[-1] if words and looks_like_unit(words[-1]) else None
    return title, unit


def _milestone(doc: Document, p: Program | None, sp: DateSpan, title: str, line: int, *,
               program: str | None = None, dept: str | None = None) -> Milestone:
    return Milestone(
        title=title[:200] or (p.title if p else ""),
        start=sp.start,
        end=sp.end,
        precision=sp.precision,
        program=program if program is not None else (p.title if p else None),
        dept=dept if dept is not None else (p.dept if p else None),
        date_text=sp.text,
        source=Source(report_id=doc.report_id, doc=doc.doc, line=line),
    )


# --- 감사 answers ---------------------------------------------------------------------------------------

_DEPT_IN_PARENS = re.compile(r"\(\s*([^()]{2,20}?(?:담당관|과|실|국|본부|단|센터))\s*\)")
_SENTENCE = re.compile(r"\s+(?=[○□▶◦]|-\s)")


def _audit_milestones(doc: Document, lines: Lines, audit_items: list[AuditItem], period: Period) -> list[Milestone]:
    """Planned dates inside 감사 처리결과 answers: what an answer says will happen
    ('… 연구용역 : '21.10.~'22.5.(예정)', anything under its own 향후계획)."""
    out: list[Milestone] = []
    by_line = {a.source.line: a for a in audit_items if a.source.line}
    for sec in roman_sections(lines):
        if not sec.audit:
            continue
        title = re.sub(r"\s+", " ", lines.text[sec.start]).strip()
        for n in range(sec.start + 1, sec.end + 1):
            row = cells(lines.raw(n))
            if len(row) < 2:
                continue
            item = by_line.get(n)
            dept = item.dept if item else None
            if dept is None:
                m = _DEPT_IN_PARENS.search(row[0])
                dept = m.group(1).replace(" ", "") if m else None
            label = title
            if item is not None:
                label = f"{title} ({item.kind}: {item.request_head})"
            for cell in row[1:]:
                parts = _AUDIT_PLAN.split(cell, maxsplit=1)
                for part, kind in zip(parts, (DONE, PLAN), strict=False):  # no 향후계획: the answer is all DONE
                    for sentence in _SENTENCE.split(part):
                        ctx = Context(label)
                        for sp, t in from_text(sentence, kind=kind, year=period.year, period=period, ctx=ctx):
                            out.append(_milestone(doc, None, sp, t, n, program=label, dept=dept))
    return out


# --- entry point -----------------------------------------------------------------------------------------


def parse_milestones(doc: Document, programs: list[Program], audit_items: list[AuditItem]) -> list[Milestone]:
    lines = Lines.of(doc)
    period = Period.of(doc)
    title, org_unit = _cover(doc)
    years = _Years.of(lines, title)
    out: list[Milestone] = []
    for p in programs:
        try:
            out.extend(_program_milestones(doc, lines, p, period, years.at(p.line)))
        except (ValueError, IndexError):  # an odd body never stops the rest of the report
            doc.notes.append(f"일정을 읽지 못한 사업: {p.title} (줄 {p.line})")
    try:
        out.extend(_section_milestones(doc, lines, programs, period, years, org_unit))
    except (ValueError, IndexError):
        doc.notes.append("향후 일정 부분의 일정을 읽지 못했습니다")
    try:
        out.extend(_audit_milestones(doc, lines, audit_items, period))
    except (ValueError, IndexError):
        doc.notes.append("감사 처리결과의 일정을 읽지 못했습니다")
    seen: set[tuple] = set()
    unique: list[Milestone] = []
    for m in out:
        key = (m.title, m.start, m.end, m.source.line if m.source else None)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique
