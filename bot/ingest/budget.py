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

from bot.ingest.numbers import UNIT_WON, Number, find_date, parse_cell
from bot.ingest.tables import Block, Column, Row, columns, find_blocks, is_repeat_of_header
from bot.ingest.text import Document, clean, squash, unspace_label, unspace_runs
from bot.ingest.units import looks_like_unit
from bot.models import BudgetLine, Department, Source

_UNIT_DECL = re.compile(r"단위\s*[:：]?\s*(?P<rest>[^)]*)")
_MONEY = re.compile(r"(백만원|천원|억원|(?<![가-힣])원)(?![가-힣])")
_BARE_UNIT = re.compile(r"^\(?\s*(백만원|천원|억원|원)\s*\)?$")
_FILLER = re.compile(r"^(?:[-=_*#~\s]*|[-–\s]*\d{1,4}[-–\s]*|\(?\s*\d+\s*/\s*\d+\s*\)?)$")
_CAPTION_MARK = re.compile(r"^[\s○●◎□■▣◇◆※*<〈《\[【#\-·ㆍ]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_FORMULA = re.compile(r"^\s*[A-Za-z](?:\s*[+\-×*/÷]\s*[A-Za-z])*\s*$")

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
GAP_SCAN = 12  # lines above a table searched for its unit, 기준일 and caption


# --- header keys -----------------------------------------------------------------------


@dataclass
class ColumnSpec:
    """How one column's cells become values: the key as printed without spaces, the
    key for a second figure in parentheses, and whether the column is a rate."""

    index: int
    key: str
    paren_label: str | None
    group: str
    as_of: date | None
    rate: bool
    paired: bool = False  # some cell holds a second figure in parentheses
    numeric: bool = False


def rate_key(key: str) -> str:
    """The rate named after an amount: 집행액 -> 집행률, 상반기목표액 -> 상반기목표율,
    집행실적 -> 집행률 (률 after a closed syllable, 율 after a vowel or ㄴ)."""
    stem = re.sub(r"(금액|액|실적)$", "", key) or key
    last = stem[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return stem + ("율" if final in (0, 4) else "률")
    return stem + "률"


def _is_rate_key(key: str) -> bool:
    return key.endswith(("률", "율", "비율", "비중"))


def _is_annotation(inner: str) -> bool:
    """Parenthesised header text that names no figure: a unit '(천원)', '(%)', a formula
    '(A+B)', or a date '(\'21.4.16.)'."""
    s = squash(inner)
    return bool(
        _MONEY.fullmatch(s) or s in ("%", "％") or _FORMULA.match(s) or find_date(inner) or "기준" in s or "단위" in s
    )


def _spec(col: Column, use_group: bool) -> ColumnSpec:
    """A column's key is its header without spaces and without annotations; a word in
    parentheses ('2020년 최종(사업수)') is kept apart as the name of a second figure."""
    text = col.sub if use_group else col.text
    label = None
    kept = text
    for inner in _PAREN.findall(text):
        if not squash(inner):
            continue
        if not _is_annotation(inner):
            label = squash(inner)
        kept = kept.replace(f"({inner})", " ")
    key = squash(kept)
    return ColumnSpec(
        index=col.index,
        key=key,
        paren_label=label,
        group=col.group if use_group else "",
        as_of=find_date(text),
        rate="%" in text or _is_rate_key(key),
    )


# --- what surrounds a table ---------------------------------------------------------------


@dataclass
class Context:
    unit: str | None = None
    non_money_unit: bool = False
    as_of: date | None = None
    caption: str | None = None
    filler_only: bool = True  # nothing but blank/unit/page lines between this table and the last


def _money_unit(text: str) -> tuple[str | None, bool]:
    """(money unit, declared-but-not-money) for one line of text."""
    s = clean(text)
    bare = _BARE_UNIT.match(s.replace(" ", ""))
    if bare:
        return bare.group(1), False
    m = _UNIT_DECL.search(s)
    if not m:
        return None, False
    rest = m.group("rest")
    money = _MONEY.search(rest.replace(" ", ""))
    if money:
        return money.group(1), False
    return None, True


_BOLD_LEAD = re.compile(r"^\s*(?:#+\s*)?\*\*(?P<b>[^*]{1,40})\*\*")
_BULLET_LEAD = re.compile(r"^\s*[-·ㆍ•▶▷►→*]\s")
_AS_OF_NOTE = re.compile(r"[\[(【]\s*(?:기준일?|작성일|현재)\s*[:：]?[^\]\)】]{0,30}[\])】]")  # '[기준일: 2030-07-31]'
_NUMBERING_LEAD = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[가-하])\s*[.)]\s*")
_TABLE_PHRASE = re.compile(r"(?<!\s)\s{0,3}(?:내용|현황|결과)?[은는]?\s{0,3}아래\s{0,3}표.*$")


def _caption(text: str, allow_bullet: bool = False) -> str | None:
    """A short name for the table from a line above it: a caption ('○ 총괄표',
    '< 부서별 >'), a bold lead-in ('**'18년 결산** …'), or a sentence introducing the
    table ('- 세입결산 내용은 아래 표와 같습니다.' -> '세입결산'). Prose is not a caption."""
    bold = _BOLD_LEAD.match(text)
    if bold:
        return unspace_label(clean(bold.group("b")))
    s = clean(text)
    if _BULLET_LEAD.match(s) and not allow_bullet:
        return None
    s = _AS_OF_NOTE.sub("", s)
    s = _UNIT_DECL.sub("", s)
    s = re.sub(r"\(\s*\)", "", s)
    s = _TABLE_PHRASE.sub("", s)
    s = _CAPTION_MARK.sub("", s).strip(" >〉》]】:-.")
    if s and len(s) > 40:
        # '4. 예    산 : 예산현액 137,452,000천원, …': the label before the colon names the table
        head = re.split(r"\s[:：]\s", s)[0]
        s = _NUMBERING_LEAD.sub("", head) if len(head) < len(s) else ""
    if not s or len(s) > 40:
        return None
    s = _NUMBERING_LEAD.sub("", re.split(r"\s[:：]\s", s)[0])  # '2. 부서별 결산' -> '부서별 결산'
    return unspace_runs(s) if s else None


def _context(doc: Document, first: int, last: int) -> Context:
    """Read the lines first..last (the gap above a table), nearest first."""
    ctx = Context()
    seen = 0
    for n in range(last, max(first, last - GAP_SCAN + 1) - 1, -1):
        raw = doc.line(n)
        s = clean(raw)
        if not s:
            continue
        seen += 1
        unit, non_money = _money_unit(s)
        is_unit_line = unit is not None or non_money
        if is_unit_line and ctx.unit is None and not ctx.non_money_unit and seen <= 4:
            ctx.unit, ctx.non_money_unit = unit, non_money
            ctx.as_of = find_date(s)
            before = raw.split("(단위")[0] if "(단위" in raw else ""
            if before.strip() and not ctx.caption:
                ctx.caption = _caption(before, allow_bullet=True)
        elif ctx.as_of is None and s.startswith("(") and ("기준" in s or "현재" in s) and seen <= 3:
            ctx.as_of = find_date(s)
            is_unit_line = True
        elif ctx.as_of is None and (note := _AS_OF_NOTE.search(s)) is not None:
            ctx.as_of = find_date(note.group(0))  # '4. 예산 집행현황 [기준일: 2030-07-31]'
            if not ctx.caption:
                ctx.caption = _caption(raw)
        elif not ctx.caption:
            ctx.caption = _caption(raw)
        if not (is_unit_line or _FILLER.match(s)):
            ctx.filler_only = False
    return ctx


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


def _specs_for(block: Block, body_unit: str | None) -> tuple[list[ColumnSpec], bool]:
    cols = columns(block.header)
    transposed = bool(block.body) and len(block.header) >= 2 and all(
        parse_cell(r.cell(0), body_unit).numeric for r in block.body
    )
    first = 0 if transposed else 1
    specs = [_spec(c, transposed) for c in cols[first:]]
    by_index = {s.index: s for s in specs}
    for r in block.body:
        for j, text in enumerate(r.cells):
            spec = by_index.get(j)
            if spec is None or not text:
                continue
            cell = parse_cell(text, body_unit)
            if cell.numeric:
                spec.numeric = True
                spec.paired = spec.paired or cell.has_extra
                if cell.main.percent:
                    spec.rate = True
    for s in specs:
        if s.paren_label and not s.paired:
            s.key = f"{s.key}({s.paren_label})"  # '미수납액 (이월액)' names one figure
    return [s for s in specs if s.numeric and s.key], transposed


def _extra_keys(specs: list[ColumnSpec]) -> dict[int, str]:
    """Keys for the second figures of paired columns: the parenthesised header word
    ('사업수', '신청'), qualified by the column's own key where it repeats."""
    out: dict[int, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for s in specs:
        if s.paired and s.paren_label:
            counts[(s.group, s.paren_label)] = counts.get((s.group, s.paren_label), 0) + 1
    for s in specs:
        if s.paired and s.paren_label:
            repeated = counts[(s.group, s.paren_label)] > 1
            out[s.index] = s.key + s.paren_label if repeated and not s.paren_label.startswith(s.key) else s.paren_label
    return out


def _row_values(row: Row, specs: list[ColumnSpec], extra_keys: dict[int, str], unit: str) -> dict[str, Number | None]:
    values: dict[str, Number | None] = {}
    for s in specs:
        text = row.cell(s.index)
        if not text:
            values.setdefault(s.key, None)
            continue
        cell = parse_cell(text, unit)
        if not cell.numeric:
            continue
        main = cell.main.value
        values[s.key] = float(main) if s.rate else main
        if cell.extra is not None:
            if cell.extra.percent:
                key = s.paren_label if s.paren_label and _is_rate_key(s.paren_label) else rate_key(s.key)
                values.setdefault(key, float(cell.extra.value))
            elif s.index in extra_keys:
                values[extra_keys[s.index]] = cell.extra.value
    if any(s.paired for s in specs):
        for s in specs:
            if s.paired and s.index in extra_keys and s.key in values and extra_keys[s.index] not in values:
                values[extra_keys[s.index]] = None
    return values


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
    for r in rows + [None]:  # type: ignore[list-item]
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
            unit=table.unit,  # type: ignore[arg-type]
            dept=r.dept,
            level=r.level,  # type: ignore[arg-type]
            name=r.name,
            values=r.values,
            order=r.order,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=r.line),
        )
        for r in rows
    ]


def _header_unit(block: Block) -> tuple[str | None, bool]:
    for r in block.header:
        for c in r.cells:
            unit, non_money = _money_unit(c)
            if unit or non_money:
                return unit, non_money
    for c in columns(block.header):
        for inner in _PAREN.findall(c.text):
            m = _MONEY.fullmatch(squash(inner))
            if m:
                return m.group(1), False
    return None, False


def _new_table(block: Block, ctx: Context, unit: str) -> Table | None:
    specs, transposed = _specs_for(block, unit)
    if not specs:
        return None
    as_of = ctx.as_of or next((s.as_of for s in specs if s.as_of), None)
    label = ctx.caption or f"표({block.start}행)"
    return Table(label, unit, as_of, block.header_key, specs, transposed)


def _read_rows(table: Table, rows: list[Row], block: Block, known: set[str]) -> None:
    extra_keys_all = _extra_keys(table.specs)
    if table.transposed:
        groups: dict[str, list[ColumnSpec]] = {}
        for s in table.specs:
            groups.setdefault(s.group, []).append(s)
        for r in rows:
            for group, specs in groups.items():
                values = _row_values(r, specs, _extra_keys(specs), table.unit)
                if any(v is not None for v in values.values()):
                    _add_row(table, unspace_label(group) or f"{len(table.rows) + 1}", values, r.line, known)
        return
    for r in rows:
        if is_repeat_of_header(r, block):
            continue
        name = unspace_label(r.cell(0))
        if not name:
            continue
        values = _row_values(r, table.specs, extra_keys_all, table.unit)
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


def parse_budget(doc: Document, departments: list[Department]) -> list[BudgetLine]:
    known = {squash(d.name) for d in departments}
    out: list[BudgetLine] = []
    table: Table | None = None
    prev_end = 0
    for block in find_blocks(doc):
        ctx = _context(doc, prev_end + 1, block.start - 1)
        prev_end = block.end
        h_unit, h_non_money = _header_unit(block)
        unit = ctx.unit or h_unit
        non_money = (ctx.non_money_unit or h_non_money) and unit is None
        continues = (
            table is not None
            and (unit is None or unit == table.unit)
            and (
                (ctx.filler_only and (block.header_key == table.header_key or (not block.header and block.body)))
                or (block.header_key == table.header_key and _starts_inside(block, table, known))
            )
        )
        if continues and table is not None:
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
