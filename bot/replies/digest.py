"""The weekly digest as one reply: the milestones of the next two weeks, the open audit
follow-ups by department with their age, the programs whose 집행률 lags most, and what
changed since the last digest this channel received.

Built here, below the commands and the reminders, for /digest, the scheduler and
``reportbot digest`` alike; what it reads is bot/lookups/digest.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot import messages as M
from bot.clock import SEOUL
from bot.config import Settings
from bot.lookups.digest import digest_milestones, lagging_programs, open_audit_items
from bot.models import AuditItem, BudgetLine, Milestone, Report
from bot.replies import Chart, Reply, ReplyKind, Section, Series
from bot.replies.milestones import dept_suffix
from bot.replies.money import format_rate
from bot.replies.sources import report_label
from bot.replies.when import d_day, describe, dot_date, last_day
from bot.store.api import StoreAPI

MAX_MILESTONES = 30
MAX_CHANGES = 15

Lagging = list[tuple[Report, BudgetLine, float]]


def _milestone_lines(starting: list[Milestone], ending: list[Milestone], as_of: date) -> list[str]:
    lines = [
        f"{d_day(as_of, m.start, m.end, m.precision)} · "
        + M.DIGEST_MILESTONE_ROW.format(when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m))
        for m in starting[:MAX_MILESTONES]
    ]
    lines += [
        M.DIGEST_MILESTONE_ENDING.format(
            when=describe(m.start, m.end, m.precision), title=m.title, dept=dept_suffix(m), end=dot_date(last_day(m.start, m.end, m.precision))
        )
        for m in ending[: max(0, MAX_MILESTONES - len(lines))]
    ]
    return lines


def _audit_lines(audit: list[tuple[Report, AuditItem]], as_of: date) -> list[str]:
    """By department, most items first; each item with its report and age in days."""
    by_dept: dict[str, list[tuple[Report, AuditItem]]] = defaultdict(list)
    for r, a in audit:
        by_dept[a.dept or M.DIGEST_AUDIT_NO_DEPT].append((r, a))
    lines: list[str] = []
    for dept, items in sorted(by_dept.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(M.DIGEST_AUDIT_DEPT.format(dept=dept, count=len(items)))
        lines += [
            M.DIGEST_AUDIT_ITEM.format(status=a.status.value, head=a.request_head, report=report_label(r), days=(as_of - r.report_date).days)
            for r, a in items
        ]
    return lines


def _lagging_lines(lag: Lagging) -> list[str]:
    """The rows, then one source line per report with its tables' 기준일."""
    lines = [M.DIGEST_LAGGING_ROW.format(name=b.name, dept=b.dept or "-", rate=format_rate(rate)) for _, b, rate in lag]
    for r in {id(r): r for r, _, _ in lag}.values():
        table_dates = sorted({b.as_of for rr, b, _ in lag if rr.id == r.id and b.as_of})
        lines.append(M.DIGEST_LAGGING_SOURCE.format(as_of=", ".join(dot_date(d) for d in table_dates) or "-", report=report_label(r)))
    return lines


def _lagging_chart(lag: Lagging) -> Chart | None:
    if len(lag) < 2:
        return None
    return Chart(
        kind="bar",
        title=M.DIGEST_LAGGING,
        labels=[b.name for _, b, _ in lag],
        series=[Series(name=M.BUDGET_COL_RATE_SERIES, values=[rate for _, _, rate in lag])],
        unit="%",
    )


@dataclass(frozen=True)
class _Facts:
    """What a digest says besides the change log: one per day asked and state of the
    store (it reads every office's newest report; the answer changes only with them)."""

    count: int
    milestones: list[str]
    audit: list[str]
    audit_count: int
    lagging: list[str]
    chart: Chart | None


def _facts(store: StoreAPI, as_of: date, days: int, lagging: int) -> _Facts:
    def build() -> _Facts:
        starting, ending = digest_milestones(store, as_of, days)
        audit = open_audit_items(store, as_of)
        lag = lagging_programs(store, as_of, lagging)
        return _Facts(
            len(starting) + len(ending), _milestone_lines(starting, ending, as_of), _audit_lines(audit, as_of), len(audit), _lagging_lines(lag),
            _lagging_chart(lag),
        )

    facts: _Facts = store.cached(("digest_facts", as_of, days, lagging), build)
    return facts


def build_digest(store: StoreAPI, settings: Settings, as_of: date, since: datetime | None = None) -> Reply:
    """The digest as of ``as_of``; ``since`` is when this channel last got one (default a week)."""
    ds = settings.digest
    since = since or datetime.combine(as_of - timedelta(days=7), time(0, 0), tzinfo=SEOUL)
    facts = _facts(store, as_of, ds.days_ahead, ds.lagging_programs)
    until = datetime.combine(as_of + timedelta(days=1), time(0, 0), tzinfo=SEOUL)
    changes = [c for c in store.changes_since(since) if c.at < until]  # an as-of digest ignores later changes
    window = {"start": dot_date(as_of), "end": dot_date(as_of + timedelta(days=ds.days_ahead))}
    return Reply(
        kind=ReplyKind.ANSWER,
        title=M.DIGEST_TITLE.format(as_of=dot_date(as_of, weekday=True)),
        summary=[M.DIGEST_SUMMARY.format(milestones=facts.count, audit=facts.audit_count, changes=len(changes))],
        sections=[
            Section(heading=M.DIGEST_MILESTONES.format(**window), lines=list(facts.milestones) or [M.DIGEST_NO_MILESTONES]),
            Section(heading=M.DIGEST_AUDIT, lines=list(facts.audit) or [M.DIGEST_NO_AUDIT]),
            Section(heading=M.DIGEST_LAGGING, lines=list(facts.lagging) or [M.DIGEST_NO_LAGGING]),
            Section(
                heading=M.DIGEST_CHANGES.format(since=dot_date(since.astimezone(SEOUL).date())),
                lines=[f"{dot_date(c.at.astimezone(SEOUL).date())} {c.summary}" for c in changes[-MAX_CHANGES:]] or [M.DIGEST_NO_CHANGES],
            ),
        ],
        footnote=M.DIGEST_FOOTNOTE,
        chart=facts.chart.model_copy(deep=True) if facts.chart is not None else None,
    )
