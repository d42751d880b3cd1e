"""Naming where a figure came from, and picking the report a year refers to.

Every answer ends with its 기준일 and its report, so a reader can check it against the
paper. A year names a report the way staff do: a 결산 report by the fiscal year it
settles ('2018' → the 2018 회계연도 결산, printed in 2019), any other by its date."""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Report, Source

# The source line and year label are reply fragments (bot/replies/sources.py); re-exported
# here for the commands that still import them from this module.
from bot.replies.sources import footnote as footnote
from bot.replies.sources import report_date_text as report_date_text
from bot.replies.sources import report_label, year_label
from bot.store import Store


def source_report(store: Store, source: Source | None) -> Report | None:
    return store.report(source.report_id) if source else None


def newest_reports(store: Store, ids: Iterable[str]) -> list[Report]:
    """The reports among ``ids``, newest first (the order every "which year" choice uses)."""
    wanted = set(ids)
    return [r for r in store.reports() if r.id in wanted]


def pick_report(reports: list[Report], year: int | None, month: int | None = None) -> Report | None:
    """The report a year names (newest first in ``reports``); with a month, the report
    printed in that month ('2021-04'), for years that have two reports."""
    if year is None:
        return reports[0] if reports else None
    if month is not None:
        return next((r for r in reports if r.report_date.year == year and r.report_date.month == month), None)
    return next((r for r in reports if r.year == year), None)


def report_token(r: Report, among: list[Report]) -> str:
    """What to type to pick ``r`` out of ``among``: its year, or year-month when another
    report shares the year."""
    if sum(1 for x in among if x.year == r.year) > 1:
        return f"{r.report_date.year}-{r.report_date.month:02d}"
    return str(r.year)


def choice_label(r: Report, among: list[Report]) -> str:
    """'2018 회계연도 결산', or '2021 기획조정실 주요 업무 보고(2021.4.)' when the year is shared."""
    if sum(1 for x in among if x.year == r.year) > 1:
        return f"{year_label(r)} {report_label(r)}"
    return year_label(r)


def reports_of_year(reports: Iterable[Report], year: int) -> list[Report]:
    """Reports a year refers to, newest first (a 결산 report by its fiscal year)."""
    return sorted((r for r in reports if r.year == year), key=lambda r: r.report_date, reverse=True)


def years_text(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(set(years), reverse=True))
