"""Program queries: one 주요업무 program in the report a year names, a department's
programs, and the dates printed for a program."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.lookups.catalog import programs_by, programs_of_dept, programs_titled
from bot.lookups.names import normalize
from bot.lookups.reports import ReportChoice, choose_among
from bot.lookups.summaries import report_ids
from bot.models import Milestone, Program

if TYPE_CHECKING:
    from bot.store.api import StoreAPI


@dataclass
class ProgramChoice:
    """The program printed under a title in the chosen report (None: the year has none)."""

    choice: ReportChoice
    program: Program | None


def program_titled(store: StoreAPI, title: str, year: int | None = None, month: int | None = None) -> ProgramChoice:
    """The program under ``title`` in the report the year names: chosen among the reports
    the name index says print the title, and only the chosen one read."""
    choice = choose_among(store, report_ids(store, "program", title), year, month)
    chosen = choice.chosen
    here = programs_by(store, chosen.id, "title").get(normalize(title), []) if chosen else []
    if chosen and not here:  # the summary names it but no program reads as valid: choose among the programs
        progs = programs_titled(store, title)
        choice = choose_among(store, {p.source.report_id for p in progs}, year, month)
        here = [p for p in progs if choice.chosen and p.source.report_id == choice.chosen.id]
    return ProgramChoice(choice, here[0] if here else None)


@dataclass
class DeptPrograms:
    """A department's programs in the chosen report, in printed order."""

    choice: ReportChoice
    programs: list[Program] = field(default_factory=list)


def dept_programs(store: StoreAPI, dept: str, year: int | None = None, month: int | None = None) -> DeptPrograms:
    progs = programs_of_dept(store, dept)
    choice = choose_among(store, {p.source.report_id for p in progs}, year, month)
    chosen = choice.chosen
    return DeptPrograms(choice, sorted((p for p in progs if chosen and p.source.report_id == chosen.id), key=lambda p: p.line))


def program_milestones(store: StoreAPI, p: Program) -> list[Milestone]:
    """The dated plans its report prints for the program (soonest first)."""
    key = normalize(p.title)
    return [m for m in store.milestones_of(p.source.report_id) if m.program and normalize(m.program) == key and m.source]
