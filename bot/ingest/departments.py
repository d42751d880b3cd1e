"""Departments: 정원/현원 from the 인력 table, teams and functions from 주요기능."""

from __future__ import annotations

from bot.ingest.text import Document
from bot.models import Department


def parse_departments(doc: Document) -> list[Department]:
    return []  # TODO(ingest-budget helper)
