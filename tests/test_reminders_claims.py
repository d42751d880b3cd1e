"""Nothing twice: stable identities across a corrected re-ingest, and claim, send,
confirm across a crash between the send and its record (Slack is asked through the
fake Slack Web API; a platform that cannot be asked resends once, marked)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages as MS
from bot.adapters.slack import SlackSender
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, ParsedReport, Precision, Report, SentRecord, Source, Subscription
from bot.runtime import Runtime
from bot.store import Store
from reminders.calendar import WorkCalendar
from reminders.plan import plan_window
from reminders.service import ReminderService
from tests.fakes.slack_api import FakeSlackApi
from tests.test_reminders_service import RecordingSender

D1 = datetime(2021, 10, 27, 9, 0, 5, tzinfo=SEOUL)  # just after the D-1 send of a 10.28 meeting


def report(report_id: str, line: int, title: str = "통합위원회 전체회의") -> ParsedReport:
    """A report whose milestone moves to another line in a corrected copy."""
    src = Source(report_id=report_id, doc="r.txt", line=line)
    return ParsedReport(
        report=Report(id=report_id, doc="r.txt", title="주요업무보고", org="국제교류담당관", report_date=date(2021, 9, 6)),
        milestones=[Milestone(title=title, start=date(2021, 10, 28), precision=Precision.DAY, program="도시외교", dept="국제교류담당관", source=src)],
    )


def bot(path: Path, sender: object, clock: FixedClock) -> tuple[Store, ReminderService]:
    store = Store(path, clock=clock)
    rt = Runtime(settings=Settings(), store=store, clock=clock)
    rt.add_sender(sender)  # type: ignore[arg-type]
    return store, ReminderService(rt, WorkCalendar("KR"))


async def test_a_corrected_reingest_does_not_resend_a_reminder_already_sent(tmp_path: Path) -> None:
    db, clock = tmp_path / "db.json", FixedClock(D1)
    sender = RecordingSender("console")
    store, service = bot(db, sender, clock)
    store.ingest(report("v1", line=40))
    store.add_subscription(Subscription(platform="console", channel="ops", target="all", created_at=datetime(2021, 10, 1, tzinfo=SEOUL)))
    await service.start()
    await service.stop()
    assert len(sender.sent) == 1
    # a corrected copy: new content hash, the milestone two lines lower, title spaced differently
    store.ingest(report("v2", line=42, title="통합위원회  전체 회의"))
    store.close()
    store, service = bot(db, sender, clock)  # restart within the day
    await service.start()
    await service.stop()
    assert len(sender.sent) == 1


async def test_an_upgrade_recognises_sent_log_keys_written_before_stable_identities(tmp_path: Path) -> None:
    db, clock = tmp_path / "db.json", FixedClock(D1)
    sender = RecordingSender("console")
    store, service = bot(db, sender, clock)
    store.ingest(report("v1", line=40))
    store.add_subscription(Subscription(platform="console", channel="ops", target="all", created_at=datetime(2021, 10, 1, tzinfo=SEOUL)))
    [m] = [m for m in store.milestones()]
    from bot.store import legacy_milestone_key  # the key the old code wrote

    old_key = f"reminder|{legacy_milestone_key(m)}|d1|console:ops"  # what the old code recorded
    store.record_sent(SentRecord(key=old_key, platform="console", channel="ops", sent_at=datetime(2021, 10, 27, 9, tzinfo=SEOUL), due_at=datetime(2021, 10, 27, 9, tzinfo=SEOUL)))
    await service.start()
    await service.stop()
    assert sender.sent == []


@pytest.fixture
async def slack():
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


async def _crash_after_send(db: Path, sender: object, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first bot sends, and dies before it records the send (its confirm never lands)."""
    store, service = bot(db, sender, clock)

    def killed(*_: object, **__: object) -> int:
        raise SystemExit("killed between send and confirm")

    monkeypatch.setattr(store, "confirm_send", killed)
    with pytest.raises(SystemExit):
        await service.start()
    await service.stop()
    monkeypatch.undo()
    store.close()


def _setup(db: Path, platform: str, channel: str) -> None:
    store = Store(db, clock=FixedClock(D1))
    store.ingest(report("v1", line=40))
    store.add_subscription(Subscription(platform=platform, channel=channel, target="all", created_at=datetime(2021, 10, 1, tzinfo=SEOUL)))
    store.close()


async def test_a_crash_between_a_slack_send_and_its_record_does_not_repeat_it(tmp_path: Path, slack: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> None:
    db, clock = tmp_path / "db.json", FixedClock(D1)
    _setup(db, "slack", "C-intl")
    sender = SlackSender(AsyncWebClient(token=slack.bot_token, base_url=slack.base_url))
    await _crash_after_send(db, sender, clock, monkeypatch)
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert Store(db, clock=clock).claims()  # claimed, never confirmed

    store, service = bot(db, sender, clock)  # restart: Slack is asked, and says it arrived
    await service.start()
    await service.stop()
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert slack.calls_to("conversations.history")[0].params.get("include_all_metadata") in ("1", "true", True)
    assert store.claims() == [] and len([r for r in store.sent_records() if r.status == "sent"]) == 1
    assert service.claims_resolved == {"confirmed": 1, "released": 0, "resent": 0}


async def test_a_crash_after_the_claim_but_before_the_slack_send_sends_it_once_unmarked(tmp_path: Path, slack: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> None:
    db, clock = tmp_path / "db.json", FixedClock(D1)
    _setup(db, "slack", "C-intl")
    store = Store(db, clock=clock)
    [send] = plan_window(store, Settings(), WorkCalendar("KR"), datetime(2021, 10, 27, tzinfo=SEOUL), D1)
    store.claim_send({"keys": [send.key], "batch": send.batch_id, "platform": "slack", "channel": "C-intl", "due_at": send.due_at.isoformat(), "claimed_at": D1.isoformat(), "wall": 0.0})
    store.close()
    sender = SlackSender(AsyncWebClient(token=slack.bot_token, base_url=slack.base_url))
    store, service = bot(db, sender, clock)
    await service.start()
    await service.stop()
    [post] = slack.calls_to("chat.postMessage")
    assert "재발송" not in str(post.params)
    assert post.params["metadata"]["event_payload"]["keys"] == [send.key]
    assert service.claims_resolved["released"] == 1 and len([r for r in store.sent_records() if r.status == "sent"]) == 1


async def test_a_crash_between_a_send_and_its_record_on_a_platform_that_cannot_be_asked_resends_once_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, clock = tmp_path / "db.json", FixedClock(D1)
    _setup(db, "telegram", "-100")
    sender = RecordingSender("telegram")
    await _crash_after_send(db, sender, clock, monkeypatch)
    assert len(sender.sent) == 1

    store, service = bot(db, sender, clock)
    await service.start()
    await service.stop()
    assert len(sender.sent) == 2
    assert MS.MAYBE_RESENT in sender.sent[1][1].summary and MS.MAYBE_RESENT not in sender.sent[0][1].summary
    store.close()
    store, service = bot(db, sender, clock)  # and only once
    await service.start()
    await service.stop()
    assert len(sender.sent) == 2
