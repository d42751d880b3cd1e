"""The store keeps one TinyDB file per report plus a small catalogue: an ingest writes
the new report's file and the catalogue, never every other report; a store written by
the previous layout (one JSON file) is migrated on first open, losing nothing; lookups
read only the reports they need."""

from __future__ import annotations

import json
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from bot.ingest.text import squash as parser_squash
from bot.keys import squash
from bot.models import AuditStatus, Milestone, Precision, SentRecord, Subscription
from bot.store import Store, report_file
from tests.test_store import CLOCK, make_report


def summaries_on_disk(path: Path) -> dict:
    """The summaries file as written: report id → summary (a first line naming the file,
    then each line ``<crc32> <json>``)."""
    out = {}
    head, *lines = path.with_name(path.name + ".summaries.jsonl").read_bytes().splitlines()
    assert head.startswith(b"#reportbot-summaries ")
    for line in lines:
        doc = json.loads(line.partition(b" ")[2])
        out[doc["id"]] = doc["s"]
    return out


def _old_layout_tree(tmp_path: Path) -> dict:
    """A store as the previous layout wrote it: every record in the one file, tagged _report."""
    scratch = Store(tmp_path / "scratch.json", clock=CLOCK)
    scratch.ingest(make_report("aaaa"))
    scratch.ingest(make_report("bbbb", title="둘째 보고서", budget=5))
    catalogue = json.loads((tmp_path / "scratch.json").read_text(encoding="utf-8"))
    tree: dict = {t: v for t, v in catalogue.items()}
    for doc in tree["reports"].values():
        doc.pop("summary", None)
        records = json.loads(report_file(tmp_path / "scratch.json", doc["id"]).read_text(encoding="utf-8"))
        for table, docs in records.items():
            for rec in docs.values():
                tree.setdefault(table, {})[str(len(tree.get(table, {})) + 1)] = {"_report": doc["id"], **rec}
    tree["subscriptions"] = {"1": Subscription(platform="slack", channel="C1", target="가상담당관", created_at=CLOCK.now()).model_dump(mode="json")}
    tree["sent_log"] = {"1": SentRecord(key="k1", platform="slack", channel="C1", sent_at=CLOCK.now(), due_at=CLOCK.now()).model_dump(mode="json")}
    tree["audit_status"] = {
        "1": {"report_identity": "시험기획관|주요업무보고|2021-09-06", "identity": None, "kind": "건의", "number": 1, "status": "완료", "note": "조치함", "by": "U1", "at": "2021-09-06T09:00:00+09:00"}
    }
    return tree


def test_a_store_written_by_the_one_file_layout_is_migrated_on_first_open(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    old = _old_layout_tree(tmp_path)
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")

    store = Store(path, clock=CLOCK)
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    assert "budget_lines" not in catalogue and "milestones" not in catalogue  # records moved out
    for rid in ("aaaa", "bbbb"):
        assert report_file(path, rid).exists()
        assert stat.S_IMODE(report_file(path, rid).stat().st_mode) == 0o600
    assert json.loads((tmp_path / "db.json.bak").read_text(encoding="utf-8")) == old  # the old file kept
    assert sorted(b.values["예산현액"] for b in store.budget_lines()) == [5, 7909143]
    assert len(store.milestones()) == 2
    assert store.audit_items("aaaa")[0].status == AuditStatus.DONE  # a person's edit
    assert len(store.subscriptions()) == 1 and store.sent("k1") is not None
    store.check()
    assert store.skipped == {}
    # and it lives on as a store of the new layout: re-ingest, edits, sent-log
    assert store.ingest(make_report("aaaa")).status == "unchanged"
    assert store.ingest(make_report("cccc", budget=9)).status == "replaced"
    reopened = Store(path, clock=CLOCK)
    assert sorted(r.id for r in reopened.reports()) == ["bbbb", "cccc"]
    assert reopened.audit_items("cccc")[0].status == AuditStatus.DONE
    assert len(reopened.subscriptions()) == 1 and reopened.sent("k1") is not None


def test_restoring_a_backup_of_the_one_file_layout_migrates_it_again(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_text(json.dumps(_old_layout_tree(tmp_path), ensure_ascii=False), encoding="utf-8")
    store = Store(path, clock=CLOCK, backups=3)
    store.add_subscription(Subscription(platform="slack", channel="C9", target="all", created_at=CLOCK.now()))
    store.backups()[0].path.write_text(json.dumps(_old_layout_tree(tmp_path), ensure_ascii=False), encoding="utf-8")
    _, missing = store.restore_backup(1)
    assert missing == {"subscriptions": 1}
    assert "budget_lines" not in json.loads(path.read_text(encoding="utf-8"))
    assert len(store.budget_lines()) == 2


def test_an_ingest_writes_its_own_report_file_and_the_catalogue_only(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    first = report_file(path, "aaaa")
    stamp = first.stat().st_mtime_ns
    store.ingest(make_report("bbbb", title="둘째 보고서"))
    assert first.stat().st_mtime_ns == stamp  # the other report's file is untouched
    assert report_file(path, "bbbb").exists()
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    assert set(catalogue) & {"budget_lines", "programs", "milestones", "audit_items"} == set()
    assert all("summary" not in d for d in catalogue["reports"].values())  # which reports, not what they hold
    summary = summaries_on_disk(path)["bbbb"]
    assert summary["counts"]["budget_lines"] == 1 and summary["budget_depts"] == ["가상담당관"]


def test_lookups_read_only_the_reports_that_hold_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    writer = Store(path, clock=CLOCK)
    writer.ingest(make_report("aaaa"))
    other = make_report("bbbb", title="다른 보고서")
    for b in other.budget_lines:
        b.dept = "다른담당관"
    other.milestones[0].start = date(2030, 1, 1)
    writer.ingest(other)

    store = Store(path, clock=CLOCK)
    assert store.report_reads == 0  # opening reads the catalogue only
    assert [b.source.report_id for b in store.budget_lines_for_dept("가상 담당관")] == ["aaaa"]
    assert store.report_reads == 1
    assert [m.start for m in store.milestones(start=date(2029, 12, 1), end=date(2030, 2, 1))] == [date(2030, 1, 1)]
    assert store.report_reads == 2
    assert [r.id for r in store.reports_naming("budget_dept", "다른담당관")] == ["bbbb"]
    names = store.name_index()
    assert "가상담당관" in names.choices and "budget_dept" in names.kinds["가상담당관"]


def test_hand_added_milestones_are_found_by_date_window(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.add_manual_milestone(Milestone(title="수여식", start=date(2021, 12, 3), end=date(2021, 12, 10), precision=Precision.DAY))
    window = store.milestones(start=date(2021, 12, 5), end=date(2021, 12, 6))
    assert [m.title for m in window] == ["수여식"]  # a range still running counts
    assert [m.title for m in store.milestones()] == ["행사 개최", "수여식"]


def test_the_store_matching_key_is_the_parsers(tmp_path: Path) -> None:
    for s in ["뉴 미 디 어 담 당 관", "<b>뉴미디어</b> 담당관", "**국제교류**  담당관", "## 제목", "Ａ＆amp;Ｂ", "  \t "]:
        assert squash(s) == parser_squash(s)


def test_a_copied_store_brings_its_report_files(tmp_path: Path) -> None:
    from bot.store import copy_store

    store = Store(tmp_path / "a.json", clock=CLOCK)
    store.ingest(make_report("aaaa"))
    copy_store(tmp_path / "a.json", tmp_path / "b.json")
    copy = Store(tmp_path / "b.json", clock=CLOCK)
    assert len(copy.budget_lines()) == 1 and copy.skipped == {}


FIXTURE_996B5CB = Path(__file__).parent / "fixtures" / "store-996b5cb"  # written by the code at commit 996b5cb


def test_a_store_written_with_summaries_in_the_catalogue_is_migrated_on_first_open(tmp_path: Path) -> None:
    """The per-report layout before the summaries file (commit 996b5cb): every summary
    rode in the store file, so each write carried the whole corpus's names."""
    shutil.copytree(FIXTURE_996B5CB, tmp_path / "old")
    path = tmp_path / "old" / "db.json"
    before = path.read_bytes()
    store = Store(path, clock=CLOCK)
    assert store.report_reads == 0  # the summaries came from the catalogue, no report file read
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    assert all("summary" not in d for d in catalogue["reports"].values())
    assert set(summaries_on_disk(path)) == {"aaaa", "bbbb"}
    assert (tmp_path / "old" / "db.json.bak").read_bytes() == before  # the old file kept
    assert sorted(b.values["예산현액"] for b in store.budget_lines() if b.level == "dept") == [5, 7909143]
    assert store.audit_items("aaaa")[0].status == AuditStatus.DONE
    assert [m.title for m in store.milestones()] == ["행사 개최", "행사 개최", "명예시민증 수여식"]  # hand-added too
    assert len(store.subscriptions()) == 1 and store.sent("k1") is not None
    store.check()
    assert store.skipped == {}
    assert store.ingest(make_report("aaaa")).status == "unchanged"
    reopened = Store(path, clock=CLOCK)
    assert reopened.file_writes == 0 and reopened.report_reads == 0  # migrated once
    assert [r.id for r in reopened.reports()] == [r.id for r in store.reports()]


def test_an_ingest_appends_one_summary_line_and_the_store_file_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    sizes = []
    for i in range(12):
        store.ingest(make_report(f"r{i:03d}", title=f"보고서 {i}", extra_rows=20))
        sizes.append((path.stat().st_size, path.with_name("db.json.summaries.jsonl").stat().st_size))
    lines = path.with_name("db.json.summaries.jsonl").read_bytes().count(b"\n")
    assert lines == 1 + 12  # the file's name, then one line per report, appended; none rewritten
    store_growth = sizes[-1][0] - sizes[-2][0]
    summary_growth = sizes[-1][1] - sizes[-2][1]
    assert store_growth < 1000 and summary_growth > store_growth  # the store file names the report, no more


def test_a_torn_summary_line_is_skipped_and_made_again_from_the_report_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.ingest(make_report("bbbb", title="둘째 보고서"))
    store.close()
    journal = path.with_name("db.json.summaries.jsonl")
    journal.write_bytes(journal.read_bytes()[:-40])  # killed while appending the last line

    reopened = Store(path, clock=CLOCK)
    assert reopened.report_reads == 1  # bbbb's summary made from its file, once
    assert set(summaries_on_disk(path)) == {"aaaa", "bbbb"}  # the torn half line cut off, bbbb's appended whole
    assert sorted(r.id for r in reopened.reports_naming("budget_dept", "가상담당관")) == ["aaaa", "bbbb"]
    assert Store(path, clock=CLOCK).report_reads == 0


def test_a_damaged_or_deleted_summaries_file_is_rebuilt_from_the_report_files(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.ingest(make_report("bbbb", title="둘째 보고서"))
    store.close()
    journal = path.with_name("db.json.summaries.jsonl")
    raw = bytearray(journal.read_bytes())
    raw[raw.index(b"\n") + 20] ^= 0x01  # one flipped bit in the first summary: its checksum fails
    journal.write_bytes(bytes(raw))
    assert Store(path, clock=CLOCK).report_reads == 1
    journal.unlink()
    again = Store(path, clock=CLOCK)
    assert again.report_reads == 2 and set(summaries_on_disk(path)) == {"aaaa", "bbbb"}
    assert len(again.budget_lines_for_dept("가상담당관")) == 2


def test_summaries_of_replaced_reports_are_compacted_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.store.summaries.COMPACT_MIN_DEAD", 3)
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    for i in range(8):  # eight corrected copies of one report: seven dead lines
        store.ingest(make_report(f"v{i}"))
    store.close()
    assert len(summaries_on_disk(path)) == 8
    reopened = Store(path, clock=CLOCK)
    assert set(summaries_on_disk(path)) == {"v7"}
    assert [r.id for r in reopened.reports()] == ["v7"] and reopened.report_reads == 0


def test_records_in_memory_follow_what_is_asked_not_the_corpus(tmp_path: Path) -> None:
    from bot.store.records import RecordCache

    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest_many([make_report(f"r{i}", title=f"보고서 {i}", extra_rows=1) for i in range(4)])
    cache = RecordCache(store._corpus.file, kept=5)  # room for two reports' budget lines (2 each)
    for rid in ("r0", "r1", "r2", "r3", "r3", "r2"):
        assert len(cache.get(rid).budget_lines) == 2
    assert cache.reads == 4  # the two most recent stay; the others are read again when asked
    assert cache.get("r0").budget_lines and cache.reads == 5
    assert cache.get("r0").programs == [] and cache.reads == 6  # another table: read when asked for
    assert cache.get("r0").budget_lines and cache.reads == 6  # still held


def test_another_process_ingest_brings_its_summary_without_reading_the_report_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    view = Store(path, clock=CLOCK)
    view.ingest(make_report("aaaa"))
    assert view.reports_naming("budget_dept", "다른담당관") == []
    other = make_report("bbbb", title="다른 보고서")
    for b in other.budget_lines:
        b.dept = "다른담당관"
    Store(path, clock=CLOCK).ingest(other)  # `reportbot ingest` meanwhile: one line appended
    assert [r.id for r in view.reports_naming("budget_dept", "다른담당관")] == ["bbbb"]
    assert view.report_reads == 0
    monkeypatch.setattr("bot.store.summaries.COMPACT_MIN_DEAD", 1)
    journal = path.with_name("db.json.summaries.jsonl")
    first_file = journal.stat().st_ino
    for i in range(4):  # corrected copies, then compactions (a new file) by other processes' opens
        Store(path, clock=CLOCK).ingest(make_report(f"a{i}"))
    Store(path, clock=CLOCK).close()
    assert journal.stat().st_ino != first_file and "aaaa" not in summaries_on_disk(path)
    assert sorted(r.id for r in view.reports_naming("org", "시험기획관")) == ["a3", "bbbb"] and view.report_reads == 0


def test_a_summaries_file_copied_over_in_place_is_read_from_the_start(tmp_path: Path) -> None:
    """`cp` over the file keeps its inode: the reader notices the other first line."""
    from bot.store.summaries import SummaryFile

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    Store(a, clock=CLOCK).ingest(make_report("aaaa"))
    Store(b, clock=CLOCK).ingest_many([make_report("bbbb", title="둘째 보고서"), make_report("cccc", title="셋째 보고서")])
    reader = SummaryFile(a)
    reader.refresh()
    assert reader.get("aaaa") is not None
    journal = a.with_name("a.json.summaries.jsonl")
    inode = journal.stat().st_ino
    journal.write_bytes(b.with_name("b.json.summaries.jsonl").read_bytes())  # in place: same inode, longer
    assert journal.stat().st_ino == inode
    reader.refresh()
    assert reader.get("aaaa") is None and reader.get("bbbb") is not None and reader.get("cccc") is not None


def test_restoring_a_backup_brings_back_the_summaries_of_its_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.store.summaries.COMPACT_MIN_DEAD", 1)
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK, backups=10)
    store.ingest(make_report("a0"))
    for i in range(1, 4):  # corrected copies: a0's line is dead, compacted away at the next open
        store.ingest(make_report(f"a{i}"))
    store.close()
    store = Store(path, clock=CLOCK, backups=10)
    assert set(summaries_on_disk(path)) == {"a3"}
    def ids(backup: Path) -> list[str]:
        return [d["id"] for d in json.loads(backup.read_text(encoding="utf-8"))["reports"].values()]

    with_a0 = next(b.n for b in store.backups() if ids(b.path) == ["a0"])
    store.restore_backup(with_a0)
    assert [r.id for r in store.reports()] == ["a0"]
    assert "a0" in summaries_on_disk(path)  # made again from its file (which stays) and written back
    assert Store(path, clock=CLOCK).report_reads == 0
