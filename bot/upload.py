"""Reports sent to the bot in chat: read, previewed, and stored only when the admin
presses 저장. Platform-free: an adapter downloads the file and calls ``receive``; the
저장/취소 buttons run ``/upload save|cancel TOKEN`` (handlers/upload.py).

A pending preview lives in a spool directory (``[upload] spool_dir``) as the file and a
small JSON record holding its SHA-256, who sent it and when. 저장 re-reads exactly those
bytes (the hash must match) and ingests them as ``reportbot ingest`` does, so a restart
between preview and 저장 can never store something other than what was previewed; an
expired or unknown token stores nothing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePath
from typing import Any

from bot import messages as M
from bot.clock import SEOUL
from bot.config import Settings
from bot.ingest.account import account_lines
from bot.ingest.export import to_export
from bot.ingest.parse import parse_bytes
from bot.ingest.text import NotAReportError
from bot.models import AuditItem, BudgetLine, Milestone, ParsedReport
from bot.replies import Action, Reply, ReplyKind, Section
from bot.store import IngestShrinkError
from bot.store.api import StoreAPI

UPLOAD_SUFFIXES = (".hwp", ".hwpx", ".pdf", ".txt", ".md", ".text")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
PROVENANCE_KEY = "upload:{report_id}"


def _wall_now() -> datetime:
    return datetime.now(SEOUL)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB"


@dataclass
class Incoming:
    """What the platform tells about a file before it is downloaded."""

    name: str
    size: int | None
    user: str  # who sent it (platform user id)
    user_label: str  # how to name them to people
    platform: str
    chat: str


class Uploads:
    def __init__(self, store: StoreAPI, settings: Settings, now: Callable[[], datetime] = _wall_now) -> None:
        self.store = getattr(store, "_store", store)  # the whole store, not a dated view
        self.settings = settings
        self.now = now
        self.spool = Path(settings.upload.spool_dir)

    # -- before download ------------------------------------------------------------
    def refusal(self, f: Incoming, is_admin: bool) -> Reply | None:
        """A reply when the file must not even be downloaded: not an admin, a type that
        is no report, or over the size limit."""
        if not is_admin:
            return _error(M.UPLOAD_NOT_ADMIN, ReplyKind.DENIED)
        if PurePath(f.name).suffix.lower() not in UPLOAD_SUFFIXES:
            return _error(M.UPLOAD_WRONG_TYPE.format(name=f.name))
        limit = self.settings.upload.max_upload_bytes
        if f.size is not None and f.size > limit:
            return _error(M.UPLOAD_TOO_LARGE.format(size=_mb(f.size), limit=_mb(limit)))
        return None

    # -- preview --------------------------------------------------------------------
    def receive(self, f: Incoming, data: bytes, is_admin: bool) -> Reply:
        """Read the file and answer with a preview and 저장/취소 buttons; nothing is stored."""
        refused = self.refusal(f, is_admin)
        if refused is not None:
            return refused
        limit = self.settings.upload.max_upload_bytes
        if len(data) > limit:
            return _error(M.UPLOAD_TOO_LARGE.format(size=_mb(len(data)), limit=_mb(limit)))
        try:
            parsed = parse_bytes(f.name, data, max_bytes=min(limit, self.settings.store.max_report_bytes))
        except NotAReportError as exc:
            return _error(M.UPLOAD_UNREADABLE.format(name=f.name, reason=exc.reason))
        self._expire_old()
        token = secrets.token_urlsafe(12)
        self.spool.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.spool / f"{token}.bin", data)
        record = {
            "name": f.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "user": f.user,
            "user_label": f.user_label,
            "platform": f.platform,
            "chat": f.chat,
            "created_at": self.now().isoformat(),
        }
        _atomic_write(self.spool / f"{token}.json", json.dumps(record, ensure_ascii=False).encode())
        return self._preview(f.name, parsed, token)

    def _preview(self, name: str, parsed: ParsedReport, token: str) -> Reply:
        minutes = self.settings.upload.preview_minutes
        until = (self.now() + timedelta(minutes=minutes)).strftime("%H:%M")
        sections = [Section(heading=M.UPLOAD_PREVIEW_READ, lines=account_lines(to_export(parsed)))]
        sections.append(Section(heading=M.UPLOAD_PREVIEW_CHANGES, lines=self.changes(parsed)))
        return Reply(
            kind=ReplyKind.ANSWER,
            title=M.UPLOAD_PREVIEW_TITLE.format(name=name),
            sections=sections,
            footnote=M.UPLOAD_PREVIEW_FOOT.format(minutes=f"{minutes:g}", until=until),
            actions=[
                Action(label=M.UPLOAD_SAVE, command=f"/upload save {token}"),
                Action(label=M.UPLOAD_CANCEL, command=f"/upload cancel {token}"),
            ],
            shareable=False,
        )

    def changes(self, parsed: ParsedReport) -> list[str]:
        """What 저장 would change against the stored version of the same report."""
        new = parsed.report
        if any(r.id == new.id for r in self.store.reports()):
            return [M.UPLOAD_PREVIEW_SAME]
        old = next((r for r in self.store.reports() if r.identity == new.identity), None)
        if old is None:
            return [M.UPLOAD_PREVIEW_NEW]
        when = old.ingested_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M") if old.ingested_at else "?"
        mine = [m for m in self.store.milestones() if m.source and m.source.report_id == old.id]
        return [
            M.UPLOAD_PREVIEW_AGAINST.format(date=when),
            *_budget_changes(self.store.budget_lines(old.id), parsed.budget_lines),
            *_audit_changes(self.store.audit_items(old.id), parsed.audit_items),
            *_milestone_changes(mine, parsed.milestones),
        ]

    # -- 저장 / 취소 ----------------------------------------------------------------
    def _pending(self, token: str) -> tuple[dict[str, Any], Path, Path] | None:
        if not _TOKEN.match(token or ""):
            return None
        meta_path, data_path = self.spool / f"{token}.json", self.spool / f"{token}.bin"
        try:
            record = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        created = datetime.fromisoformat(record["created_at"])
        if self.now() - created > timedelta(minutes=self.settings.upload.preview_minutes):
            _remove(meta_path, data_path)
            return None
        return record, meta_path, data_path

    def _owned(self, token: str, user: str) -> tuple[dict[str, Any], Path, Path] | Reply:
        """The pending preview, if it has not expired and ``user`` is who sent it."""
        pending = self._pending(token)
        if pending is None:
            return _error(M.UPLOAD_EXPIRED, ReplyKind.NOT_FOUND)
        if pending[0]["user"] != user:
            return _error(M.UPLOAD_NOT_YOURS, ReplyKind.DENIED)
        return pending

    def save(self, token: str, user: str) -> Reply:
        owned = self._owned(token, user)
        if isinstance(owned, Reply):
            return owned
        record, meta_path, data_path = owned
        try:
            data = data_path.read_bytes()
        except OSError:
            _remove(meta_path, data_path)
            return _error(M.UPLOAD_EXPIRED, ReplyKind.NOT_FOUND)
        if hashlib.sha256(data).hexdigest() != record["sha256"]:
            _remove(meta_path, data_path)
            return _error(M.UPLOAD_CHANGED)
        # Claim the preview first: a second press of 저장 finds nothing to store.
        try:
            os.replace(meta_path, meta_path.with_suffix(".saving"))
        except OSError:
            return _error(M.UPLOAD_EXPIRED, ReplyKind.NOT_FOUND)
        try:
            parsed = parse_bytes(record["name"], data, max_bytes=self.settings.upload.max_upload_bytes)
            parsed = parsed.model_copy(update={"report": parsed.report.model_copy(update={"uploaded_by": record["user_label"]})})
            outcome = self.store.ingest(parsed, force=False)
        except NotAReportError as exc:
            return _error(M.UPLOAD_UNREADABLE.format(name=record["name"], reason=exc.reason))
        except IngestShrinkError as exc:
            lost = ", ".join(f"{k} {a}→{b}" for k, (a, b) in exc.lost.items())
            return _error(M.UPLOAD_SHRINK.format(lost=lost))
        finally:
            _remove(meta_path.with_suffix(".saving"), data_path)
        r = outcome.report
        when = self.now().strftime("%Y-%m-%d %H:%M")
        if outcome.status != "unchanged":
            self.store.set_meta(
                PROVENANCE_KEY.format(report_id=r.id),
                {"by": record["user_label"], "user": record["user"], "platform": record["platform"], "at": self.now().isoformat(), "file": record["name"]},
            )
        return Reply(
            kind=ReplyKind.DONE,
            title=M.UPLOAD_SAVED.format(
                title=r.title, org=r.org, date=r.report_date.isoformat(), status=M.UPLOAD_STATUS[outcome.status],
                user=record["user_label"], when=when,
            ),
            shareable=False,
        )

    def cancel(self, token: str, user: str) -> Reply:
        owned = self._owned(token, user)
        if isinstance(owned, Reply):
            return owned
        record, meta_path, data_path = owned
        _remove(meta_path, data_path)
        return Reply(kind=ReplyKind.DONE, title=M.UPLOAD_CANCELLED.format(name=record["name"]), shareable=False)

    def _expire_old(self) -> None:
        """Expired previews leave the spool (files and all) when the next one arrives."""
        if not self.spool.is_dir():
            return
        for meta in self.spool.glob("*.json"):
            self._pending(meta.stem)


def provenance(store: StoreAPI, report_id: str) -> dict[str, Any] | None:
    """Who added an uploaded report, and when (None for reports from files)."""
    value = store.get_meta(PROVENANCE_KEY.format(report_id=report_id))
    return value if isinstance(value, dict) else None


def _error(text: str, kind: ReplyKind = ReplyKind.USAGE) -> Reply:
    """A refusal: nothing was stored, and the sentence says why."""
    return Reply(kind=kind, title=text, shareable=False)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _remove(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _item(text: str) -> str:
    return M.UPLOAD_DIFF_ITEM.format(text=text)


def _figure(v: Any) -> str:
    return f"{v:,}" if isinstance(v, int) else str(v)


def _budget_changes(before_lines: Iterable[BudgetLine], after_lines: Iterable[BudgetLine]) -> list[str]:
    """Budget rows (by table, department and name) changed, added and removed: counts,
    then a few of each with the figures that moved."""
    before, after = _by_row(before_lines), _by_row(after_lines)
    changed = [k for k in after if k in before and after[k] != before[k]]
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    out = [M.UPLOAD_DIFF_BUDGET.format(changed=len(changed), added=len(added), removed=len(removed))]
    out += [_item(f"{_row_name(k)}: {_moved_figures(before[k], after[k])}") for k in changed[:5]]
    out += [_item(f"+ {_row_name(k)}") for k in added[:3]]
    out += [_item(f"- {_row_name(k)}") for k in removed[:3]]
    return out


def _by_row(lines: Iterable[BudgetLine]) -> dict[tuple[str, str, str], dict[str, float | int | None]]:
    return {(b.table, b.dept or "", b.name): b.values for b in lines}


def _row_name(key: tuple[str, str, str]) -> str:
    """'부서 사업' for a (table, department, name) key; the name alone when they agree."""
    _, dept, name = key
    return name if not dept or dept == name else f"{dept} {name}"


def _moved_figures(old: Mapping[str, object], new: Mapping[str, object]) -> str:
    """Up to three columns whose figure moved, as 'column old → new'."""
    diffs = [f"{c} {_figure(old.get(c))} → {_figure(new.get(c))}" for c in new if new.get(c) != old.get(c)]
    return ", ".join(diffs[:3])


def _audit_changes(before_items: Iterable[AuditItem], after_items: Iterable[AuditItem]) -> list[str]:
    """Follow-ups whose status moved (same kind and number), a few of them named."""
    old_status = {(a.kind, a.number): a.status for a in before_items}
    moved = [a for a in after_items if (a.kind, a.number) in old_status and old_status[(a.kind, a.number)] != a.status]
    return [M.UPLOAD_DIFF_AUDIT.format(count=len(moved))] + [
        _item(f"{a.kind} {a.number}: {old_status[(a.kind, a.number)]} → {a.status}") for a in moved[:5]
    ]


def _milestone_changes(before: Iterable[Milestone], after: Iterable[Milestone]) -> list[str]:
    """Milestones (title and start date) added and removed, a few of each named."""
    old_m = {(m.title, m.start.isoformat()) for m in before}
    new_m = {(m.title, m.start.isoformat()) for m in after}
    plus, minus = sorted(new_m - old_m), sorted(old_m - new_m)
    out = [M.UPLOAD_DIFF_MILESTONES.format(added=len(plus), removed=len(minus))]
    out += [_item(f"+ {t} ({d})") for t, d in plus[:5]]
    out += [_item(f"- {t} ({d})") for t, d in minus[:5]]
    return out
