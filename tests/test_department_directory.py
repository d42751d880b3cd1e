"""Every command knows the same departments: a name the reports print as a department —
in an organisation table, a budget table, a program's owner, a milestone or a follow-up —
is recognised by /budget, /program, /audit, /upcoming, /when, /milestone list,
/budget 순위 and /subscribe alike (no command says it does not know it)."""

from __future__ import annotations

from datetime import date

import pytest

from bot import messages as M
from bot.lookups.departments import department_names, department_pool
from bot.models import AuditItem, AuditStatus, BudgetLine, Department, Milestone, ParsedReport, Precision, Program, Report, Source
from bot.replies import Reply, ReplyKind
from handlers.dispatch import handle
from tests.handmade import context

COMMANDS = ("/budget {}", "/program {}", "/audit {}", "/upcoming {}", "/budget 순위 low {}", "/milestone list {}", "/subscribe {}")


def _unknown(reply: Reply) -> bool:
    """The answer of a command that did not recognise the name: not found, or a list to choose from."""
    return reply.kind == ReplyKind.CANDIDATES or reply.title == M.NOT_FOUND_TITLE


def _directory(store) -> list[str]:
    return list(department_pool(store).values())


def test_every_command_and_subscribe_recognise_every_department_of_the_directory(corpus):
    ctx = context(corpus)
    misses = [(cmd.format(dept), r.title) for dept in _directory(corpus) for cmd in COMMANDS if _unknown(r := handle(cmd.format(dept), ctx))]
    assert not misses, misses[:10]


def _one_source_each() -> ParsedReport:
    """A report where each department is printed in one kind of record only."""
    rid = "onesourceeachaaa"
    src = Source(report_id=rid, doc="one.txt", line=10)
    report = Report(id=rid, doc="one.txt", title="주요업무보고", org="예시국", report_date=date(2023, 8, 1), line_count=100)
    return ParsedReport(
        report=report,
        departments=[Department(name="조직표만담당관", source=src)],
        budget_lines=[BudgetLine(table="일반회계", unit="천원", dept="예산표만담당관", level="dept", name="예산표만담당관", values={"예산현액": 1000}, order=1, source=src)],
        programs=[Program(title="사업주인만 사업", dept="사업주인만담당관", line=20, source=src)],
        milestones=[Milestone(title="일정만 행사", start=date(2023, 10, 10), precision=Precision.DAY, dept="일정만담당관", source=src)],
        audit_items=[AuditItem(kind="건의", dept="감사만담당관", status=AuditStatus.IN_PROGRESS, request_head="점검", request="점검하기 바람", number=1, source=src)],
    )


ONE_SOURCE = ("조직표만담당관", "예산표만담당관", "사업주인만담당관", "일정만담당관", "감사만담당관", "손으로넣은담당관")


@pytest.mark.parametrize("dept", ONE_SOURCE)
def test_a_department_printed_in_one_kind_of_record_only_is_known_to_every_command(made, dept):
    made.ingest(_one_source_each())
    made.add_manual_milestone(Milestone(title="손으로 넣은 설명회", start=date(2023, 10, 5), precision=Precision.DAY, dept="손으로넣은담당관"))
    assert dept in department_names(made)
    ctx = context(made, today=date(2023, 9, 6))
    misses = [cmd.format(dept) for cmd in COMMANDS if _unknown(handle(cmd.format(dept), ctx))]
    assert not misses
