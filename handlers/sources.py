"""Naming where a figure came from, and picking the report a year refers to.

Every answer ends with its 기준일 and its report, so a reader can check it against the
paper. A year names a report the way staff do: a 결산 report by the fiscal year it
settles ('2018' → the 2018 회계연도 결산, printed in 2019), any other by its date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot import messages as M
from bot.models import Precision, Report, Source
from bot.store import Store
from bot.replies.when import dot_date, month_date


def report_date_text(r: Report) -> str:
    return month_date(r.report_date) if r.report_date_precision != Precision.DAY else dot_date(r.report_date)


def report_label(r: Report) -> str:
    """'시민소통기획관 주요업무보고(2021.9.6.)'."""
    title = r.title if r.org.replace(" ", "") in r.title.replace(" ", "") else f"{r.org} {r.title}"
    return f"{title}({report_date_text(r)})"


def year_label(r: Report) -> str:
    """'2018 회계연도 결산' or '2021'."""
    if r.kind == "settlement" and r.fiscal_year:
        return M.SOURCE_FISCAL_YEAR.format(year=r.fiscal_year)
    return str(r.year)


def footnote(report: Report | None, as_of: date | None = None, line: int | None = None, figures: bool = False) -> str:
    """'기준 2021.7.31. · 출처: 시민소통기획관 주요업무보고(2021.9.6.) 168행'. ``figures``:
    the reply quotes money, so a 결산 without a printed 기준일 names its fiscal year."""
    parts: list[str] = []
    if as_of is not None:
        parts.append(M.SOURCE_AS_OF.format(date=dot_date(as_of)))
    elif figures and report is not None and report.kind == "settlement" and report.fiscal_year:
        parts.append(M.SOURCE_SETTLEMENT_AS_OF.format(year=report.fiscal_year))
    if report is not None:
        where = report_label(report)
        if line:
            where = M.SOURCE_LINE.format(where=where, line=line)
        parts.append(M.SOURCE_FROM.format(where=where))
        if report.uploaded_by and report.ingested_at:
            parts.append(M.SOURCE_UPLOADED.format(by=report.uploaded_by, at=report.ingested_at.strftime("%Y-%m-%d %H:%M")))
    return " · ".join(parts)


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
