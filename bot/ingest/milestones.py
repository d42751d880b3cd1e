"""Dated items in plan sections into ``Milestone`` records."""

from __future__ import annotations

from bot.ingest.text import Document
from bot.models import AuditItem, Milestone, Program


def parse_milestones(doc: Document, programs: list[Program], audit_items: list[AuditItem]) -> list[Milestone]:
    return []  # TODO(ingest-programs helper)
