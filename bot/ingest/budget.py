"""Budget / 집행 / 결산 / 편성 tables into ``BudgetLine`` rows."""

from __future__ import annotations

from bot.ingest.text import Document
from bot.models import BudgetLine, Department


def parse_budget(doc: Document, departments: list[Department]) -> list[BudgetLine]:
    return []  # TODO(ingest-budget helper)
