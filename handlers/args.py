"""Reading the optional parts of a lookup's argument: a year, a page, a number of days.

'/budget 뉴미디어 2018 p2' → name '뉴미디어', year 2018, page 2. Only a trailing token
is read as a year, so a name that merely contains a year ('2021 서울세계도시문화축제')
stays a name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PAGE = re.compile(r"^(?:p|P|page|쪽)\.?(\d{1,3})$|^(\d{1,3})(?:쪽|페이지)$")
_YEAR = re.compile(r"^(?:((?:19|20)\d{2})(?:년도?|회계연도)?|'(\d{2})년?|(\d{2})년도?)$")


_YEAR_MONTH = re.compile(r"^((?:19|20)\d{2})[-.](\d{1,2})\.?$")


@dataclass
class LookupArgs:
    words: list[str] = field(default_factory=list)
    year: int | None = None
    month: int | None = None  # '2021-04': the report printed in that month (two reports of one year)
    page: int = 1

    @property
    def name(self) -> str:
        return " ".join(self.words)

    @property
    def report_suffix(self) -> str:
        """The year part as typed back into a command: ' 2018', ' 2021-04' or ''."""
        if self.year is None:
            return ""
        return f" {self.year}-{self.month:02d}" if self.month else f" {self.year}"


def parse_year(token: str) -> int | None:
    m = _YEAR.match(token.strip())
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return 2000 + int(m.group(2) or m.group(3))


def parse_page(token: str) -> int | None:
    m = _PAGE.match(token.strip())
    if not m:
        return None
    page = int(m.group(1) or m.group(2))
    return page if page >= 1 else None


def parse_lookup(text: str) -> LookupArgs:
    words = text.split()
    out = LookupArgs()
    if words and (page := parse_page(words[-1])) is not None:
        out.page = page
        words = words[:-1]
    if words and (ym := _YEAR_MONTH.match(words[-1])) and 1 <= int(ym.group(2)) <= 12:
        out.year, out.month = int(ym.group(1)), int(ym.group(2))
        words = words[:-1]
    elif words and (year := parse_year(words[-1])) is not None:
        out.year = year
        words = words[:-1]
    out.words = words
    return out


def page_token(page: int) -> str:
    """The page syntax our own buttons use (documented in /help)."""
    return f"p{page}"
