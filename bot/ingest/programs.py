"""Numbered 주요업무 sections into ``Program`` records.

The bodies are found by :mod:`bot.ingest.program_bodies`, their owners chosen by
:mod:`bot.ingest.owners`; this reader takes from each body what the record holds: the
title, the 개요, the budget sentence, the achievements and the plans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.ingest.lines import (
    DONE,
    INFO,
    PLAN,
    Lines,
    cells,
    section_map,
    squash_spaces,
    strip_bullets,
    volumes,
)
from bot.ingest.numbers import MONEY_AMOUNT
from bot.ingest.owners import DeptEvidence, ProgramText, assign_depts
from bot.ingest.program_bodies import BodyStart, find_program_bodies, is_plain_text
from bot.ingest.text import Document
from bot.models import BudgetLine, Department, Program, Source

# --- parts of a body ------------------------------------------------------------------

_BRACKETED = re.compile(r"^[<〈].*[>〉]$")
_BUDGET = re.compile(
    r"(?P<label>(?:['’‘]?\d{2,4}\s*년\s*(?:도)?\s*)?(?:사\s*업\s*비|총\s*사\s*업\s*비|소\s*요\s*예\s*산|사\s*업\s*예\s*산|예\s*산|결\s*산))"
    r"\s*[:：]\s*(?P<value>.*?\d[\d,.]*\s*(?:백만원|천만원|천원|억원|만원|원).*)$"
)
# '(구비 100%)', '(국비 25%, 시비 25%, 구비 50%)': who pays, not part of the amount
_FUNDING_SHARES = re.compile(r"\s*\(\s*(?:[가-힣·]{1,6}비\s*\d{1,3}(?:\.\d)?\s*%\s*[,，]?\s*){1,6}\)\s*$")


def budget_sentence(lines: Lines, lo: int, hi: int) -> str | None:
    """The program's budget sentence ('예 산 : 3,974백만원 (집행액 …)'); a plain
    사업비/예산 label is dropped, a label that says more ("'21년 예산", '소요예산') kept."""
    for n in range(lo, hi + 1):
        t = lines.text[n]
        if not t:
            continue
        raw = lines.raw(n)
        if "\t" in raw.strip("\t"):
            cs = cells(raw)
            if len(cs) >= 2 and squash_spaces(strip_bullets(cs[0])) in {"사업비", "예산", "총사업비", "소요예산"}:
                vals = [c for c in cs[1:] if MONEY_AMOUNT.search(c)]
                if vals:
                    return " / ".join(vals)
            continue
        if ":" not in t and "：" not in t:
            continue  # the budget sentence is 'label : amount'
        m = _BUDGET.search(strip_bullets(t))
        if not m:
            continue
        value = m.group("value").strip()
        if value.count(")") > value.count("("):
            value = value[: value.rfind(")")].strip()
        value = _FUNDING_SHARES.sub("", value).strip()
        label = squash_spaces(m.group("label"))
        return value if label in {"사업비", "예산"} else f"{m.group('label').strip()} : {value}"
    return None



def _section_lines(lines: Lines, sections: list[tuple[int, int, str, int]], kind: str, limit: int = 12) -> list[str]:
    """Top-level lines of the sections of one kind (the outermost bullet level used)."""
    out: list[str] = []
    for a, b, k, head in sections:
        if k != kind:
            continue
        body = [n for n in range(a, b + 1) if n != head and lines.text[n]]
        body = [n for n in body if not _BRACKETED.match(lines.text[n])]
        if not body:
            continue
        levels = [lines.bullet(n)[1] for n in body]
        top = min(levels)
        for n, level in zip(body, levels, strict=True):
            if level == top:
                raw = lines.raw(n)
                t = " · ".join(cells(raw)) if "\t" in raw.strip("\t") else strip_bullets(lines.text[n])
                if t:
                    out.append(t)
            if len(out) >= limit:
                return out
    return out


def _overview(lines: Lines, sections: list[tuple[int, int, str, int]], purpose: str | None) -> str | None:
    """The 사업개요 (or 추진개요, 운영개요 …) text; the purpose line when there is none."""
    for a, b, k, head in sections:
        if k != INFO or head != a or "개요" not in squash_spaces(lines.text[head]):
            continue
        parts = []
        for n in range(a + 1, b + 1):
            if not lines.text[n]:
                continue
            t = " · ".join(cells(lines.raw(n))) if lines.is_table(n) else strip_bullets(lines.text[n])
            if t:
                parts.append(t)
        if parts:
            return " / ".join(parts)[:1200]
    return purpose


# --- the reader ------------------------------------------------------------------------------------------


@dataclass
class ProgramBody:
    """Where a program sits, for readers that walk its lines again (milestones)."""

    program: Program
    start: int
    end: int
    sections: list[tuple[int, int, str, int]]


def parse_programs(doc: Document, departments: list[Department], budget_lines: list[BudgetLine]) -> list[Program]:
    return [b.program for b in program_bodies(doc, departments, budget_lines)]


def program_bodies(
    doc: Document, departments: list[Department], budget_lines: list[BudgetLine]
) -> list[ProgramBody]:
    lines = Lines.of(doc)
    out: list[ProgramBody] = []
    texts: list[ProgramText] = []
    groups: list[str] = []
    units: list[str | None] = []
    for sec, group, number, s, end in find_program_bodies(doc, lines):
        body, text = _read_body(doc, lines, group, number, s, end)
        out.append(body)
        texts.append(text)
        groups.append(f"{sec.start}:{group}")
        units.append(s.unit)
    owners = _owners(lines, out, texts, groups, departments, budget_lines)
    for body, dept, unit in zip(out, owners, units, strict=True):
        body.program.dept = unit or dept  # a 【국】 heading the list printed it under says whose it is
    return out


def _read_body(doc: Document, lines: Lines, group: str, number: str, s: BodyStart, end: int) -> tuple[ProgramBody, ProgramText]:
    """One program as its body prints it (owner not yet known), and the parts of its text
    the owner is guessed from."""
    first = s.title_line + 1 if s.explicit else s.line
    sections = section_map(lines, first, end)
    purpose_n = s.line if not s.explicit else lines.next_nonblank(s.title_line, end)
    purpose = None
    if purpose_n is not None and is_plain_text(lines, purpose_n):
        purpose = lines.text[purpose_n]
    budget = budget_sentence(lines, first, end)
    overview = _overview(lines, sections, purpose)
    title = s.title.strip()
    info: list[str] = []
    rest: list[str] = []
    for a, b, kind, _head in sections:
        for n in range(a, b + 1):
            if lines.text[n] and n != purpose_n:
                (info if kind == INFO else rest).append(lines.text[n])
    program = Program(
        title=title,
        dept=None,
        group=group,
        number=number,
        overview=overview,
        budget_text=budget,
        achievements=_section_lines(lines, sections, DONE),
        plans=_section_lines(lines, sections, PLAN),
        line=s.title_line,
        end_line=end,
        source=Source(report_id=doc.report_id, doc=doc.doc, line=s.title_line),
    )
    text = ProgramText(title, purpose or "", " ".join(info), " ".join(rest), budget)
    return ProgramBody(program, s.line, end, sections), text


def _owners(
    lines: Lines,
    bodies: list[ProgramBody],
    texts: list[ProgramText],
    groups: list[str],
    departments: list[Department],
    budget_lines: list[BudgetLine],
) -> list[str | None]:
    """Each program's owner from the evidence of its own volume (a compiled book's reports
    each have their own tables): the budget rows printed in that volume."""
    owners: list[str | None] = [None] * len(bodies)
    spans = volumes(lines)
    firsts = [lo for lo, _hi in spans]
    last = spans[-1][1]

    def volume_of(line: int) -> int | None:
        return bisect.bisect_right(firsts, line) - 1 if 1 <= line <= last else None

    members: dict[int, list[int]] = {}
    for i, body in enumerate(bodies):
        v = volume_of(body.program.line)
        if v is not None:
            members.setdefault(v, []).append(i)
    rows_of: dict[int, list[BudgetLine]] = {}
    for row in budget_lines:
        v = volume_of(row.source.line or 0)
        if v is not None:
            rows_of.setdefault(v, []).append(row)
    depts = DeptEvidence(departments) if members else None
    for v in sorted(members):
        idx = members[v]
        rows = rows_of.get(v, [])
        chosen = assign_depts([texts[i] for i in idx], [groups[i] for i in idx], departments, rows, depts)
        for i, dept in zip(idx, chosen, strict=True):
            owners[i] = dept
    return owners
