"""The columns of a budget table and the values of one row.

A column's key is its header without spaces or annotations ('예산액(천원)' → '예산액');
a word in parentheses names a second figure that some cells print ('2020년 최종(사업수)'
over '1,234 (12)'); a rate column is one with '%' or a name ending in 률/율.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.budget_context import MONEY, money_unit
from bot.ingest.numbers import Number, find_date, parse_cell
from bot.ingest.tables import Block, Column, Row, columns
from bot.ingest.text import squash

_PAREN = re.compile(r"\(([^()]*)\)")
_FORMULA = re.compile(r"^\s*[A-Za-z](?:\s*[+\-×*/÷]\s*[A-Za-z])*\s*$")


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
        MONEY.fullmatch(s) or s in ("%", "％") or _FORMULA.match(s) or find_date(inner) or "기준" in s or "단위" in s
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



def specs_for(block: Block, body_unit: str | None) -> tuple[list[ColumnSpec], bool]:
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
            if cell.main is not None:  # numeric
                spec.numeric = True
                spec.paired = spec.paired or cell.has_extra
                if cell.main.percent:
                    spec.rate = True
    for s in specs:
        if s.paren_label and not s.paired:
            s.key = f"{s.key}({s.paren_label})"  # '미수납액 (이월액)' names one figure
    return [s for s in specs if s.numeric and s.key], transposed


def extra_keys(specs: list[ColumnSpec]) -> dict[int, str]:
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


def row_values(row: Row, specs: list[ColumnSpec], extra_keys: dict[int, str], unit: str) -> dict[str, Number | None]:
    values: dict[str, Number | None] = {}
    for s in specs:
        text = row.cell(s.index)
        if not text:
            values.setdefault(s.key, None)
            continue
        cell = parse_cell(text, unit)
        if cell.main is None:  # not numeric
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

def header_unit(block: Block) -> tuple[str | None, bool]:
    for r in block.header:
        for c in r.cells:
            unit, non_money = money_unit(c)
            if unit or non_money:
                return unit, non_money
    for col in columns(block.header):
        for inner in _PAREN.findall(col.text):
            m = MONEY.fullmatch(squash(inner))
            if m:
                return m.group(1), False
    return None, False
