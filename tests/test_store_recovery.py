"""The store refuses to forget: an empty or shape-less file is corrupt, not new; every
write is kept as a timestamped backup; one bad record is skipped, not fatal; files are
0600; crash leftovers are cleaned; `store backups` / `store restore` work from the CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.models import AuditStatus, Milestone, Precision, Subscription
from bot.store import Store
from tests.test_store import CLOCK, make_report

ROOT = Path(__file__).resolve().parent.parent


def _store_with_edits(path: Path) -> Store:
    """A report, then a person's edits: an audit status, a hand-added milestone, a subscription."""
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.set_audit_status("aaaa", 1, AuditStatus.DONE, "조치 완료", by="U1")
    store.add_manual_milestone(Milestone(title="명예시민증 수여식", start=date(2026, 12, 3), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="slack", channel="C1", target="all", created_at=CLOCK.now()))
    return store


def _edits(store: Store) -> tuple[str, int, int]:
    return (
        store.audit_items()[0].status.value,
        sum(1 for m in store.milestones() if m.manual_id),
        len(store.subscriptions()),
    )


@pytest.mark.parametrize("content", [b"", b"  \n\t\n", b"{}", b'{"other": {"1": {"x": 1}}}', b"[]"])
def test_an_emptied_store_is_restored_with_every_persons_edits_not_rebuilt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "db.json"
    _store_with_edits(path).close()
    path.write_bytes(content)  # `: > db.json`, an editor's `{}`, someone else's JSON

    reopened = Store(path, clock=CLOCK)
    assert _edits(reopened) == ("완료", 1, 1)  # nothing a person did is gone (the newest backup is the last write)
    assert reopened.recovered_from is not None and reopened.recovered_from.read_bytes() == content  # moved aside, kept
    assert reopened.notices and "손상" in reopened.notices[0] and "백업" in reopened.notices[0]  # said loudly


def test_ask_on_an_emptied_store_says_so_and_keeps_the_audit_status(tmp_path: Path) -> None:
    """The issue's reproduction: `/audit done`, then `: > s.json`, then `/audit 1` is still 완료."""
    path = tmp_path / "s.json"
    _store_with_edits(path).close()
    path.write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(path), "ask", "/audit 1"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "REPORTBOT_STORE__REPORTS_DIR": str(tmp_path / "no-reports")},
    )
    assert out.returncode == 0, out.stderr
    assert "완료" in out.stdout
    assert "손상" in out.stderr and "백업" in out.stderr
    assert "새로 만들었습니다" not in out.stderr  # never rebuilt over a good backup


def test_only_the_last_n_backups_are_kept_newest_first_each_a_whole_store(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK, backups=3)
    for i in range(6):
        store.add_subscription(Subscription(platform="slack", channel=f"C{i}", target="all", created_at=CLOCK.now()))
    infos = store.backups()
    assert [b.n for b in infos] == [1, 2, 3]
    assert [b.edits for b in infos] == [6, 5, 4]  # the newest backup is the last write
    assert all(b.ok and b.at is not None and b.size > 0 for b in infos)
    assert infos[0].at >= infos[1].at >= infos[2].at


def test_restoring_an_older_backup_says_what_it_lacks_and_keeps_the_current_one(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))  # backup: report only
    _ = store.backups()
    store.set_audit_status("aaaa", 1, AuditStatus.DONE, "조치 완료", by="U1")
    store.add_subscription(Subscription(platform="slack", channel="C2", target="all", created_at=CLOCK.now()))
    store.add_manual_milestone(Milestone(title="수여식", start=date(2026, 12, 3), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="slack", channel="C1", target="all", created_at=CLOCK.now()))
    n_report_only = next(b.n for b in store.backups() if b.edits == 0)

    _, missing = store.restore_backup(n_report_only)
    assert missing == {"audit_status": 1, "manual_milestones": 1, "subscriptions": 2}
    assert _edits(store) == ("추진중", 0, 0)
    # nothing dropped silently: the store as it was is a backup, and restoring it brings everything back
    before = next(b for b in store.backups() if b.edits == 4)
    _, missing_back = store.restore_backup(before.n)
    assert missing_back == {}
    assert _edits(store) == ("완료", 1, 2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_store_backups_and_restore_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.set_audit_status("aaaa", 1, AuditStatus.DONE, "완료", by="U1")
    store.add_subscription(Subscription(platform="slack", channel="C2", target="all", created_at=CLOCK.now()))
    store.add_manual_milestone(Milestone(title="수여식", start=date(2026, 12, 3), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="slack", channel="C1", target="all", created_at=CLOCK.now()))
    store.close()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "--db", str(path), "store", *args], capture_output=True, text=True, timeout=60, cwd=ROOT)

    listing = cli("backups")
    assert listing.returncode == 0, listing.stderr
    assert "1. " in listing.stdout and "보고서 1건 · 사용자 기록 4건" in listing.stdout
    assert "5. " in listing.stdout and "사용자 기록 0건" in listing.stdout
    restored = cli("restore", "5")
    assert restored.returncode == 0, restored.stderr
    assert "감사 상태 1건, 일정 1건, 구독 2건" in restored.stdout and "없습니다" in restored.stdout
    assert cli("restore", "9").returncode == 2


def test_one_bad_record_is_skipped_with_a_notice_and_every_other_lookup_works(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _store_with_edits(path).close()
    tree = json.loads(path.read_text(encoding="utf-8"))
    report_path = tmp_path / "db.json.reports" / "aaaa.json"  # a report's records: its own file
    records = json.loads(report_path.read_text(encoding="utf-8"))
    first_budget = next(iter(records["budget_lines"]))
    records["budget_lines"][first_budget]["amounts"] = "not a mapping"  # fails validation
    report_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    tree["subscriptions"]["99"] = {"platform": "slack"}  # no channel, no target
    tree["audit_status"]["98"] = {"status": "nonsense"}
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")

    store = Store(path, clock=CLOCK)
    store.check()
    assert len(store.skipped) == 3  # counted up front, before any lookup asked for the records
    assert store.recovered_from is None  # not the whole file: only the bad records
    assert _edits(store) == ("완료", 1, 1)
    assert len(store.budget_lines()) == len(records["budget_lines"]) - 1
    assert len(store.skipped) == 3
    notice = store.skipped_notice()
    assert notice is not None and "3건" in notice and "budget_lines" in notice


def test_every_file_written_is_0600_and_crash_leftovers_are_cleaned_at_open(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    old = os.umask(0o022)
    try:
        _store_with_edits(path).close()
        orphan = tmp_path / ".db.json.abc123.tmp"
        orphan.write_bytes(b'{"half')
        (tmp_path / "db.json.backups" / ".20260101-000000-000000.json.tmp").write_bytes(b"{")
        path.write_bytes(b"")  # corrupt: restored from a backup
        store = Store(path, clock=CLOCK)
    finally:
        os.umask(old)
    assert not orphan.exists() and not list((tmp_path / "db.json.backups").glob(".*.tmp"))
    written = [path, tmp_path / "db.json.bak", tmp_path / "db.json.lock", store.recovered_from, *(tmp_path / "db.json.backups").iterdir()]
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in written} == {p.name: "0o600" for p in written}


def test_db_pointing_at_a_folder_is_a_clear_korean_error(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "bot", "--db", str(tmp_path), "ask", "/audit"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2
    assert "폴더" in out.stderr and "Traceback" not in out.stderr


def test_ask_with_a_missing_store_says_it_builds_it(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text((ROOT / "data" / "reports" / "2020-04_시장비서실_주요업무보고.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "new.json"), "ask", "/audit"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "REPORTBOT_STORE__REPORTS_DIR": str(reports)},
    )
    assert out.returncode == 0, out.stderr
    assert "없어" in out.stderr and "새로 만듭니다" in out.stderr


def test_a_deleted_store_with_backups_comes_back_from_the_newest(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _store_with_edits(path).close()
    path.unlink()
    store = Store(path, clock=FixedClock(date(2026, 1, 1)))
    assert _edits(store) == ("완료", 1, 1)
    assert store.notices and "없어졌" in store.notices[0]
