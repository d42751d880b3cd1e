"""The store behaves the same on TinyDB and on PostgreSQL: re-ingest, refusing a
truncated copy, people's edits, subscriptions, the sent-log and claims, buttons, meta and
the change log; and what PostgreSQL adds — replicas sharing one store (one claim wins,
another replica's ingest seen without a restart), a schema the bot migrates itself,
``REPORTBOT_DB``/``[store] url`` selecting it, passwords never shown, and
``reportbot store migrate`` copying a TinyDB store with its counts checked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.clock import SEOUL, FixedClock
from bot.models import AuditStatus, Milestone, ParsedReport, Precision, SentRecord, Subscription
from bot.pgstore import StoreUnreachableError, open_store, redact_url
from bot.store import IngestShrinkError
from tests.handmade import SETTLE_ID, WORK_ID, ask, build_store, settlement_report, work_report
from tests.pg import BACKENDS, backend_location

CLOCK = FixedClock(datetime(2023, 9, 6, 9, 0, tzinfo=SEOUL))


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """An empty store location of each backend: a TinyDB path, or a fresh schema's URL."""
    with backend_location(request.param, tmp_path / "db.json", request) as where:
        yield where


@pytest.fixture()
def store(location: str | Path) -> Iterator[Any]:
    s = open_store(location, clock=CLOCK)
    yield s
    s.close()


def corrected(parsed: ParsedReport, new_id: str, keep_lines: int | None = None) -> ParsedReport:
    """The same report (office, title, date) with other bytes: a corrected copy, or with
    ``keep_lines`` a truncated one."""
    report = parsed.report.model_copy(update={"id": new_id})
    lines = parsed.budget_lines if keep_lines is None else parsed.budget_lines[:keep_lines]
    return parsed.model_copy(update={"report": report, "budget_lines": lines})


def sub(channel: str, target: str = "시민참여담당관", kind: str = "reminder") -> Subscription:
    return Subscription(platform="slack", channel=channel, target=target, kind=kind, created_at=CLOCK.now())


def sent(key: str) -> SentRecord:
    return SentRecord(key=key, platform="slack", channel="C1", sent_at=CLOCK.now(), due_at=CLOCK.now())


# -- the same behaviour on both backends ----------------------------------------------------
def test_reingesting_the_same_report_keeps_one_copy_and_a_corrected_copy_replaces_it(store: Any) -> None:
    assert store.ingest(work_report()).status == "added"
    assert store.ingest(work_report()).status == "unchanged"
    lines = len(store.budget_lines())
    out = store.ingest(corrected(work_report(), "work2023cccccccc"))
    assert (out.status, out.replaced_report_id) == ("replaced", WORK_ID)
    assert [r.id for r in store.reports()] == ["work2023cccccccc"]
    assert len(store.budget_lines()) == lines
    assert out.report.ingested_at == CLOCK.now()


def test_truncated_copy_of_a_report_is_refused_unless_forced(store: Any) -> None:
    store.ingest(work_report())
    with pytest.raises(IngestShrinkError) as exc:
        store.ingest(corrected(work_report(), "work2023truncated", keep_lines=2))
    assert "예산" in exc.value.lost
    assert [r.id for r in store.reports()] == [WORK_ID]  # nothing written
    assert store.ingest(corrected(work_report(), "work2023truncated", keep_lines=2), force=True).status == "replaced"
    assert len(store.budget_lines()) == 2


def test_people_edits_survive_a_corrected_reingest(store: Any) -> None:
    store.ingest(settlement_report())
    store.ingest(work_report())
    number = store.audit_items(WORK_ID)[0].number
    assert store.set_audit_status(WORK_ID, number, AuditStatus.DONE, "조치 끝", "kim") is not None
    added = store.add_manual_milestone(Milestone(title="시민 토론회", start=date(2023, 10, 2), precision=Precision.DAY, dept="시민참여담당관"))
    assert added.manual_id == 1
    store.ingest(corrected(work_report(), "work2023cccccccc"))
    item = next(a for a in store.audit_items("work2023cccccccc") if a.number == number)
    assert (item.status, item.action) == (AuditStatus.DONE, "조치 끝")
    assert [m.title for m in store.milestones(date(2023, 10, 2), date(2023, 10, 2)) if m.manual_id] == ["시민 토론회"]
    assert store.reports_naming("dept", "시민참여담당관")
    assert store.remove_manual_milestone(1) is not None and store.remove_manual_milestone(1) is None
    kinds = [e.kind for e in store.changes_since(None)]
    assert kinds.count("report_ingested") == 3 and "audit_status" in kinds and "milestone_removed" in kinds


def test_subscriptions_pause_when_the_platform_refuses_and_resume(store: Any) -> None:
    assert store.add_subscription(sub("C1")) and not store.add_subscription(sub("C1"))
    assert store.add_subscription(sub("C1", kind="digest")) and store.add_subscription(sub("C2"))
    assert [s.channel for s in store.pause_subscriptions("slack", "C1", "not_in_channel")] == ["C1", "C1"]
    assert store.pause_subscriptions("slack", "C1", "not_in_channel") == []  # told once
    assert [s.channel for s in store.subscriptions()] == ["C2"]
    assert len(store.subscriptions(include_paused=True)) == 3
    assert store.paused_subscriptions()[("slack", "C1", "시민참여담당관", "digest")][1] == "not_in_channel"
    assert store.resume_subscriptions("slack", "C1") == 2
    assert [s.kind for s in store.subscriptions(kind="digest")] == ["digest"]
    assert store.remove_subscription("slack", "C2", "시민참여담당관") and not store.remove_subscription("slack", "C2", "시민참여담당관")


def test_a_reminder_is_claimed_sent_and_confirmed_once(store: Any) -> None:
    claim = {"keys": ["k1", "k2"], "platform": "slack", "channel": "C1", "due_at": "2023-09-06T09:00:00+09:00"}
    assert store.claim_send(claim) == ["k1", "k2"]
    assert store.claim_send({**claim, "keys": ["k2", "k3"]}) == ["k3"]  # k2 is under way
    assert store.claimed_keys() == {"k1", "k2", "k3"}
    assert store.confirm_send(["k1", "k2"], [sent("k1"), sent("k2")]) == 2
    assert store.sent("k1") is not None and store.sent("zz", "k2") is not None
    assert store.claim_send(claim) == []  # sent already
    store.mark_resend(["k3"])
    assert store.resend_keys() == {"k3"} and store.claimed_keys() == set()
    again = store.claim_send({**claim, "keys": ["k3"]})
    assert again == ["k3"] and store.claims()[0]["resend"] is True
    store.release_claim(["k3"])
    assert store.claims() == []
    assert store.record_sent(sent("k4")) and not store.record_sent(sent("k4"))
    assert store.record_sent_many([sent("k4"), sent("k5"), sent("k5")]) == 1
    assert [r.key for r in store.sent_records()] == ["k1", "k2", "k4", "k5"]


def test_buttons_expire_and_meta_values_are_kept(store: Any) -> None:
    store.remember_button("b1", "/budget 시민참여담당관 2")
    assert store.button_command("b1") == "/budget 시민참여담당관 2" and store.button_command("nope") is None
    store.clock = FixedClock(CLOCK.now() + timedelta(days=31))
    assert store.button_command("b1") is None
    assert store.get_meta("digest_sent") is None
    store.set_meta("digest_sent", {"at": "2023-09-04"})
    store.set_meta("digest_sent", {"at": "2023-09-11"})
    assert store.get_meta("digest_sent") == {"at": "2023-09-11"}


def test_another_process_ingest_is_answered_without_restart(location: str | Path) -> None:
    bot_view = open_store(location, clock=CLOCK)
    assert bot_view.reports() == []
    cached = bot_view.cached("names", lambda: len(bot_view.name_index().choices))
    other = open_store(location, clock=CLOCK)  # `reportbot ingest`, or another replica
    other.ingest(work_report())
    assert [r.id for r in bot_view.reports()] == [WORK_ID]
    assert bot_view.cached("names", lambda: len(bot_view.name_index().choices)) > cached
    assert bot_view.budget_lines_for_dept("데이터 정책 담당관")
    other.close()
    bot_view.close()


def test_commands_answer_alike_on_both_backends(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    answers = []
    for backend in BACKENDS:
        with backend_location(backend, tmp_path / "db.json", request) as where:
            s = build_store(where)
            answers.append([ask(s, q, today=date(2023, 9, 6)) for q in ("/budget 시민", "/program 축제", "/audit open", "/upcoming 60")])
            s.close()
    assert answers[0] == answers[1]


# -- what PostgreSQL adds ---------------------------------------------------------------------
def test_two_replicas_claiming_the_same_reminder_exactly_one_wins(pg_url: str) -> None:
    replicas = [open_store(pg_url, clock=CLOCK) for _ in range(2)]
    for n in range(10):
        keys = [f"r{n}:a", f"r{n}:b"]
        won: list[list[str]] = [[], []]
        start = threading.Barrier(2)

        def claim(i: int, keys: list[str] = keys, won: list[list[str]] = won, start: threading.Barrier = start) -> None:
            start.wait()
            won[i] = replicas[i].claim_send({"keys": keys, "platform": "slack", "channel": "C1"})

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(map(len, won)) == [0, 2], won
    assert replicas[0].claim_once("slack:event:Ev1") and not replicas[1].claim_once("slack:event:Ev1")
    for r in replicas:
        r.close()


def test_the_schema_is_created_and_migrated_by_the_bot_once(pg_url: str) -> None:
    from bot.pgstore.schema import LATEST

    first = open_store(pg_url, clock=CLOCK)
    first.close()
    second = open_store(pg_url, clock=CLOCK)
    with second.pool.connection() as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    second.close()
    assert [r[0] for r in rows] == list(range(1, LATEST + 1))


def test_a_password_in_the_url_is_never_shown(pg_server: str) -> None:
    url = "postgresql://bot:s3cret-pw@127.0.0.1:1/reports?password=other-pw"
    assert "s3cret" not in redact_url(url) and "other-pw" not in redact_url(url)
    with pytest.raises(StoreUnreachableError) as exc:
        open_store(url)
    assert "s3cret" not in exc.value.message and "127.0.0.1" in exc.value.message


def test_reportbot_db_url_and_store_url_setting_select_postgresql(pg_url: str, tmp_path: Path) -> None:
    from bot.cli import app

    build_store(pg_url).close()
    runner = CliRunner()
    res = runner.invoke(app, ["ask", "--as-of", "2023-09-06", "/budget 데이터정책담당관"], env={"REPORTBOT_DB": pg_url, "REPORTBOT_CONFIG": ""})
    assert res.exit_code == 0, res.output
    assert "데이터정책담당관" in res.output and "44.2%" in res.output
    config = tmp_path / "reportbot.toml"
    config.write_text(f'[store]\nurl = "{pg_url}"\npath = "{tmp_path / "unused.json"}"\n', encoding="utf-8")
    res = runner.invoke(app, ["--config", str(config), "ask", "--as-of", "2023-09-06", "/budget 데이터정책담당관"], env={"REPORTBOT_DB": ""})
    assert res.exit_code == 0, res.output
    assert "44.2%" in res.output and not (tmp_path / "unused.json").exists()


def test_store_migrate_copies_everything_and_checks_the_counts(pg_url: str, tmp_path: Path) -> None:
    from bot.cli import app

    src_path = tmp_path / "db.json"
    src = build_store(src_path)
    number = src.audit_items(SETTLE_ID)[0].number
    src.set_audit_status(SETTLE_ID, number, AuditStatus.IN_PROGRESS, "다시 확인", "lee")
    src.add_manual_milestone(Milestone(title="시민 토론회", start=date(2023, 10, 2), precision=Precision.DAY))
    src.add_subscription(sub("C1"))
    src.add_subscription(sub("C9", target="all", kind="digest"))
    src.pause_subscriptions("slack", "C9", "not_in_channel")
    src.record_sent(sent("k1"))
    src.claim_send({"keys": ["k2"], "platform": "slack", "channel": "C1"})
    src.remember_button("b1", "/budget 시민참여담당관 2")
    src.set_meta("digest_sent", "2023-09-04")
    before = [ask(src, q, today=date(2023, 9, 6)) for q in ("/budget 시민참여담당관", "/audit open", "/upcoming 60")]
    src.close()

    res = CliRunner().invoke(app, ["store", "migrate", "--from", str(src_path), "--to", pg_url])
    assert res.exit_code == 0, res.output
    assert "보고서: 원본 2건 → 대상 2건" in res.output and "구독: 원본 2건 → 대상 2건" in res.output
    dst = open_store(pg_url, clock=CLOCK)
    assert [ask(dst, q, today=date(2023, 9, 6)) for q in ("/budget 시민참여담당관", "/audit open", "/upcoming 60")] == before
    assert next(a for a in dst.audit_items(SETTLE_ID) if a.number == number).status == AuditStatus.IN_PROGRESS
    assert ("slack", "C9", "all", "digest") in dst.paused_subscriptions() and [s.channel for s in dst.subscriptions()] == ["C1"]
    assert dst.sent("k1") is not None and dst.claimed_keys() == {"k2"} and dst.claim_send({"keys": ["k2"], "platform": "slack", "channel": "C1"}) == []
    assert dst.button_command("b1") == "/budget 시민참여담당관 2" and dst.get_meta("digest_sent") == "2023-09-04"
    assert [r.ingested_at for r in dst.reports()] == [r.ingested_at for r in open_store(src_path).reports()]
    dst.close()

    again = CliRunner().invoke(app, ["store", "migrate", "--from", str(src_path), "--to", pg_url])
    assert again.exit_code == 2 and "이미 보고서 2건" in again.output


def test_a_batch_is_ingested_all_or_nothing(store: Any) -> None:
    out = store.ingest_many([settlement_report(), work_report(), work_report()])
    assert [o.status for o in out] == ["added", "added", "unchanged"]
    with pytest.raises(IngestShrinkError):
        store.ingest_many([corrected(settlement_report(), "settle2021cccccc"), corrected(work_report(), "work2023truncated", keep_lines=2)])
    assert sorted(r.id for r in store.reports()) == sorted([SETTLE_ID, WORK_ID])  # the first of the batch not written either
    assert [o.status for o in store.ingest_many([work_report()])] == ["unchanged"]


def test_the_postgresql_store_has_every_method_of_the_written_interface(pg_url: str) -> None:
    """``StoreAPI`` (bot/store/api.py): PgStore keeps to it, signatures and all."""
    import inspect

    from bot.pgstore.store import PgStore
    from bot.store.api import StoreAPI

    store = open_store(pg_url, clock=CLOCK)
    assert isinstance(store, StoreAPI)
    for name, member in vars(StoreAPI).items():
        if callable(member) and not name.startswith("_"):
            assert inspect.signature(getattr(PgStore, name)) == inspect.signature(member), name
    store.close()


def test_backups_of_a_postgresql_store_are_the_databases(pg_url: str) -> None:
    from bot.cli import app

    build_store(pg_url).close()
    res = CliRunner().invoke(app, ["--db", pg_url, "store", "backups"])
    assert res.exit_code == 0 and "pg_dump" in res.output
    res = CliRunner().invoke(app, ["--db", pg_url, "store", "restore", "1"])
    assert res.exit_code == 2 and "pg_dump" in res.output


def test_an_ingest_by_another_process_is_answered_without_restart(pg_url: str) -> None:
    """Another process (``reportbot ingest``, another replica) shares nothing in memory: the
    version row tells (read at most every ``FRESH_EVERY`` seconds, or at once on its notice)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    bot_view = open_store(pg_url, clock=CLOCK)
    assert bot_view.reports() == []
    code = f"from bot.pgstore import open_store; from tests.handmade import work_report; open_store({pg_url!r}).ingest(work_report())"
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, timeout=60)
    bot_view.notice_change("reports")  # what the change listener does when the notice arrives
    assert [r.id for r in bot_view.reports()] == [WORK_ID]
    assert "44.2%" in ask(bot_view, "/budget 데이터 정책담당관", today=date(2023, 9, 6))
    bot_view.close()


def test_recently_read_reports_records_stay_within_their_budget() -> None:
    from bot.pgstore.memory import RecordCache, Records

    cache = RecordCache(kept=100)
    for rid in ("a", "b", "c"):
        cache.put(rid, Records(size=40))
    assert cache.get("a") is None and cache.get("b") is not None and cache.held == 80
    cache.put("d", Records(size=40))  # "c" was read least recently: dropped
    assert cache.get("c") is None and cache.get("b") is not None and cache.held == 80


def test_a_url_naming_a_new_schema_gets_it_with_every_table(pg_server: str) -> None:
    import uuid

    import psycopg

    from tests.pg import schema_url

    name = f"t_new_{uuid.uuid4().hex[:10]}"
    try:
        store = open_store(schema_url(pg_server, name), clock=CLOCK)
        store.ingest(work_report())
        assert [r.id for r in store.reports()] == [WORK_ID]
        store.close()
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
