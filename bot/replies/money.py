"""Figures the way budget staff read them.

Reports print money in 천원, 백만원 or 억원. A bare 천원 integer ("7,909,143") is easy to
misread by a factor of a thousand, so 천원 and 원 amounts are spelled out in 조/억/만원
("79억 914만원"); 백만원 and 억원 are kept in their printed unit, with separators, because
that is how those tables are read aloud. Rates stay as printed ("44.2%").
"""

from __future__ import annotations

import math
import re

from bot.lookups.columns import column_kind

NEGATIVE = "△"  # the reports' own minus sign

_MAN = 10_000
_EOK = 100_000_000
_JO = 1_000_000_000_000


def column_label(header: str) -> str:
    """A header for display: the printed text without a '(%)' that the value already shows."""
    return re.sub(r"\s*\(%\)\s*$", "", header) or header


def _group(n: int) -> str:
    return f"{n:,}"


def _won_words(won: int) -> str:
    """Whole 원 as 조/억/만원, rounded so that the smallest printed unit is honest:
    at 1억 and above to 만원, below 1억 to 천원 (small lines keep their detail)."""
    if won >= _EOK:
        won = math.floor(won / _MAN + 0.5) * _MAN
    elif won >= _MAN:
        won = math.floor(won / 1000 + 0.5) * 1000
    jo, rest = divmod(won, _JO)
    eok, rest = divmod(rest, _EOK)
    man, rest = divmod(rest, _MAN)
    cheon = rest // 1000
    parts: list[str] = []
    if jo:
        parts.append(f"{_group(jo)}조")
    if eok:
        parts.append(f"{_group(eok)}억")
    if man:
        parts.append(f"{_group(man)}만")
    if cheon and not (jo or eok):
        parts.append(f"{cheon}천")
    if not parts:
        return f"{_group(won)}원"
    return " ".join(parts) + "원"


def format_money(value: float | int | None, unit: str) -> str:
    """One amount in ``unit`` (천원, 백만원, 억원, 원) as staff read it.

    >>> format_money(7909143, "천원")
    '79억 914만원'
    >>> format_money(3974, "백만원")
    '3,974백만원'
    """
    if value is None:
        return "-"
    sign = NEGATIVE if value < 0 else ""
    amount = abs(value)
    if unit == "천원":
        return sign + _won_words(round(amount * 1000))
    if unit == "원":
        return sign + _won_words(round(amount))
    if unit in ("백만원", "억원"):
        if float(amount).is_integer():
            return f"{sign}{_group(int(amount))}{unit}"
        return f"{sign}{amount:,.1f}{unit}"
    # An unknown unit is shown as printed, never silently rescaled.
    return f"{sign}{amount:,}{unit}"


def format_rate(value: float | int | None) -> str:
    """A percentage as printed: one decimal unless the report printed more."""
    if value is None:
        return "-"
    sign = NEGATIVE if value < 0 else ""
    v = abs(float(value))
    text = f"{v:.1f}" if round(v, 1) == v else f"{v:.2f}".rstrip("0")
    return f"{sign}{text}%"


def format_count(value: float | int | None) -> str:
    if value is None:
        return "-"
    v = float(value)
    return _group(int(v)) if v.is_integer() else f"{v:,}"


def format_value(header: str, value: float | int | None, unit: str) -> str:
    """Any budget cell, by what its column holds."""
    kind = column_kind(header)
    if kind == "rate":
        return format_rate(value)
    if kind == "count":
        return format_count(value)
    return format_money(value, unit)
