"""Numbers as the reports print them.

Tables print money with thousands separators, '△' for negatives, '-' for zero,
rates with a '%' sign, two values in one cell ("103,358 (28.9%)", "14건 (18건)",
"6,544 (-)") and large sums in 조/억 notation ("76조 2,131" in a table kept in
억원). Everything here turns one printed cell into numbers in the table's unit,
and says "not a number" (None) rather than guessing for anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

Number = int | float

# How many 원 one table unit is; a bare trailing number in 조/억 notation is in this unit.
UNIT_WON: dict[str, int] = {"원": 1, "천원": 10**3, "백만원": 10**6, "억원": 10**8}

# Printed as "zero"/"none" in a numeric cell.
_ZERO_MARKS = frozenset({"-", "–", "—", "‐", "―", "ー", "0"})

# Counters printed after a figure ("14건", "33명"); they carry no scale.
_COUNTERS = r"(?:건|명|개소|개|회|곳|팀|일|배|점|%)"

_PLAIN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MAGNITUDE = {"조": 10**12, "억": 10**8, "백만": 10**6, "만": 10**4, "천": 10**3}
_KOREAN_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(백만|조|억|만|천)?")
_KOREAN = re.compile(r"^\d[\d,]*(?:\.\d+)?\s*(?:백만|조|억|만|천)(?:\s*\d[\d,]*(?:\.\d+)?\s*(?:백만|조|억|만|천)?)*\s*원?$")
_CELL = re.compile(r"^(?P<main>[^()]*?)\s*(?:\(\s*(?P<extra>[^()]*?)\s*\))?\s*$")
_TAG = re.compile(r"<[^<>]*>")
_COUNTER_END = re.compile(rf"\s*{_COUNTERS}$")
_DIGIT = re.compile(r"\d")


def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    if "<" in s:
        s = _TAG.sub("", s)  # bold tags around figures
    return s.replace("\u00a0", " ").strip()


def _as_number(value: float, decimal: bool) -> Number:
    if not decimal and float(value).is_integer():
        return int(value)
    return float(value)


def parse_korean_amount(text: str, unit: str | None = None) -> Number | None:
    """'76조 2,131' (unit 억원) -> 762131; '1조1,137억원' -> 11137 in 억원;
    '2,127백만원' in a 천원 table -> 2127000. A bare trailing number is in ``unit``."""
    s = _norm(text).replace(" ", "")
    if not _KOREAN.match(s):
        return None
    unit_won = UNIT_WON.get(unit or "억원", 10**8)
    total = 0.0
    decimal = False
    for digits, mag in _KOREAN_PART.findall(s.removesuffix("원")):
        value = float(digits.replace(",", ""))
        decimal = decimal or "." in digits
        total += value * (_MAGNITUDE[mag] if mag else unit_won)
    return _as_number(total / unit_won, decimal and not (total / unit_won).is_integer())


@dataclass(frozen=True)
class Parsed:
    """One printed figure: its value and whether it was printed as a percent."""

    value: Number
    percent: bool = False


def parse_figure(text: str, unit: str | None = None) -> Parsed | None:
    """One figure (no parentheses): '1,234' '△7' '-1,445,903' '61.3%' '14건' '-' '76조 2,131'."""
    s = _norm(text)
    if not s:
        return None
    if s in _ZERO_MARKS:
        return Parsed(0)
    negative = False
    if s[0] in "△▵∆":
        negative, s = True, s[1:].strip()
    if not _DIGIT.search(s):
        return None  # neither a plain nor a 조/억 figure: both begin with a digit
    percent = s.endswith("%")
    core = _COUNTER_END.sub("", s)
    if _PLAIN.fullmatch(core):
        decimal = "." in core
        value = float(core.replace(",", ""))
        out = _as_number(value, decimal)
    else:
        k = parse_korean_amount(core, unit)
        if k is None:
            return None
        out = k
    if negative:
        out = -out
    return Parsed(float(out) if percent else out, percent)


def parse_number(text: str, unit: str | None = None) -> Number | None:
    """The value of one figure, or None when the text is not a figure."""
    p = parse_figure(text, unit)
    return None if p is None else p.value


@dataclass(frozen=True)
class Cell:
    """A table cell read as numbers: the main figure and the one in parentheses, if any."""

    main: Parsed | None
    extra: Parsed | None = None
    has_extra: bool = False

    @property
    def numeric(self) -> bool:
        return self.main is not None


@lru_cache(maxsize=8192)  # a table's cells are read several times (header test, columns, values)
def parse_cell(text: str, unit: str | None = None) -> Cell:
    """'103,358 (28.9%)' -> 103358 and 28.9%; '6,544 (-)' -> 6544 and 0; '47(28)' -> 47 and 28.
    A cell whose main part is not a figure is not numeric (main None)."""
    s = _norm(text)
    m = _CELL.match(s)
    if not m:
        return Cell(None)
    main_text, extra_text = m.group("main"), m.group("extra")
    if extra_text is None:
        return Cell(parse_figure(s, unit))
    main = parse_figure(main_text, unit)
    if main is None:
        return Cell(None)
    extra = parse_figure(extra_text, unit)
    if extra is None:
        return Cell(main)  # '(이월)' or other words: not a second value
    return Cell(main, extra, True)


def is_figure(text: str) -> bool:
    """True for a cell that holds a number as printed (so a row holding one is data, not header)."""
    return parse_cell(text).numeric


_DATE = re.compile(
    r"(?:(?P<y4>(?:19|20)\d\d)|[‘’'`´]\s*(?P<y2>\d\d))\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})(?!\d)"
)


def find_date(text: str) -> date | None:
    """The first full date printed in ``text`` ('2021.7.31.', "'21. 4. 19.", '2015. 12. 31'), or None."""
    for m in _DATE.finditer(unicodedata.normalize("NFKC", text)):
        year = int(m["y4"]) if m["y4"] else 2000 + int(m["y2"])
        try:
            return date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            continue
    return None


# --- amounts in a sentence ------------------------------------------------------------

MONEY_AMOUNT = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>백만원|천만원|천원|억원|만원|원)")
# a spoken amount: '8억 5천만원', '11억 2,000만원'
_SPOKEN = re.compile(r"(?P<eok>\d[\d,]*)\s*억\s+(?P<rest>\d[\d,]*)\s*(?P<unit>천만원|백만원|만원)")
UNIT_IN_THOUSANDS = {"백만원": 1000.0, "천만원": 10000.0, "천원": 1.0, "억원": 100000.0, "만원": 10.0, "원": 0.001}


def amount_in_thousands(text: str | None) -> tuple[float, float] | None:
    """The first amount of a budget sentence in 천원 (the budget tables' unit), with the
    rounding that printing it in its own unit allows (±0.5 백만원 for '3,974백만원')."""
    if not text:
        return None
    spoken = _SPOKEN.search(text)
    if spoken:
        unit = UNIT_IN_THOUSANDS[spoken.group("unit")]
        eok, rest = int(spoken.group("eok").replace(",", "")), int(spoken.group("rest").replace(",", ""))
        return eok * 100000.0 + rest * unit, 0.5 * unit + 0.001
    m = MONEY_AMOUNT.search(text)
    if not m:
        return None
    try:
        unit = UNIT_IN_THOUSANDS[m.group("unit")]
        return float(m.group("num").replace(",", "")) * unit, 0.5 * unit + 0.001
    except ValueError:
        return None
