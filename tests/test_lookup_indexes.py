"""Commands look names up in pools prepared once per store state, not by scanning every
record: they must give the same answers as the scan did. They run in one worker thread,
one after another in arrival order. An old store's name summaries are made from its
report files once and written back, so the next open reads no report file for them."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

from bot.clock import FixedClock
from bot.lookups.catalog import (
    budget_lines_of_dept,
    budget_pools,
    budget_rows_named,
    program_pools,
    programs_of_dept,
    programs_titled,
)
from bot.lookups.fiscal import is_year_label
from bot.lookups.names import Resolution, normalize, resolve_in
from bot.store import Store
from handlers.commands import build_registry
from handlers.context import Context
from handlers.dispatch import handle
from handlers.render_text import render
from handlers.worker import handle_off_loop, run_off_loop
from tests.test_store import CLOCK, make_report
from tests.test_store_layout import summaries_on_disk


def _scanned_budget_pools(store: Store) -> list[tuple[str, list[str]]]:
    """/budget's pools as they were built before: every record of every report, newest first."""
    return [
        ("dept", [d.name for d in store.departments()] + [b.dept for b in store.budget_lines() if b.dept]),
        ("org", [r.org for r in store.reports()]),
        ("row", [b.name for b in store.budget_lines() if b.level != "total" and not is_year_label(b.name)]),
        ("program", [p.title for p in store.programs()]),
    ]


def _questions(names: list[str]) -> list[str]:
    """Each name as typed exactly, spaced out, in part, and with its last syllable slipped."""
    out: list[str] = []
    for n in dict.fromkeys(names):
        key = normalize(n)
        out += [n, " ".join(n), key[: max(2, len(key) // 2)], key[:-1] + "과" if len(key) > 2 else key]
    return out


def _same(a: tuple[str | None, Resolution], b: tuple[str | None, Resolution]) -> bool:
    return a[0] == b[0] and (a[1].outcome, a[1].value, a[1].candidates, a[1].more, a[1].closest) == (
        b[1].outcome, b[1].value, b[1].candidates, b[1].more, b[1].closest,
    )  # fmt: skip


def _assert_pools_match_a_full_scan(store: Store) -> None:
    scanned = _scanned_budget_pools(store)
    names = [n for _, pool in scanned for n in pool]
    assert names, "the store holds names to ask for"
    for q in _questions(names):
        assert _same(resolve_in(q, budget_pools(store)), resolve_in(q, scanned)), q
    titles = [p.title for p in store.programs()]
    scanned_program = [("program", titles), ("dept", scanned[0][1])]
    for q in _questions(titles):
        assert _same(resolve_in(q, program_pools(store)), resolve_in(q, scanned_program)), q


def _assert_records_by_key_match_a_full_scan(store: Store) -> None:
    for dept in {b.dept for b in store.budget_lines() if b.dept}:
        assert budget_lines_of_dept(store, dept) == [b for b in store.budget_lines() if b.dept and normalize(b.dept) == normalize(dept)]
    for row in {b.name for b in store.budget_lines() if b.level != "total"}:
        assert budget_rows_named(store, row) == [b for b in store.budget_lines() if normalize(b.name) == normalize(row) and b.level != "total"]
    for title in {p.title for p in store.programs()}:
        assert programs_titled(store, title) == [p for p in store.programs() if normalize(p.title) == normalize(title)]
    for dept in {p.dept for p in store.programs() if p.dept}:
        assert programs_of_dept(store, dept) == [p for p in store.programs() if p.dept and normalize(p.dept) == normalize(dept)]


def test_names_resolve_the_same_through_the_prepared_pools_as_by_scanning_a_made_up_store(made: Store) -> None:
    _assert_pools_match_a_full_scan(made)
    _assert_records_by_key_match_a_full_scan(made)


def test_names_resolve_the_same_through_the_prepared_pools_as_by_scanning_the_bundled_corpus(corpus: Store) -> None:
    _assert_pools_match_a_full_scan(corpus)
    _assert_records_by_key_match_a_full_scan(corpus)


def test_pools_follow_the_store_when_a_report_is_added(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", clock=CLOCK)
    store.ingest(make_report("aaaa"))
    assert resolve_in("사업 1", budget_pools(store))[1].outcome == "none"
    store.ingest(make_report("bbbb", title="둘째 보고서", extra_rows=3))
    label, res = resolve_in("사업 1", budget_pools(store))
    assert (label, res.value) == ("row", "사업 1")
    _assert_pools_match_a_full_scan(store)


def test_commands_are_answered_in_the_worker_thread_in_arrival_order(made: Store) -> None:
    ctx = Context(store=made, clock=FixedClock(made.clock.today()), commands=build_registry())
    texts = ["/budget 뉴미디어담당관", "/upcoming 30", "/audit open", "/help", "/budget 없는부서이름"] * 4
    seen: list[tuple[int, str]] = []

    def record(i: int) -> str:
        seen.append((i, threading.current_thread().name))
        return threading.current_thread().name

    async def burst() -> tuple[list, list[str]]:
        replies = asyncio.gather(*(handle_off_loop(t, ctx) for t in texts))
        names = asyncio.gather(*(run_off_loop(record, i) for i in range(50)))
        return await replies, await names

    replies, names = asyncio.run(burst())
    assert [render(r) for r in replies] == [render(handle(t, ctx)) for t in texts]  # the same answers as on the caller's thread
    assert [i for i, _ in seen] == list(range(50))  # one after another, as they came
    assert set(names) != {threading.main_thread().name} and len(set(names)) == 1
    assert names[0].startswith("reportbot-handler")


def _strip_name_summaries(path: Path) -> None:
    """Make the store look like one written before summaries kept names in order and
    milestone dates (then they rode in the catalogue, before the summaries file)."""
    summaries = summaries_on_disk(path)
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    for doc in catalogue["reports"].values():
        doc["summary"] = {k: v for k, v in summaries[doc["id"]].items() if k not in ("order", "ms")}
    path.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    path.with_name(path.name + ".summaries.jsonl").unlink()


def test_an_old_stores_name_summaries_are_made_once_and_written_back(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.ingest(make_report("bbbb", title="둘째 보고서", extra_rows=2))
    written = summaries_on_disk(path)
    store.close()
    _strip_name_summaries(path)

    old = Store(path, clock=CLOCK)
    assert old.report_reads == 2  # each report file read once, on open
    assert summaries_on_disk(path) == written  # the same summaries an ingest writes
    old.close()

    reopened = Store(path, clock=CLOCK)
    assert resolve_in("사업 1", budget_pools(reopened))[1].value == "사업 1"
    assert reopened.report_reads == 0  # names from the catalogue alone
    assert len(reopened.milestones()) == 2
    assert reopened.ingest(make_report("aaaa")).status == "unchanged"


def test_a_missing_report_file_is_not_written_back_as_an_empty_summary(tmp_path: Path) -> None:
    from bot.store import report_file

    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report("aaaa"))
    store.ingest(make_report("bbbb", title="둘째 보고서"))
    store.close()
    _strip_name_summaries(path)
    report_file(path, "bbbb").unlink()

    Store(path, clock=CLOCK).close()
    assert set(summaries_on_disk(path)) == {"aaaa"}
    left = {d["id"]: d.get("summary") for d in json.loads(path.read_text(encoding="utf-8"))["reports"].values()}
    assert left["aaaa"] is None and "order" not in left["bbbb"]  # made again (and skipped loudly) until its file is back


def _lagging_by_scan(store: Store, as_of, limit: int) -> list:
    """The digest's lagging programs as they were found before: every execution table read per digest."""
    from bot.lookups.budget import fund_operations, rate_of
    from bot.lookups.digest import _budget_of

    rated: dict = {}
    newest = []
    for r in store.reports():
        if r.report_date > as_of or r.org in rated:
            continue
        lines = [b for b in store.budget_lines(r.id) if rate_of(b) is not None and (b.as_of is None or b.as_of <= as_of)]
        if lines:
            rated[r.org] = lines
            newest.append(r)
    rows = []
    for r in newest:
        lines = rated[r.org]
        level = "unit" if any(b.level == "unit" for b in lines) else "policy"
        funds = fund_operations(store.budget_lines(r.id))
        rows += [(r, b, rate_of(b)) for b in lines if b.level == level and rate_of(b) is not None and _budget_of(b) > 0 and id(b) not in funds]
    rows.sort(key=lambda t: (t[2], t[1].name))
    return rows[:limit]


def test_the_digests_lagging_programs_are_those_a_full_scan_finds(corpus: Store, made: Store) -> None:
    from datetime import date

    from bot.lookups.digest import lagging_programs

    for store in (corpus, made):
        as_ofs = sorted({b.as_of for b in store.budget_lines() if b.as_of}) + [date(2030, 1, 1)]
        for as_of in as_ofs:  # a day before some tables' figures, too: those are left out
            for limit in (1, 5, 50):
                found = [(r.id, b.name, rate) for r, b, rate in lagging_programs(store, as_of, limit)]
                assert found == [(r.id, b.name, rate) for r, b, rate in _lagging_by_scan(store, as_of, limit)], (as_of, limit)
        assert lagging_programs(store, date(2030, 1, 1), 5), "the store has rated programs"


def test_an_index_built_for_a_pinned_date_is_not_the_whole_stores(corpus):
    """A name printed only in a later report is unknown as of an earlier date and known
    without one, whichever is asked first (the views' indexes are kept apart)."""
    from datetime import date

    from bot.replies import ReplyKind
    from handlers.dispatch import handle
    from tests.handmade import context

    later_only = "/budget 서울 미디어 랩 구축 및 운영"  # a row of the 2021 report only
    pinned = context(corpus, today=date(2019, 6, 20))
    pinned.store = __import__("bot.lookups.known", fromlist=["known_store"]).known_store(corpus, date(2019, 6, 20))
    first = handle(later_only, pinned)
    whole = handle(later_only, context(corpus, today=date(2021, 9, 6)))
    again = handle(later_only, pinned)
    assert whole.kind == ReplyKind.ANSWER
    assert first.kind != ReplyKind.ANSWER and again.kind != ReplyKind.ANSWER
