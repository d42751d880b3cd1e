"""Naming where a figure came from: every answer ends with its 기준일 and its report, so
a reader can check it against the paper. Shared by the commands, the digest and the
reminders."""

from __future__ import annotations

import functools
from datetime import date

from bot import messages as M
from bot.models import Precision, Report
from bot.replies.when import dot_date, month_date


def report_date_text(r: Report) -> str:
    return month_date(r.report_date) if r.report_date_precision != Precision.DAY else dot_date(r.report_date)


def report_label(r: Report) -> str:
    """'시민소통기획관 주요업무보고(2021.9.6.)'."""
    return _label(r.org, r.title, r.report_date, r.report_date_precision)


@functools.lru_cache(maxsize=20_000)
def _label(org: str, title: str, when: date, precision: Precision) -> str:
    """Made once per report (an answer offering a thousand other reports names each)."""
    if org.replace(" ", "") not in title.replace(" ", ""):
        title = f"{org} {title}"
    when_text = month_date(when) if precision != Precision.DAY else dot_date(when)
    return f"{title}({when_text})"


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
