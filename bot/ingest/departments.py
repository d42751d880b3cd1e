"""Departments: 정원/현원 from the 인력 table, teams and functions from 주요기능.

The 인력 table comes in several layouts, all read by structure:
- a two-line header with 정원 | 현원 under each group ("51 | 47(28)"; the
  parenthesised number is 여성공무원수, not part of 현원);
- one cell per department holding both ("39/38 (18)");
- two rows per department, labelled 정원 and 현원 in the second column;
- rows labelled 정원 / 현원 with no department at all (a single office such as a
  비서실): there is nothing per department to record then.
주요기능 is either a list (department line, letter-spaced team lines, '·' function
lines) or a table of department | duties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.numbers import parse_cell
from bot.ingest.tables import Block, columns, find_blocks
from bot.ingest.text import Document, clean, squash
from bot.ingest.units import looks_like_unit
from bot.models import Department, Source

_TOTALS = frozenset({"계", "합계", "총계", "소계", "구분"})
_QUOTA, _CURRENT = "정원", "현원"
_NUMBERING = re.compile(r"^[\s\dIVXⅠ-Ⅻ.)\]#*□■○●◎▣·ㆍ-]*")
_BOTH = re.compile(r"^\s*(\d[\d,]*)\s*명?\s*/\s*(\d[\d,]*)")
_BULLET = re.compile(r"^\s*[·ㆍ•∙\-–○◦▪*]\s*")
_TAG = re.compile(r"<[^<>]*>")
_ITEM_MARK = re.compile(r"[○◦•]")
STAFF_SCAN = 15  # lines after the 인력 heading in which its table must start
MAX_NAME = 16  # a department or team name is short; longer lines are prose


@dataclass
class _Dept:
    name: str
    line: int
    quota: int | None = None
    current: int | None = None
    teams: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)


def _heading(text: str) -> str:
    """A line reduced to its words without numbering or markers: '## 2 인 력' -> '인력'."""
    return _NUMBERING.sub("", squash(text))


def _count(text: str) -> int | None:
    cell = parse_cell(text)
    if cell.main is None:
        return None
    return int(cell.main.value)


def _dept_name(label: str) -> str | None:
    name = squash(_TAG.sub("", label)).split("(")[0]
    if not name or name in _TOTALS or name in (_QUOTA, _CURRENT) or len(name) > MAX_NAME:
        return None
    if name[0].isdigit():
        return None
    return name


def _staff_block(doc: Document, blocks: list[Block]) -> Block | None:
    for n, text in doc.numbered():
        if "\t" in text or "력" not in text:
            continue
        if _heading(text).startswith("인력"):
            for b in blocks:
                if n < b.start <= n + STAFF_SCAN:
                    return b
    for b in blocks:  # no heading: the first table that names 정원 and 현원
        cells = {squash(c) for r in b.header + b.body[:3] for c in r.cells}
        if _QUOTA in cells and _CURRENT in cells:
            return b
    return None


def _rows_with_columns(block: Block) -> list[_Dept] | None:
    """Header names 정원 and 현원 columns: one row per department."""
    cols = columns(block.header)
    q = next((c.index for c in cols if squash(c.sub or c.text).endswith(_QUOTA)), None)
    c = next((c.index for c in cols if squash(c.sub or c.text).endswith(_CURRENT)), None)
    if q is None or c is None:
        return None
    out = []
    for r in block.body:
        name = _dept_name(r.cell(0))
        if name:
            out.append(_Dept(name, r.line, _count(r.cell(q)), _count(r.cell(c))))
    return out


def _rows_labelled(block: Block) -> list[_Dept] | None:
    """정원 and 현원 printed as the second cell of two rows per department."""
    labels = {squash(r.cell(1)) for r in block.body}
    if not {_QUOTA, _CURRENT} <= labels:
        return None
    out: list[_Dept] = []
    current: _Dept | None = None
    for r in block.body:
        name = _dept_name(r.cell(0)) if r.cell(0) else None
        if r.cell(0):
            current = None
            if name:
                current = _Dept(name, r.line)
                out.append(current)
        if current is None:
            continue
        value = next((v for v in (_count(x) for x in r.cells[2:]) if v is not None), None)
        kind = squash(r.cell(1))
        if kind == _QUOTA:
            current.quota = value
        elif kind == _CURRENT:
            current.current = value
    return out


def _rows_with_pairs(block: Block) -> list[_Dept]:
    """'39/38 (18)': 정원/현원 in one cell, 여성공무원수 in parentheses."""
    out = []
    for r in block.body:
        name = _dept_name(r.cell(0))
        if not name:
            continue
        pair = next((m for m in (_BOTH.match(x) for x in r.cells[1:]) if m), None)
        if pair:
            quota, current = (int(g.replace(",", "")) for g in pair.groups())
            out.append(_Dept(name, r.line, quota, current))
    return out


def _columns_as_units(block: Block) -> list[_Dept]:
    """Rows labelled 정원 / 현원 under a header whose columns name the units
    ('구 분 | 계 | 가람행정과 | 나래건강과 …'): one department per such column."""
    header = block.header[-1] if block.header else None
    if header is None:
        return []
    out: list[_Dept] = []
    for j, cell in enumerate(header.cells):
        name = _dept_name(cell)
        if j == 0 or not name or not looks_like_unit(name):
            continue
        dept = _Dept(name, header.line)
        for r in block.body:
            kind = squash(r.cell(0))
            if kind == _QUOTA:
                dept.quota = _count(r.cell(j))
            elif kind == _CURRENT:
                dept.current = _count(r.cell(j))
        out.append(dept)
    return out


_INLINE_PAIR = re.compile(r"([가-힣][가-힣\d]{1,15})\s{0,3}(\d{1,4})\s{0,2}/\s{0,2}(\d{1,4})(?!\d)")


def _inline_staff(doc: Document) -> list[_Dept]:
    """'(가람정책과 21/20, 나래지원과 19/18, …)' printed under the 인력 line instead of a table."""
    for n, text in doc.numbered():
        if "력" not in text or "\t" in text or not _heading(text).startswith("인력"):
            continue
        out: list[_Dept] = []
        for k, line in doc.numbered(n, n + 3):
            for m in _INLINE_PAIR.finditer(clean(line)):
                if looks_like_unit(m.group(1)):
                    out.append(_Dept(m.group(1), k, int(m.group(2)), int(m.group(3))))
        if out:
            return out
    return []


def _staff(doc: Document, blocks: list[Block]) -> list[_Dept]:
    block = _staff_block(doc, blocks)
    if block is None:
        return _inline_staff(doc)
    if {squash(r.cell(0)) for r in block.body} & {_QUOTA, _CURRENT}:
        return _columns_as_units(block)  # else rows are 정원/현원 of the office itself: no departments
    for reader in (_rows_with_columns, _rows_labelled):
        found = reader(block)
        if found is not None:
            return found
    return _rows_with_pairs(block) or _inline_staff(doc)  # the table found was not the staff's


def _is_dept_line(name: str, known: set[str]) -> bool:
    return name in known or (looks_like_unit(name) and not name.endswith("팀"))  # a team sits under one


_LEAD_MARK = re.compile(r"^[○●◎□■▣◇◆▶►·ㆍ•\-*]+")
_TEAMS = re.compile(r"\(([^()]*팀[^()]*)\)")


def _duty_items(text: str) -> str:
    text = _TAG.sub(" ", text)
    items = [re.sub(r"\s+", " ", i).strip() for i in _ITEM_MARK.split(text)]
    return "\n".join(i for i in items if i)


def _functions_table(block: Block, known: set[str], depts: dict[str, _Dept]) -> None:
    for r in block.body + block.header:
        name = _dept_name(r.cell(0))
        if not name or len(r.cells) < 2 or not _is_dept_line(name, known):
            continue
        dept = depts.setdefault(name, _Dept(name, r.line))
        duties = _duty_items(" ".join(r.cells[1:]))
        if duties:
            dept.functions[name] = duties


def _functions(doc: Document, blocks: list[Block], depts: dict[str, _Dept]) -> None:
    known = set(depts)
    start = next(
        (n for n, t in doc.numbered() if "능" in t and "\t" not in t and _heading(t) == "주요기능"),
        None,
    )
    if start is None:
        return
    table = next((b for b in blocks if start < b.start <= start + 4), None)
    if table is not None:
        _functions_table(table, known, depts)
        return
    dept: _Dept | None = None
    team: str | None = None
    stray = 0
    for n, text in doc.numbered(start + 1):
        if "\t" in text:
            break
        s = clean(text)
        if not s:
            continue
        word = _LEAD_MARK.sub("", squash(s)).split("(")[0]
        if _is_dept_line(word, known):
            dept = depts.setdefault(word, _Dept(word, n))
            team = None
            listed = _TEAMS.search(s)
            for t in (squash(x) for x in (re.split(r"[,，、]", listed.group(1)) if listed else [])):
                if t.endswith("팀") and t not in dept.teams:
                    dept.teams.append(t)
        elif dept is not None and word.endswith("팀") and len(word) <= MAX_NAME:
            team = word
            if team not in dept.teams:
                dept.teams.append(team)
        elif dept is not None and _BULLET.match(s):
            key = team or dept.name
            item = _BULLET.sub("", s, count=1)
            dept.functions[key] = f"{dept.functions[key]}\n{item}" if key in dept.functions else item
        elif dept is None and stray < 3:
            stray += 1
        else:
            break


def parse_departments(doc: Document) -> list[Department]:
    blocks = find_blocks(doc)
    depts: dict[str, _Dept] = {}
    for d in _staff(doc, blocks):
        depts.setdefault(d.name, d)
    _functions(doc, blocks, depts)
    return [
        Department(
            name=d.name,
            quota=d.quota,
            current=d.current,
            teams=d.teams,
            functions=d.functions,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=d.line),
        )
        for d in depts.values()
    ]
