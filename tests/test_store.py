"""The store: re-ingest replaces instead of duplicating, writes are atomic, a corrupt
file is moved aside and recovered, lookups come from memory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.clock import SEOUL, FixedClock
from bot.models import (
    AuditItem,
    AuditStatus,
    BudgetLine,
    Department,
    Milestone,
    ParsedReport,
    Precision,
    Report,
    SentRecord,
    Source,
    Subscription,
)
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
CLOCK = FixedClock(datetime(2021, 9, 6, 9, 0, tzinfo=SEOUL))


def make_report(report_id: str = "aaaa", title: str = "주요업무보고", budget: int = 7909143, extra_rows: int = 0) -> ParsedReport:
    """A small hand-made parse result: the store must not care where it came from."""
    src = Source(report_id=report_id, doc="sample.txt", line=10)
    report = Report(id=report_id, doc="sample.txt", title=title, org="시험기획관", report_date=date(2021, 9, 6))
    lines = [
        BudgetLine(
            table="일반회계",
            as_of=date(2021, 7, 31),
            unit="천원",
            dept="가상담당관",
            level="dept",
            name="가상담당관",
            values={"예산현액": budget, "집행액": 3498848, "집행률": 44.2},
            source=src,
        )
    ] + [
        BudgetLine(
            table="일반회계",
            unit="천원",
            dept="가상담당관",
            level="unit",
            name=f"사업 {i}",
            values={"예산현액": i},
            order=i + 1,
            source=src,
        )
        for i in range(extra_rows)
    ]
    return ParsedReport(
        report=report,
        departments=[Department(name="가상담당관", quota=10, current=9, source=src)],
        budget_lines=lines,
        audit_items=[
            AuditItem(
                kind="건의",
                dept="가상담당관",
                status=AuditStatus.IN_PROGRESS,
                request_head="무엇을",
                request="무엇을 하기 바람",
                number=1,
                source=src,
            )
        ],
        milestones=[Milestone(title="행사 개최", start=date(2021, 11, 19), precision=Precision.DAY, source=src)],
    )


def test_reingesting_the_same_report_keeps_one_copy(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    assert store.ingest(make_report()).status == "added"
    first = (tmp_path / "db.json").read_bytes()
    assert store.ingest(make_report()).status == "unchanged"
    assert (tmp_path / "db.json").read_bytes() == first
    assert len(store.reports()) == 1
    assert len(store.budget_lines()) == 1


def test_corrected_copy_of_a_report_replaces_the_old_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report("aaaa", budget=1))
    out = store.ingest(make_report("bbbb", budget=2))  # same office/title/date, other bytes
    assert out.status == "replaced" and out.replaced_report_id == "aaaa"
    assert [r.id for r in store.reports()] == ["bbbb"]
    assert [b.values["예산현액"] for b in store.budget_lines()] == [2]
    assert len(store.milestones()) == 1


def test_store_is_utf8_with_korean_unescaped(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report())
    from bot.store import report_file

    for path in (tmp_path / "db.json", report_file(tmp_path / "db.json", "aaaa"), tmp_path / "db.json.summaries.jsonl"):
        raw = path.read_text(encoding="utf-8")
        assert ("시험기획관" in raw or "가상담당관" in raw) and "\\u" not in raw
    json.loads((tmp_path / "db.json").read_text(encoding="utf-8"))


def test_lookups_do_not_reread_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report())
    store.budget_lines_for_dept("가상 담당관")  # index built, the tables asked for read once
    store.milestones(start=date(2021, 9, 6))
    reads: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    for _ in range(100):
        assert store.budget_lines_for_dept("가상 담당관")
        assert store.milestones(start=date(2021, 9, 6))
    assert reads == []


def test_another_process_ingest_is_noticed_without_restart(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    bot_view = Store(path, clock=CLOCK)
    assert bot_view.reports() == []
    Store(path, clock=CLOCK).ingest(make_report())  # e.g. `reportbot ingest` meanwhile
    assert [r.id for r in bot_view.reports()] == ["aaaa"]


def test_every_read_notices_another_process_write_without_restart(tmp_path: Path) -> None:
    """The change log, the bot's settings and "is it empty" read what another process
    wrote meanwhile, as every other read does (they used to answer from the first read)."""
    path = tmp_path / "db.json"
    views = [Store(path, clock=CLOCK) for _ in range(3)]  # each asked one thing only, below
    assert views[0].is_empty() and views[1].changes_since(None) == [] and views[2].get_meta("digest.last") is None
    other = Store(path, clock=CLOCK)  # e.g. `reportbot ingest` or a second replica meanwhile
    other.ingest(make_report())
    other.set_meta("digest.last", "2021-09-06")
    assert not views[0].is_empty()
    assert [e.kind for e in views[1].changes_since(None)] == ["report_ingested"]
    assert views[2].get_meta("digest.last") == "2021-09-06"


def test_bot_written_records_survive_reingest(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report("aaaa"))
    manual = store.add_manual_milestone(
        Milestone(title="명예시민증 수여식", start=date(2026, 12, 3), precision=Precision.DAY, dept="가상담당관")
    )
    store.set_audit_status("aaaa", 1, AuditStatus.DONE, "조치 완료", by="U1")
    store.add_subscription(Subscription(platform="slack", channel="C1", target="가상담당관", created_at=CLOCK.now()))
    store.ingest(make_report("bbbb"))  # corrected copy of the same report
    assert manual.manual_id == 1
    assert any(m.manual_id == 1 for m in store.milestones())
    assert store.audit_items()[0].status == AuditStatus.DONE
    assert len(store.subscriptions()) == 1


def test_sent_log_records_each_key_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    rec = SentRecord(key="k1", platform="console", channel="c", sent_at=CLOCK.now(), due_at=CLOCK.now())
    assert store.record_sent(rec) is True
    assert store.record_sent(rec) is False
    assert Store(tmp_path / "db.json", clock=CLOCK).sent("k1") is not None


def test_corrupt_store_is_moved_aside_and_the_backup_restored(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.add_subscription(Subscription(platform="slack", channel="C1", target="all", created_at=CLOCK.now()))
    store.close()
    path.write_bytes(b'{"reports": {"1": {"id": "aa\x00\x00')  # what a torn write looks like
    reopened = Store(path, clock=CLOCK)
    assert reopened.recovered_from is not None and reopened.recovered_from.exists()
    assert b"\x00" in reopened.recovered_from.read_bytes()  # nothing deleted
    assert [r.id for r in reopened.reports()] == ["aaaa"]  # from .bak (one write behind)


def test_corrupt_store_without_backup_starts_empty_and_keeps_the_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_text("not json at all", encoding="utf-8")
    store = Store(path, clock=CLOCK)
    assert store.is_empty()
    assert store.recovered_from is not None
    assert store.recovered_from.read_text(encoding="utf-8") == "not json at all"


def test_a_killed_ingest_leaves_the_previous_store_whole(tmp_path: Path) -> None:
    """SIGKILL the writer while it is inside the file write: the store on disk must be
    exactly the previous one, and it must still open."""
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa", title="첫 보고서"))
    store.close()
    before = path.read_bytes()

    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from tests.test_store import make_report, CLOCK
        from bot.store import Store
        real_fsync = os.fsync
        def slow_fsync(fd):
            print("IN_WRITE", flush=True)
            time.sleep(30)
            real_fsync(fd)
        os.fsync = slow_fsync
        Store({str(path)!r}, clock=CLOCK).ingest(make_report("cccc", title="둘째 보고서", extra_rows=2000))
        print("FINISHED", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "IN_WRITE"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert path.read_bytes() == before
    reopened = Store(path, clock=CLOCK)
    assert reopened.recovered_from is None
    assert [r.title for r in reopened.reports()] == ["첫 보고서"]
    # The half-written temporary file is not mistaken for the store and does not block the next write.
    reopened.ingest(make_report("cccc", title="둘째 보고서"))
    assert {r.title for r in Store(path, clock=CLOCK).reports()} == {"첫 보고서", "둘째 보고서"}


def test_a_failed_ingest_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    before = path.read_bytes()
    writes = store.file_writes

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")

    # fails after the report's own file is written, before the catalogue (the commit)
    monkeypatch.setattr("bot.store.corpus.summarize", boom)
    with pytest.raises(RuntimeError):
        store.ingest(make_report("bbbb", title="다른 보고서"))
    assert path.read_bytes() == before
    assert store.file_writes == writes
    assert [r.id for r in store.reports()] == ["aaaa"]


def test_one_ingest_is_one_file_replace(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report(extra_rows=50))
    assert store.file_writes == 1


def test_ingesting_the_five_reports_twice_gives_the_same_store(tmp_path: Path) -> None:
    reports = sorted((ROOT / "data" / "reports").glob("*.txt"))
    db = tmp_path / "db.json"

    def ingest_all() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "--db", str(db), "ingest", *map(str, reports)],
            capture_output=True, text=True, timeout=120,
        )

    first = ingest_all()
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("추가:") == 5
    after_first = db.read_bytes()
    second = ingest_all()
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("변경 없음") == 5
    assert db.read_bytes() == after_first
    store = Store(db, clock=CLOCK)
    assert len(store.reports()) == 5
    keys = [(b.source.report_id, b.source.line, b.table, b.name) for b in store.budget_lines()]
    assert len(keys) == len(set(keys))


def test_a_batch_ingest_gives_the_store_one_by_one_ingests_give_in_one_commit(tmp_path: Path) -> None:
    one_by_one = Store(tmp_path / "a.json", clock=CLOCK)
    for p in (make_report("aaaa"), make_report("bbbb", title="둘째"), make_report("cccc")):
        one_by_one.ingest(p)
    batch = Store(tmp_path / "b.json", clock=CLOCK)
    outcomes = batch.ingest_many([make_report("aaaa"), make_report("bbbb", title="둘째"), make_report("cccc")])
    assert [o.status for o in outcomes] == ["added", "added", "replaced"]  # cccc is a corrected aaaa
    assert batch.file_writes == 1
    assert [r.id for r in batch.reports()] == [r.id for r in one_by_one.reports()]
    assert batch.budget_lines() == one_by_one.budget_lines()


def test_a_batch_with_a_gutted_copy_is_refused_whole(tmp_path: Path) -> None:
    from bot.store import IngestShrinkError

    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report("aaaa", extra_rows=10))
    with pytest.raises(IngestShrinkError):
        store.ingest_many([make_report("bbbb", title="새 보고서"), make_report("cccc")])  # cccc: aaaa with 1 row of 11
    assert [r.id for r in Store(tmp_path / "db.json", clock=CLOCK).reports()] == ["aaaa"]
    assert [r.id for r in store.reports()] == ["aaaa"]


def test_the_store_has_every_method_of_the_written_interface(tmp_path: Path) -> None:
    """``StoreAPI`` is what a second backend implements: the TinyDB store keeps to it, signatures and all."""
    import inspect

    from bot.store.api import StoreAPI

    store = Store(tmp_path / "db.json", clock=CLOCK)
    assert isinstance(store, StoreAPI)
    for name, member in vars(StoreAPI).items():
        if callable(member) and not name.startswith("_"):
            assert inspect.signature(getattr(Store, name)) == inspect.signature(member), name


def test_a_reminder_sent_keeps_the_prepared_indexes_and_an_edit_renews_them(tmp_path: Path) -> None:
    """Indexes of the corpus (name pools …) are built once per state of the reports and
    people's edits: delivery state written here or by another process leaves them be."""
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report())
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        return object()

    first = store.cached("pool", build)
    store.record_sent(SentRecord(key="k1", platform="console", channel="c", sent_at=CLOCK.now(), due_at=CLOCK.now()))
    store.add_subscription(Subscription(platform="slack", channel="C1", target="가상담당관", created_at=CLOCK.now()))
    store.set_meta("digest.last", "x")
    Store(path, clock=CLOCK).record_sent(SentRecord(key="k2", platform="console", channel="c", sent_at=CLOCK.now(), due_at=CLOCK.now()))
    assert store.cached("pool", build) is first and builds == [1]
    assert store.sent("k2") is not None  # the other process's write is read all the same
    Store(path, clock=CLOCK).add_manual_milestone(Milestone(title="수여식", start=date(2021, 12, 3), precision=Precision.DAY))
    assert store.cached("pool", build) is not first and builds == [1, 1]
