"""Which reports print a name, and whether several candidates are one program.

A program printed in several years' reports may carry the year in its title ('2022 시민
정책축제 개최', '시민 정책축제 개최'): those candidates are no real choice — the newest
(or the one of the year asked for) answers, and the others are its other years."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.lookups.catalog import name_origins
from bot.lookups.names import Resolution, normalize
from bot.models import Report

if TYPE_CHECKING:
    from bot.store.api import StoreAPI

_YEAR_WORDS = re.compile(r"(?:19|20)\d{2}\s*(?:년도?|회계연도)?|'\d{2}\s*(?:년도?)?|(?<!\d)\d{2}\s*년도?")


def program_key(name: str) -> str:
    """A title without its years: '「2022 시민 정책축제」 개최' and '시민 정책축제 개최'
    are one program's titles in two years' reports."""
    return normalize(_YEAR_WORDS.sub(" ", name))


class _Origins(Mapping[str, list[Report]]):
    """Normalised name → the reports printing it, newest first, read from the store's
    cached index (``name_origins``) one name at a time."""

    def __init__(self, store: StoreAPI) -> None:
        self._store = store
        self._ids = name_origins(store)

    def __getitem__(self, key: str) -> list[Report]:
        return [r for rid in self._ids[key] if (r := self._store.report(rid)) is not None]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def name_reports(store: StoreAPI) -> Mapping[str, list[Report]]:
    """Normalised name → the reports that print it (as a department, budget row, program,
    event or office), newest first."""
    return _Origins(store)


@dataclass
class OneProgram:
    """The candidate that answers, its report, and the other years' candidates (newest first)."""

    name: str
    report: Report
    others: list[tuple[str, Report]]


def _printed_apart(printed: list[list[Report]]) -> bool:
    """Every candidate is printed, and never two in one report (two titles in one report
    are two things of that report)."""
    seen: set[str] = set()
    for reports in printed:
        ids = {r.id for r in reports}
        if not ids or ids & seen:
            return False
        seen |= ids
    return True


def _one_title(res: Resolution) -> bool:
    """All the candidates (two or more, none left off) are one title but for its years."""
    names = res.candidates
    return res.outcome == "many" and len(names) >= 2 and not res.more and len({program_key(n) for n in names}) == 1 and bool(program_key(names[0]))


def one_program(res: Resolution, origins: Mapping[str, list[Report]], year: int | None) -> OneProgram | None:
    """``OneProgram`` when every candidate is one program printed in different reports;
    None when it is a real choice (or the year asked matches none or several)."""
    names = res.candidates
    if not _one_title(res):
        return None
    printed = [origins.get(normalize(n), []) for n in names]
    if not _printed_apart(printed):
        return None
    newest = sorted(((n, rs[0]) for n, rs in zip(names, printed, strict=True)), key=lambda nr: nr[1].report_date, reverse=True)
    chosen = newest[0]
    if year is not None:
        hit = [(n, r) for n, rs in zip(names, printed, strict=True) for r in rs if r.year == year]
        if len(hit) != 1:
            return None
        chosen = hit[0]
    return OneProgram(chosen[0], chosen[1], [(n, r) for n, r in newest if n != chosen[0]])
