"""The 2021-09-06 report prints the 서울세계도시문화축제 three times (twice '… 개최', once
'… 개최 기 간', same dates). A channel subscribed to 국제교류담당관 gets ONE set of
reminders for it — the rule /upcoming and /when use — and a sent-log written by the
old code (one set per printing) is honoured: nothing is sent again after the upgrade."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, SentRecord, Subscription
from bot.runtime import Runtime
from bot.store import Store
from reminders.calendar import WorkCalendar
from reminders.plan import already, legacy_reminder_key, plan_window, reminder_key
from reminders.policy import send_slots
from reminders.service import ReminderService
from tests.test_reminders_service import RecordingSender

FESTIVAL = "서울세계도시문화축제"
CLOCK = FixedClock(datetime(2021, 9, 6, 10, tzinfo=SEOUL))
WINDOW = (datetime(2021, 9, 20, tzinfo=SEOUL), datetime(2021, 10, 12, tzinfo=SEOUL))


@pytest.fixture
def db(tmp_path: Path, parsed_reports) -> Path:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(parsed_reports["2021_simin"])
    store.add_subscription(Subscription(platform="console", channel="intl", target="국제교류담당관", created_at=CLOCK.now()))
    store.close()
    return path


def _printings(store: Store) -> list[Milestone]:
    return [m for m in store.milestones() if FESTIVAL in m.title and m.start == date(2021, 10, 1)]


def _festival_sends(store: Store) -> list:
    sends = plan_window(store, Settings(), WorkCalendar("KR"), *WINDOW)
    return [s for s in sends if s.milestone is not None and FESTIVAL in s.milestone.title]


def test_the_festival_printed_three_times_gets_one_set_of_reminders(db: Path) -> None:
    store = Store(db, clock=CLOCK)
    printings = _printings(store)
    assert len(printings) == 3 and len({m.title for m in printings}) == 2  # the report really repeats it
    sends = _festival_sends(store)
    labels = [s.slot.label for s in sends]
    slots = send_slots(printings[0], Settings().reminders, WorkCalendar("KR"))
    assert sorted(labels) == sorted(s.label for s in slots)  # one send per offset, not two or three
    assert {s.channel for s in sends} == {"intl"}
    store.close()


def test_the_kept_reminder_has_the_key_the_old_code_gave_that_printing(db: Path) -> None:
    store = Store(db, clock=CLOCK)
    report = store.reports()[0]
    printings = _printings(store)
    for s in _festival_sends(store):
        old_keys = {reminder_key(m, s.slot, "console", "intl", report) for m in printings}
        assert s.key in old_keys
        # the plainest printing stands for the event: '「2021 서울세계도시문화축제」 개최'
        assert s.milestone.title == "「2021 서울세계도시문화축제」 개최"
        assert s.key == reminder_key(s.milestone, s.slot, "console", "intl", report)
        # every printing's old key (stable and pre-stable) still counts as this send
        for m in printings:
            assert already({reminder_key(m, s.slot, "console", "intl", report)}, s)
            assert already({legacy_reminder_key(m, s.slot, "console", "intl")}, s)
    store.close()


def _old_sent_log(store: Store, slot_label: str, titles: set[str]) -> None:
    """What the old code wrote for the D-7 send: one record per printing it sent."""
    report = store.reports()[0]
    due = datetime(2021, 9, 24, 9, tzinfo=SEOUL)
    for m in _printings(store):
        if m.title not in titles:
            continue
        slot = next(s for s in send_slots(m, Settings().reminders, WorkCalendar("KR")) if s.label == slot_label)
        key = reminder_key(m, slot, "console", "intl", report)
        store.record_sent(SentRecord(key=key, platform="console", channel="intl", sent_at=due, due_at=due))


async def _catch_up_at(db: Path, when: datetime) -> list[str]:
    clock = FixedClock(when)
    store = Store(db, clock=clock)
    rt = Runtime(settings=Settings(), store=store, clock=clock)
    sender = RecordingSender()
    rt.add_sender(sender)
    service = ReminderService(rt, WorkCalendar("KR"))
    try:
        await service.start()
    finally:
        await service.stop()
        store.close()
    from handlers.render_text import render

    return [render(reply) for _, reply in sender.sent]


async def test_a_bot_restarted_after_the_d7_day_sends_one_festival_reminder_not_two(db: Path) -> None:
    texts = await _catch_up_at(db, datetime(2021, 9, 24, 10, tzinfo=SEOUL))
    festival = [line for t in texts for line in t.splitlines() if FESTIVAL in line and line.startswith("[")]
    assert len(festival) == 1, festival


@pytest.mark.parametrize(
    "sent_titles",
    [
        {"「2021 서울세계도시문화축제」 개최", "「2021 서울세계도시문화축제」 개최 기 간"},  # old code sent both sets
        {"「2021 서울세계도시문화축제」 개최 기 간"},  # only the printing that is folded away now
    ],
)
async def test_after_the_upgrade_a_festival_reminder_already_sent_is_not_sent_again(db: Path, sent_titles: set[str]) -> None:
    store = Store(db, clock=CLOCK)
    _old_sent_log(store, "d7", sent_titles)
    store.close()
    texts = await _catch_up_at(db, datetime(2021, 9, 24, 10, tzinfo=SEOUL))
    assert not [t for t in texts if FESTIVAL in t]


def test_reminders_plan_all_shows_one_line_per_event_and_offset(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "reminders", "plan", "--from", "2021-09-20", "--to", "2021-10-11", "--all"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if FESTIVAL in line]
    offsets = [line.split("  ")[-1].split(" · ")[0] for line in lines]
    assert len(lines) == 4 and len(set(offsets)) == len(offsets), lines
