"""``Store``: the one object callers hold. A thin facade: each method hands over to the
part that owns its reason to change — the file (``files``), the reports and their
records (``corpus``), people's edits (``edits``), delivery state (``delivery``) and the
change log (``journal``). ``bot.store.api.StoreAPI`` writes the interface down."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock, SystemClock
from bot.models import (
    AuditItem,
    AuditStatus,
    AuditSummary,
    BudgetLine,
    ChangeEvent,
    Department,
    Milestone,
    ParsedReport,
    Program,
    Report,
    SentRecord,
    Subscription,
)
from bot.store.corpus import Corpus, IngestOutcome
from bot.store.delivery import Delivery
from bot.store.edits import Edits
from bot.store.files import DEFAULT_BACKUPS, BackupInfo, StoreFile
from bot.store.index import NameIndex
from bot.store.journal import Journal
from bot.store.records import PARSED_TABLES


class Store:
    """The store: TinyDB files behind one repository object. One writer at a time (a
    file lock); reads come from memory and notice another process's write by a ``stat``."""

    def __init__(self, path: Path, clock: Clock | None = None, backups: int = DEFAULT_BACKUPS) -> None:
        self.clock = clock or SystemClock()
        self._file = StoreFile(Path(path), backups)
        self._journal = Journal(self._file, self._now)
        self._corpus = Corpus(self._file, self._now, self._journal)
        self._edits = Edits(self._file, self._now, self._journal)
        self._delivery = Delivery(self._file, self._now)
        self._corpus.write_back_summaries()

    def _now(self) -> datetime:
        return self.clock.now()  # late-bound: tests swap ``store.clock``

    # -- the file ----------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def backups_kept(self) -> int:
        return self._file.backups_kept

    @property
    def recovered_from(self) -> Path | None:
        """Where a corrupt store file was moved aside on open (None when it was not)."""
        return self._file.recovered_from

    @property
    def restored_from(self) -> Path | None:
        """The backup a corrupt or missing store came back from."""
        return self._file.restored_from

    @property
    def notices(self) -> list[str]:
        """Loud Korean notices for the operator (stderr, console)."""
        return self._file.notices

    @property
    def skipped(self) -> dict[tuple[str, str], str]:
        """(table, doc id) → why: bad records skipped, never fatal."""
        return self._file.skipped

    @property
    def file_writes(self) -> int:
        """How many times the store file was replaced (tests and bench read it)."""
        return self._file.writes

    @property
    def report_reads(self) -> int:
        """How many report files were read (tests and bench read it)."""
        return self._corpus.report_reads

    def backups(self) -> list[BackupInfo]:
        """The timestamped backups, newest first (n = 1, 2, …)."""
        return self._file.backups()

    def restore_backup(self, n: int = 1) -> tuple[BackupInfo, dict[str, int]]:
        """Replace the store with backup ``n``; the store as it was becomes the newest
        backup. Returns the backup and, per table, how many current records it lacks.
        Raises ``IndexError`` / ``StoreCorruptError``."""
        restored = self._file.restore_backup(n)
        self._corpus.write_back_summaries()  # reports the summaries file dropped since come back from their files
        return restored

    def close(self) -> None:
        self._file.close()

    def on_change(self, listener: Callable[[str], None]) -> None:
        """``listener(table)`` runs after every committed write (reminders reschedule)."""
        self._file.on_change(listener)

    def skipped_notice(self) -> str | None:
        """One Korean line counting the bad records skipped so far (None when none)."""
        return self._file.skipped_notice()

    def check(self, records: bool = True) -> None:
        """Read every table once, so bad records are counted up front. ``records=False``
        (the bot's start) reads the catalogue only: report files are read when asked,
        and a bad record in one is skipped with a notice then."""
        idx = self._corpus.fresh()
        if records:
            for rid in list(idx.reports):
                self._corpus.load_records(rid).load(*PARSED_TABLES)
        self.subscriptions()
        self.sent_records()
        self.changes_since(None)

    # -- the corpus: ingest ------------------------------------------------------------
    def is_empty(self) -> bool:
        return self._corpus.is_empty()

    def ingest(self, parsed: ParsedReport, force: bool = False) -> IngestOutcome:
        """Add a report, or replace the records of the same report (same content hash,
        or same office/title/date) — never duplicate them. A replacement that would lose
        most of a section (a truncated copy) raises ``IngestShrinkError`` unless ``force``."""
        return self._corpus.ingest(parsed, force)

    def ingest_many(self, parsed: list[ParsedReport], force: bool = False) -> list[IngestOutcome]:
        """Ingest several reports in one commit of the catalogue, in order, each as
        ``ingest`` would (a folder, a rebuild); all or nothing: a refused shrink
        (``IngestShrinkError``) stops the batch with none of it written."""
        return self._corpus.ingest_many(parsed, force)

    def write_report_records(self, report_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Write one report's records to its own TinyDB file (atomic, 0600)."""
        self._corpus.write_report_records(report_id, tables)

    def remove_report(self, report_id: str) -> bool:
        return self._corpus.remove_report(report_id)

    # -- the corpus: indexes -----------------------------------------------------------
    def report_summary(self, report_id: str) -> dict[str, Any]:
        """What the catalogue keeps of a report (``bot.store.reportfiles.summarize``):
        counts, names in printed order (``order``), milestone dates. Reads no report file
        (but for a report stored before the summary had them, once)."""
        return self._corpus.summary(report_id)

    def cached(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per state of the corpus: a handler's index (a name pool, a
        lookup table) kept until the reports or people's edits change, here or in another
        process (delivery state — subscriptions, the sent-log — leaves it be)."""
        return self._corpus.cached(key, build)

    def report_cached(self, report_id: str, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per report file: a handler's index of one report's parsed
        records (budget lines by department …), kept as long as the records are — the
        file never changes (its name is the content hash). Not for anything people edit
        (audit statuses): those change without a new file."""
        return self._corpus.report_cached(report_id, key, build)

    def name_index(self) -> NameIndex:
        """Every department, program, budget row and office name in one choice list (see
        ``NameIndex``): resolve a name with rapidfuzz against ``choices`` once, then read
        only the reports ``report_ids(kind, name)`` names. Built from the catalogue."""
        return self._corpus.name_index()

    # -- the corpus: reads -------------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, newest first."""
        return list(self._corpus.fresh().newest)

    def report(self, report_id: str) -> Report | None:
        return self._corpus.fresh().reports.get(report_id)

    def departments(self, report_id: str | None = None) -> list[Department]:
        return self._corpus.by_report(lambda rid: self._corpus.load_records(rid).departments, report_id)

    def budget_lines(self, report_id: str | None = None) -> list[BudgetLine]:
        return self._corpus.by_report(lambda rid: self._corpus.load_records(rid).budget_lines, report_id)

    def budget_lines_for_dept(self, dept: str) -> list[BudgetLine]:
        """A department's budget lines in every report (reads only the reports naming it)."""
        return self._corpus.budget_lines_for_dept(dept)

    def budget_lines_named(self, name: str) -> list[BudgetLine]:
        """Budget rows printed as ``name`` (a program's line), newest report first."""
        return self._corpus.budget_lines_named(name)

    def programs(self, report_id: str | None = None) -> list[Program]:
        return self._corpus.by_report(lambda rid: self._corpus.load_records(rid).programs, report_id)

    def programs_titled(self, title: str) -> list[Program]:
        """Programs of that title in every report (reads only the reports holding it)."""
        return self._corpus.programs_titled(title)

    def programs_of_dept(self, dept: str) -> list[Program]:
        """A department's programs, newest report first (reads only reports naming it)."""
        return self._corpus.programs_of_dept(dept)

    def reports_naming(self, kind: str, name: str) -> list[Report]:
        """Reports in which ``name`` occurs as ``kind`` (dept, budget_dept, program, row,
        org), newest first — from the name index, no report file read."""
        return self._corpus.reports_naming(kind, name)

    def audit_items(self, report_id: str | None = None) -> list[AuditItem]:
        """Follow-ups with the status people recorded (survives re-ingest)."""
        return self._corpus.by_report(self._corpus.audit_items_of, report_id)

    def has_audit(self, report_id: str) -> bool:
        """Whether a report holds follow-ups or a 총괄, from its summary (no file read)."""
        return self._corpus.has_audit(report_id)

    def audit_summary(self, report_id: str) -> AuditSummary | None:
        return self._corpus.audit_summary(report_id)

    def milestones(self, start: date | None = None, end: date | None = None) -> list[Milestone]:
        """Parsed and hand-added milestones, soonest first; ``start``/``end`` keep those
        that overlap the window (a range still running counts). Found by bisect on the
        start date; only the reports holding a milestone in the window are read."""
        return self._corpus.milestones(start, end)

    def milestones_of(self, report_id: str) -> list[Milestone]:
        """One report's milestones in ``milestones()`` order (reads only that report)."""
        return self._corpus.milestones_of(report_id)

    # -- people's edits ----------------------------------------------------------------
    def add_manual_milestone(self, m: Milestone) -> Milestone:
        return self._edits.add_manual_milestone(m)

    def remove_manual_milestone(self, manual_id: int) -> Milestone | None:
        return self._edits.remove_manual_milestone(manual_id)

    def set_audit_status(
        self, report_id: str, number: int, status: AuditStatus, note: str | None, by: str | None, kind: str | None = None
    ) -> AuditItem | None:
        """Record a follow-up's status by report, kind and number (numbers restart per kind
        in some reports), so it survives a re-ingest."""
        return self._edits.set_audit_status(self.report(report_id), self.audit_items(report_id), number, status, note, by, kind)

    # -- delivery: subscriptions, buttons, the sent-log, claims -------------------------
    def subscriptions(self, kind: str | None = None, include_paused: bool = False) -> list[Subscription]:
        """Subscriptions that deliver; ``include_paused`` adds those paused because the
        platform refused the channel (``pause_subscriptions``)."""
        return self._delivery.subscriptions(kind, include_paused)

    def paused_subscriptions(self) -> dict[tuple[str, str, str, str], tuple[str, str]]:
        """(platform, channel, target, kind) → (paused at, reason) of each paused subscription."""
        return self._delivery.paused_subscriptions()

    def pause_subscriptions(self, platform: str, channel: str, reason: str) -> list[Subscription]:
        """The platform refused to post in ``channel`` (the bot is not in it): its
        subscriptions stop delivering until ``resume_subscriptions``. Returns those paused
        now (not those paused already), so the subscriber is told once."""
        return self._delivery.pause_subscriptions(platform, channel, reason)

    def resume_subscriptions(self, platform: str, channel: str) -> int:
        """Deliver to ``channel`` again (someone subscribed there after inviting the bot)."""
        return self._delivery.resume_subscriptions(platform, channel)

    def add_subscription(self, sub: Subscription) -> bool:
        """False when the channel already has it (subscribing twice is harmless)."""
        return self._delivery.add_subscription(sub)

    def remove_subscription(self, platform: str, channel: str, target: str, kind: str = "reminder") -> bool:
        return self._delivery.remove_subscription(platform, channel, target, kind)

    def remember_button(self, key: str, command: str) -> None:
        """Keep ``key`` → ``command`` across restarts; entries older than
        ``BUTTON_DAYS`` are dropped on the way."""
        self._delivery.remember_button(key, command)

    def button_command(self, key: str) -> str | None:
        """The command behind a stored button key, or None when unknown or expired."""
        return self._delivery.button_command(key)

    def sent(self, key: str, *also: str) -> SentRecord | None:
        """The sent-log record of ``key`` (or of an older key of the same send)."""
        return self._delivery.sent(key, *also)

    def record_sent(self, rec: SentRecord) -> bool:
        """Record a send; False if the key was already recorded (then do not send again)."""
        return self._delivery.record_sent(rec)

    def record_sent_many(self, recs: list[SentRecord]) -> int:
        """Record several sends in one file write (a catch-up after a long outage logs
        hundreds); keys already recorded are left alone. Returns how many were new."""
        return self._delivery.record_sent_many(recs)

    def sent_records(self) -> list[SentRecord]:
        return self._delivery.sent_records()

    def claim_send(self, claim: dict[str, Any]) -> list[str]:
        """Record, before a send, that it is about to happen: ``claim`` names the
        ``keys`` of one message (plus platform, channel, batch, due_at, wall time).
        Returns the keys claimed now: those neither sent nor claimed already. A key
        waiting to be sent again (``mark_resend``) is claimed anew, still marked."""
        return self._delivery.claim_send(claim)

    def mark_resend(self, keys: list[str]) -> None:
        """A claim the platform cannot vouch for: to be sent again, marked as possibly
        repeated — kept in the store, so a second crash does not lose the mark."""
        self._delivery.mark_resend(keys)

    def resend_keys(self) -> set[str]:
        """Keys to be sent again, marked (see ``mark_resend``)."""
        return {k for c in self.claims() if c.get("resend") for k in c["keys"]}

    def claims(self) -> list[dict[str, Any]]:
        """Sends claimed but never confirmed (the bot stopped between the two)."""
        return self._delivery.claims()

    def claimed_keys(self) -> set[str]:
        """Keys claimed by a send under way (or cut short); not those waiting to be resent."""
        return {k for c in self.claims() if not c.get("resend") for k in c["keys"]}

    def confirm_send(self, keys: list[str], recs: list[SentRecord]) -> int:
        """After the platform accepted: the sent-log records and the claim's end, in one write."""
        return self._delivery.confirm_send(keys, recs)

    def release_claim(self, keys: list[str]) -> None:
        """The send failed (or is to be made again): forget the claim."""
        self._delivery.release_claim(keys)

    # -- the change log and the bot's own settings --------------------------------------
    def log_change(self, kind: str, summary: str) -> None:
        self._journal.log_change(kind, summary)

    def changes_since(self, since: datetime | None) -> list[ChangeEvent]:
        return self._journal.changes_since(since)

    def get_meta(self, key: str) -> Any:
        return self._journal.get_meta(key)

    def set_meta(self, key: str, value: Any) -> None:
        self._journal.set_meta(key, value)


def ingest_files(store: Store, paths: Iterable[Path]) -> list[IngestOutcome]:
    """Parse and ingest several files; raises ``NotAReportError`` (with the file) on the
    first bad one, before anything of it is written."""
    from bot.ingest import parse_file

    return [store.ingest(parse_file(p)) for p in paths]
