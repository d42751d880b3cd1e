"""Domain models shared by the parser, the store, the handlers and the reminders.

Every record parsed from a report carries a ``Source`` so that any figure the bot
quotes can name the report and the line it came from.

Field names are the names stored on disk (TinyDB JSON, PostgreSQL columns), so the four
fields called ``kind`` keep that name; each says below which kind it is.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Model):
    """Where a record was read: the report id (content hash) and the 1-based line."""

    report_id: str
    doc: str
    line: int | None = None


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


def period_end(d: date, precision: Precision) -> date:
    """The last day a date of this precision may mean ('2021년 10월' → 10월 31일). Here, below
    every reader of dates, because queries (what is still ahead) and replies (D-day) both ask."""
    if precision == Precision.MONTH:
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    if precision == Precision.QUARTER:
        last_month = ((d.month - 1) // 3 + 1) * 3
        return date(d.year, last_month, calendar.monthrange(d.year, last_month)[1])
    if precision == Precision.HALF:
        return date(d.year, 6, 30) if d.month <= 6 else date(d.year, 12, 31)
    if precision == Precision.YEAR:
        return date(d.year, 12, 31)
    return d


def last_day(start: date, end: date | None, precision: Precision) -> date:
    """The last day a milestone may still be happening."""
    return period_end(end or start, precision)


class Report(Model):
    """One ingested document. ``id`` is the content hash; ``identity`` names the
    report regardless of its bytes (office + title + date) so a corrected copy of the
    same report replaces the old one instead of sitting beside it."""

    id: str
    doc: str
    title: str
    org: str
    report_date: date
    report_date_precision: Precision = Precision.DAY
    kind: Literal["work", "settlement"] = "work"  # report kind: 주요업무보고 | 결산 (settles ``fiscal_year``)
    fiscal_year: int | None = None
    line_count: int = 0
    ingested_at: datetime | None = None
    uploaded_by: str | None = None  # who sent it in chat (None for the CLI and the bundled corpus)

    @property
    def identity(self) -> str:
        return f"{self.org}|{self.title}|{self.report_date.isoformat()}"

    @property
    def year(self) -> int:
        """The year staff name a report by: the 결산 year for settlements, else its date's."""
        return self.fiscal_year or self.report_date.year


class Department(Model):
    name: str
    quota: int | None = None
    current: int | None = None
    teams: list[str] = Field(default_factory=list)
    functions: dict[str, str] = Field(default_factory=dict)  # team -> 주요기능 text
    source: Source


BudgetLevel = Literal["total", "dept", "policy", "unit"]
Unit = Literal["천원", "백만원", "억원", "원"]


class BudgetLine(Model):
    table: str
    as_of: date | None = None
    unit: Unit
    dept: str | None = None
    level: BudgetLevel
    name: str
    values: dict[str, float | int | None]
    order: int = 0  # position within its table, to print rows as the report does
    source: Source


class Program(Model):
    """A numbered 주요업무 section."""

    title: str
    dept: str | None = None
    group: str | None = None  # the section heading it sits under (e.g. III-2 ...)
    number: str | None = None
    overview: str | None = None  # 사업개요 text
    budget_text: str | None = None
    achievements: list[str] = Field(default_factory=list)  # 추진실적
    plans: list[str] = Field(default_factory=list)  # 향후계획 lines
    line: int
    end_line: int | None = None
    source: Source


class AuditStatus(StrEnum):
    DONE = "완료"
    IN_PROGRESS = "추진중"
    REVIEWING = "검토중"
    NOT_REFLECTED = "미반영"
    NOT_STATED = "미기재"  # the report prints no status and its 총괄 does not force one


class AuditItem(Model):
    kind: str  # the item's category as printed: 시정·처리요구 | 건의 | 기타 | 결산검사시정권고 (numbers restart per category)
    dept: str | None = None
    status: AuditStatus
    request_head: str
    request: str
    action: str | None = None  # 조치결과
    plan: str | None = None  # 향후 추진계획
    due: date | None = None
    number: int  # 1-based within its report, as staff refer to it ("/audit 7")
    source: Source


class AuditSummary(Model):
    total: int
    counts: dict[str, int] = Field(default_factory=dict)  # status -> count, from the 총괄
    by_kind: dict[str, dict[str, int]] = Field(default_factory=dict)
    source: Source | None = None


class Milestone(Model):
    title: str
    start: date
    end: date | None = None
    precision: Precision
    program: str | None = None
    dept: str | None = None
    date_text: str | None = None  # the date as printed, to quote honestly
    source: Source | None = None  # None for hand-added milestones
    manual_id: int | None = None  # set for hand-added milestones
    added_by: str | None = None


class ParsedReport(Model):
    """Everything read from one report; the parser's whole output."""

    report: Report
    departments: list[Department] = Field(default_factory=list)
    budget_lines: list[BudgetLine] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    audit_items: list[AuditItem] = Field(default_factory=list)
    audit_summary: AuditSummary | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # what was seen but not read, for the person ingesting


class Subscription(Model):
    """A channel that wants reminders for a department, a program, or everything."""

    platform: str  # console | slack | telegram
    channel: str
    target: str  # department or program name, or "all"
    kind: Literal["reminder", "digest"] = "reminder"  # what is delivered: milestone reminders or the weekly digest
    created_at: datetime
    created_by: str | None = None


class SentRecord(Model):
    """One delivered reminder or digest; ``key`` makes every send happen once."""

    key: str
    platform: str
    channel: str
    sent_at: datetime
    due_at: datetime
    late: bool = False
    status: Literal["sent", "skipped"] = "sent"


class ChangeEvent(Model):
    """What changed in the store, for the weekly digest's 'since last week'."""

    at: datetime
    kind: str  # what happened: report_ingested | milestone_added | milestone_removed | audit_status
    summary: str
