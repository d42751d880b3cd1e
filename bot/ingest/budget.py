"""Budget / 집행 / 결산 / 편성 tables into ``BudgetLine`` rows.

A table counts as a budget table when a money unit is declared for it: a line such as
"(2021.7.31. 기준, 단위 : 천원, %)", "(천원)", or a unit in its column headers
("예산액(천원)"). Tables in 건 or 명, or with no unit at all, are left to others.

Rows are classified by structure, not by the sample's names: a 계/합계 row is the
total; a row naming a department (known from the 인력 table, or ending in 담당관) is a
department row and the rows under it are that department's; the rest are 정책사업
(policy) rows and the 단위사업 (unit) rows whose figures add up to them. A table that
continues on the next page with its header repeated is read as one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.ingest.budget_columns import ColumnSpec, extra_keys, header_unit, row_values, specs_for
from bot.ingest.budget_context import Context, context_above
from bot.ingest.numbers import UNIT_WON, Number
from bot.ingest.tables import Block, Row, find_blocks, is_repeat_of_header
from bot.ingest.text import Document, squash, unspace_label
from bot.ingest.units import looks_like_unit
from bot.models import BudgetLine, Department, Source

TOTAL_LABELS = frozenset({"계", "합계", "총계", "소계", "총합계", "누계"})
# Budget categories printed as a breakdown of the total, before any department row.
CATEGORY_LABELS = frozenset(
    {"사업예산", "사업비", "재무활동", "기본경비", "행정운영경비", "일반회계", "특별회계", "기금",
     "인건비", "예비비", "내부거래", "정책사업", "세입", "세출"}
)
# Institution groups (not departments of the office) that some tables break totals into.
INSTITUTION_GROUPS = frozenset(
    {"본청", "자치구", "공기업", "투자기관", "출연기관", "사업소", "직속기관", "산하기관", "공사·공단"}
)

# --- one table ----------------------------------------------------------------------------


@dataclass
class Pending:
    """A row read but not yet placed in the total/dept/policy/unit hierarchy."""

    name: str
    values: dict[str, Number | None]
    line: int
    order: int
    kind: str  # total | dept | group | other
    dept: str | None = None
    level: str | None = None


@dataclass
class Table:
    label: str
    unit: str
    as_of: date | None
    header_key: tuple
    specs: list[ColumnSpec]
    transposed: bool
    rows: list[Pending] = field(default_factory=list)
    dept: str | None = None
    seen_dept: bool = False
    after_total: bool = False

@lru_cache(maxsize=4096)
def _squash(name: str) -> str:
    """``squash`` for row labels, which are tested several times each (total? dept? group?)."""
    return squash(name)


@lru_cache(maxsize=4096)
def _base(name: str) -> str:
    return re.sub(r"\(.*?\)", "", _squash(name))


def _is_total(name: str) -> bool:
    b = _base(name)
    return b in TOTAL_LABELS or b.endswith(("합계", "총계"))


def _dept_of(name: str, known: set[str]) -> str | None:
    """A row that names a unit: one the report's organisation lists, or any short name
    with a unit's ending (…과, …국, …센터, 사무국, 보건소, 담당관 …)."""
    b = _base(name)
    full = _squash(name)
    if full in known:
        return full
    if b in known:
        return b
    if looks_like_unit(b) and b not in CATEGORY_LABELS and b not in INSTITUTION_GROUPS:
        return b
    return None


_SUBTOTAL_SUFFIX = re.compile(r"\s*(?:소계|합계|계)$")


def _subtotal_name(name: str) -> str | None:
    """'특별회계 소계' -> '특별회계': a category's own subtotal row, named for the category."""
    if " " not in name.strip():
        return None
    rest = _SUBTOTAL_SUFFIX.sub("", name.strip())
    return rest if rest and rest != name.strip() else None


def _add_row(table: Table, name: str, values: dict, line: int, known: set[str], bold: bool = False) -> None:
    """Place one row: bold rows that are not totals are department rows even when the
    department is not in the 인력 table (one abolished before the staff count's date)."""
    order = len(table.rows)
    if (category := _subtotal_name(name)) is not None and table.dept is None:
        name = category
        kind = "total"
    elif _base(name) == "소계" and table.dept is not None:
        kind = "subtotal"  # a department's own subtotal: a total that stays in the department
    elif _is_total(name):
        kind, table.dept, table.after_total = "total", None, True
    elif (dept := _dept_of(name, known) or (_squash(name) if bold and len(_squash(name)) <= 16 else None)) is not None:
        kind, table.dept, table.seen_dept = "dept", dept, True
        name = dept
    elif _base(name) in INSTITUTION_GROUPS:
        kind, table.dept = "group", None
    elif table.after_total and not table.seen_dept and _base(name) in CATEGORY_LABELS:
        kind = "total"
    else:
        kind = "other"
    dept = None if kind == "total" else table.dept
    table.rows.append(Pending(name, values, line, order, "total" if kind == "subtotal" else kind, dept))


def _amount_keys(table: Table) -> list[str]:
    """The columns whose figures add up down the hierarchy (amounts, not rates)."""
    return [s.key for s in table.specs if not s.rate]


def _sums_to(parent: Pending, children: list[Pending], keys: list[str]) -> bool:
    tol = 0.5 * (len(children) + 1)
    compared = 0
    for k in keys:
        pv = parent.values.get(k)
        if pv is None:
            continue
        total = sum((c.values.get(k) or 0) for c in children)
        if abs(total - pv) > tol:
            return False
        compared += 1 if pv else 0
    return compared > 0


def _outgrows(parent: Pending, seg: list[Pending], keys: list[str]) -> bool:
    """Rows that cannot be a department's parts: one of them alone is larger than it
    (a flat table of departments followed by office-wide rows such as 인건비)."""
    for k in keys:
        pv = parent.values.get(k)
        if not isinstance(pv, (int, float)) or pv <= 0:
            continue
        if any(isinstance(v := r.values.get(k), (int, float)) and v > pv * 1.0001 + 1 for r in seg):
            return True
    return False


def _place_segment(seg: list[Pending], parent: Pending | None, keys: list[str]) -> None:
    """Policy rows and their unit rows: a row whose figures equal the sum of the rows
    right after it is a 정책사업 over those 단위사업; a row that no following rows add
    up to (기본경비, a fund) stands alone at policy level."""
    has_children = False
    i = 0
    while i < len(seg):
        best = 0
        for j in range(i + 1, len(seg)):
            if _sums_to(seg[i], seg[i + 1 : j + 1], keys):
                best = j - i
        seg[i].level = "policy"
        for c in seg[i + 1 : i + 1 + best]:
            c.level = "unit"
        has_children = has_children or best > 0
        i += best + 1
    if parent is None and not has_children:
        for r in seg:
            r.level = "unit"


def _detach_after_department(seg: list[Pending], parent: Pending, keys: list[str]) -> list[Pending]:
    """Rows printed after a department's policies already add up to the department
    row are not that department's (e.g. the office-wide 사업예산 / 기본경비 breakdown
    printed at the end instead of the top). Returns those rows, released."""
    policies: list[Pending] = []
    for i, r in enumerate(seg):
        if r.level != "policy":
            continue
        if policies and _sums_to(parent, policies, keys):
            rest = seg[i:]
            for x in rest:
                x.dept = None
            return rest
        policies.append(r)
    return []


def _finish(table: Table, doc: Document) -> list[BudgetLine]:
    rows = table.rows
    keys = _amount_keys(table)
    parent: Pending | None = None
    seg: list[Pending] = []
    total: Pending | None = None
    for r in rows + [None]:
        if r is None or r.kind != "other":
            if seg and parent is not None and parent.kind == "dept" and _outgrows(parent, seg[:1], keys):
                for x in seg:  # larger than the department itself: office-wide rows printed after it
                    x.dept, x.level = None, "total"
                seg = []
            if seg:
                _place_segment(seg, parent, keys)
                if parent is not None and parent.kind == "dept":
                    rest = _detach_after_department(seg, parent, keys)
                    loose = [x for x in rest if _base(x.name) not in CATEGORY_LABELS]
                    for x in rest:
                        x.level = "total"
                    if loose:
                        _place_segment(loose, total, keys)
                seg = []
            if r is not None and r.kind == "total":
                total = r
            if r is None:
                break
            r.level = {"total": "total", "dept": "dept", "group": "dept"}[r.kind]
            parent = r
        elif table.transposed:
            r.level = "unit"  # one row per column group (a year): siblings, not a hierarchy
        else:
            seg.append(r)
    return [
        BudgetLine(
            table=table.label,
            as_of=table.as_of,
            unit=table.unit,
            dept=r.dept,
            level=r.level,
            name=r.name,
            values=r.values,
            order=r.order,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=r.line),
        )
        for r in rows
    ]

def _new_table(block: Block, ctx: Context, unit: str) -> Table | None:
    specs, transposed = specs_for(block, unit)
    if not specs:
        return None
    as_of = ctx.as_of or next((s.as_of for s in specs if s.as_of), None)
    label = ctx.caption or f"표({block.start}행)"
    return Table(label, unit, as_of, block.header_key, specs, transposed)


def _read_rows(table: Table, rows: list[Row], block: Block, known: set[str]) -> None:
    extra_keys_all = extra_keys(table.specs)
    if table.transposed:
        groups: dict[str, list[ColumnSpec]] = {}
        for s in table.specs:
            groups.setdefault(s.group, []).append(s)
        for r in rows:
            for group, specs in groups.items():
                values = row_values(r, specs, extra_keys(specs), table.unit)
                if any(v is not None for v in values.values()):
                    _add_row(table, unspace_label(group) or f"{len(table.rows) + 1}", values, r.line, known)
        return
    for r in rows:
        if is_repeat_of_header(r, block):
            continue
        name = unspace_label(r.cell(0))
        if not name:
            continue
        values = row_values(r, table.specs, extra_keys_all, table.unit)
        if not any(v is not None for v in values.values()):
            continue
        _add_row(table, name, values, r.line, known, r.bold)


def _starts_inside(block: Block, table: Table, known: set[str]) -> bool:
    """A page that repeats the header and goes on with policy or unit rows (no total
    or department row first) belongs to the table above it, whatever sits between."""
    first = next((r for r in block.body if r.cell(0) and not is_repeat_of_header(r, block)), None)
    if first is None or table.transposed or table.dept is None:
        return False
    name = first.cell(0)
    return not (_is_total(name) or _dept_of(name, known) or _base(name) in INSTITUTION_GROUPS)


def _continues(table: Table, block: Block, ctx: Context, unit: str | None, known: set[str]) -> bool:
    """The block goes on with ``table`` (a page break inside one table): in the same unit
    (or none said), and either nothing but filler between them and its header repeated
    (or no header at all), or its header repeated and its first row one of the table's."""
    if unit is not None and unit != table.unit:
        return False
    same_header = block.header_key == table.header_key
    if ctx.filler_only and (same_header or (not block.header and bool(block.body))):
        return True
    return same_header and _starts_inside(block, table, known)


def parse_budget(doc: Document, departments: list[Department]) -> list[BudgetLine]:
    known = {squash(d.name) for d in departments}
    out: list[BudgetLine] = []
    table: Table | None = None
    prev_end = 0
    for block in find_blocks(doc):
        ctx = context_above(doc, prev_end + 1, block.start - 1)
        prev_end = block.end
        h_unit, h_non_money = header_unit(block)
        unit = ctx.unit or h_unit
        non_money = (ctx.non_money_unit or h_non_money) and unit is None
        if table is not None and _continues(table, block, ctx, unit, known):
            _read_rows(table, block.body, block, known)
            continue
        if table is not None:
            out.extend(_finish(table, doc))
            table = None
        if unit is None or non_money or unit not in UNIT_WON or not block.body:
            continue
        table = _new_table(block, ctx, unit)
        if table is not None:
            _read_rows(table, block.body, block, known)
            if not table.rows:
                table = None
    if table is not None:
        out.extend(_finish(table, doc))
    return out
