"""Numbered 주요업무 sections into ``Program`` records."""

from __future__ import annotations

from bot.ingest.text import Document
from bot.models import BudgetLine, Department, Program


def parse_programs(doc: Document, departments: list[Department], budget_lines: list[BudgetLine]) -> list[Program]:
    return []  # TODO(ingest-programs helper)
