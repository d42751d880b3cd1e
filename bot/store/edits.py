"""What people changed by hand: follow-up statuses recorded with ``/audit done`` and
milestones added with the reminder commands. Kept in the store file, apart from the
parsed records, so they survive re-ingesting a report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tinydb import Query

from bot.keys import audit_identity
from bot.models import AuditItem, AuditStatus, Milestone, Report
from bot.store.files import StoreFile
from bot.store.index import CatalogueIndex
from bot.store.journal import Journal


def load_edits(file: StoreFile, idx: CatalogueIndex) -> None:
    """People's edits into the catalogue's indexes: status changes keyed by report
    identity, kind and number (a record from before kinds were kept names the number
    alone) and by the item's own identity (office + year + kind + number), so a
    corrected copy whose title or date moved still finds them; hand-added milestones."""
    for d in file.table("audit_status").all():
        try:
            AuditStatus(d["status"])
            idx.overrides[(d["report_identity"], d.get("kind"), d["number"])] = d
            if d.get("identity"):
                idx.stable[d["identity"]] = d
        except (KeyError, ValueError, TypeError) as exc:
            file.skip("audit_status", str(getattr(d, "doc_id", "?")), repr(exc))
    for doc in file.table("manual_milestones").all():
        m = file.valid("manual_milestones", doc, Milestone)
        if m is not None:
            idx.manual.append(m)


class Edits:
    """Writes of people's edits; reads go through the corpus (which applies them)."""

    def __init__(self, file: StoreFile, now: Callable[[], datetime], journal: Journal) -> None:
        self.file = file
        self.now = now
        self.journal = journal

    def add_manual_milestone(self, m: Milestone) -> Milestone:
        with self.file.write("milestones"):
            table = self.file.table("manual_milestones")
            next_id = max((d.get("manual_id") or 0 for d in table.all()), default=0) + 1
            saved = m.model_copy(update={"manual_id": next_id, "source": None})
            table.insert(saved.model_dump(mode="json"))
            self.journal.record("milestone_added", f"일정 추가: {saved.start.isoformat()} {saved.title}")
        return saved

    def remove_manual_milestone(self, manual_id: int) -> Milestone | None:
        with self.file.write("milestones"):
            table = self.file.table("manual_milestones")
            docs = table.search(Query().manual_id == manual_id)
            if not docs:
                return None
            m = Milestone.model_validate(docs[0])
            table.remove(Query().manual_id == manual_id)
            self.journal.record("milestone_removed", f"일정 삭제: {m.start.isoformat()} {m.title}")
        return m

    def set_audit_status(
        self,
        report: Report | None,
        items: list[AuditItem],
        number: int,
        status: AuditStatus,
        note: str | None,
        by: str | None,
        kind: str | None = None,
    ) -> AuditItem | None:
        """Record a follow-up's status by report, kind and number (numbers restart per kind
        in some reports), so it survives a re-ingest. ``items``: the report's follow-ups."""
        item = next((a for a in items if a.number == number and kind in (None, a.kind)), None)
        if report is None or item is None:
            return None
        q = Query()
        cond = (q.report_identity == report.identity) & (q.number == number) & (q.kind == item.kind)
        with self.file.write("audit"):
            self.file.table("audit_status").upsert(
                {
                    "report_identity": report.identity,
                    "identity": audit_identity(report, item.kind, number),
                    "kind": item.kind,
                    "number": number,
                    "status": status.value,
                    "note": note,
                    "by": by,
                    "at": self.now().isoformat(),
                },
                cond,
            )
            self.journal.record("audit_status", f"감사 후속조치 {number}번 상태 변경: {item.status.value} → {status.value}")
        return item.model_copy(update={"status": status, "action": note or item.action})
