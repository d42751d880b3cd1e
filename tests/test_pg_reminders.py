"""Reminders go out once on either store: the reminder service on TinyDB and on
PostgreSQL — a corrected re-ingest does not resend, a crash between a Slack send and its
record is resolved by asking Slack. (Two replicas run one scheduler between them: an
advisory lock, bot/pgstore/leader.py; the claim race itself: tests/test_pg_store.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackSender
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Subscription
from bot.pgstore import open_store
from bot.runtime import Runtime
from reminders.calendar import WorkCalendar
from reminders.service import ReminderService
from tests.fakes.slack_api import FakeSlackApi
from tests.pg import BACKENDS, backend_location
from tests.test_reminders_claims import D1, report
from tests.test_reminders_service import RecordingSender

SUBSCRIBED = datetime(2021, 10, 1, tzinfo=SEOUL)


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    with backend_location(request.param, tmp_path / "db.json", request) as where:
        yield where


def bot(location: str | Path, sender: object, clock: FixedClock) -> tuple[Any, ReminderService]:
    store = open_store(location, clock=clock)
    rt = Runtime(settings=Settings(), store=store, clock=clock)
    rt.add_sender(sender)  # type: ignore[arg-type]
    return store, ReminderService(rt, WorkCalendar("KR"))


def setup(location: str | Path, platform: str, channel: str) -> None:
    store = open_store(location, clock=FixedClock(D1))
    store.ingest(report("v1", line=40))
    store.add_subscription(Subscription(platform=platform, channel=channel, target="all", created_at=SUBSCRIBED))
    store.close()


async def test_a_corrected_reingest_does_not_resend_a_reminder_already_sent(location: str | Path) -> None:
    clock, sender = FixedClock(D1), RecordingSender("console")
    setup(location, "console", "ops")
    store, service = bot(location, sender, clock)
    await service.start()
    await service.stop()
    assert len(sender.sent) == 1
    store.ingest(report("v2", line=42, title="통합위원회  전체 회의"))
    store.close()
    store, service = bot(location, sender, clock)  # restart within the day
    await service.start()
    await service.stop()
    store.close()
    assert len(sender.sent) == 1


async def test_a_crash_between_a_slack_send_and_its_record_does_not_repeat_it(location: str | Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slack = await FakeSlackApi().start()
    try:
        clock = FixedClock(D1)
        setup(location, "slack", "C-intl")
        sender = SlackSender(AsyncWebClient(token=slack.bot_token, base_url=slack.base_url))
        store, service = bot(location, sender, clock)

        def killed(*_: object, **__: object) -> int:
            raise SystemExit("killed between send and confirm")

        monkeypatch.setattr(store, "confirm_send", killed)
        with pytest.raises(SystemExit):
            await service.start()
        await service.stop()
        monkeypatch.undo()
        store.close()
        assert len(slack.calls_to("chat.postMessage")) == 1

        store, service = bot(location, sender, clock)  # restart: Slack is asked, and says it arrived
        assert store.claims()
        await service.start()
        await service.stop()
        assert len(slack.calls_to("chat.postMessage")) == 1
        assert store.claims() == [] and len([r for r in store.sent_records() if r.status == "sent"]) == 1
        assert service.claims_resolved == {"confirmed": 1, "released": 0, "resent": 0}
        store.close()
    finally:
        await slack.stop()

