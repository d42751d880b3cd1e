"""행정사무감사 처리결과 and 결산검사 시정권고 follow-ups."""

from __future__ import annotations

from bot.ingest.text import Document
from bot.models import AuditItem, AuditSummary, Department


def parse_audit(doc: Document, departments: list[Department]) -> tuple[list[AuditItem], AuditSummary | None]:
    return [], None  # TODO(ingest-audit helper)
