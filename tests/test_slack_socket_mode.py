"""Slack over Socket Mode: the adapter opens a WebSocket (apps.connections.open) to a fake
Socket Mode server on 127.0.0.1, acknowledges envelopes and answers through the fake
Web API — the way slack-bolt's own tests drive Socket Mode."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.slack import SlackAdapter, SlackConfigError
from bot.clock import FixedClock
from bot.config import Settings
from bot.replies import Reply
from bot.runtime import Runtime
from bot.store import Store, copy_store
from handlers.registry import command
from tests.fakes.slack_api import FakeSlackApi, mention_event, slash_command

AS_OF = FixedClock(date(2021, 9, 6))


@pytest.fixture(scope="module")
def corpus_store(corpus_store_file: Path) -> Path:
    return corpus_store_file


@pytest.fixture
async def connected(corpus_store: Path, tmp_path: Path) -> AsyncIterator[tuple[SlackAdapter, FakeSlackApi]]:
    path = tmp_path / "store.json"
    copy_store(corpus_store, path)
    rt = Runtime(settings=Settings(), store=Store(path, clock=AS_OF), clock=AS_OF)
    fake = await FakeSlackApi().start()
    # no signing secret: Socket Mode needs none
    adapter = SlackAdapter(rt, token=fake.bot_token, api_url=fake.base_url, app_token=fake.app_token)
    await adapter.start_socket_mode()
    yield adapter, fake
    await adapter.stop()
    await fake.stop()


async def test_socket_mode_connects_with_the_app_token(connected: tuple[SlackAdapter, FakeSlackApi]) -> None:
    _, fake = connected
    (opened,) = fake.calls_to("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {fake.app_token}"
    assert fake.socket_connected.is_set()


async def test_budget_over_socket_mode_is_acked_and_answered(connected: tuple[SlackAdapter, FakeSlackApi]) -> None:
    _, fake = connected
    envelope = {
        "envelope_id": "env-slash-1",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": slash_command("/budget", "뉴미디어담당관", fake.response_url("s1")),
    }
    await fake.socket_send(envelope)
    ack = await fake.wait_socket_ack("env-slash-1")
    assert ack["envelope_id"] == "env-slash-1"
    (call,) = await fake.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    assert "79억 914만원" in str(call.params["blocks"])


async def test_a_slow_lookup_over_socket_mode_is_acknowledged_before_it_finishes(connected: tuple[SlackAdapter, FakeSlackApi]) -> None:
    adapter, fake = connected
    done: list[float] = []

    def slow(args: str, ctx: object) -> Reply:
        time.sleep(0.5)  # a slow lookup (a store reload, say)
        done.append(time.monotonic())
        return Reply(title="느린 조회 끝")

    adapter.rt.registry.add(command("socketslow", "테스트: 느린 조회")(slow))
    payload = slash_command("/socketslow", "", fake.response_url("slow"))
    await fake.socket_send({"envelope_id": "env-slow-1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload})
    await fake.wait_socket_ack("env-slow-1")
    acked_at = time.monotonic()
    (call,) = await fake.wait_for("response_url")
    assert "느린 조회 끝" in str(call.params)
    assert done and acked_at < done[0]  # Slack had its ack while the lookup still ran


async def test_socket_mode_retry_of_a_mention_is_answered_once(connected: tuple[SlackAdapter, FakeSlackApi]) -> None:
    _, fake = connected
    payload = mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="Ev0SOCKET1")
    await fake.socket_send({"envelope_id": "env-ev-1", "type": "events_api", "accepts_response_payload": False, "retry_attempt": 0, "retry_reason": "", "payload": payload})
    await fake.wait_socket_ack("env-ev-1")
    await fake.socket_send({"envelope_id": "env-ev-2", "type": "events_api", "accepts_response_payload": False, "retry_attempt": 1, "retry_reason": "timeout", "payload": payload})
    await fake.wait_socket_ack("env-ev-2")  # the retry is acknowledged too …
    await fake.wait_for("chat.postMessage")
    await fake.settle(0.3)
    assert len(fake.calls_to("chat.postMessage")) == 1  # … but answered once


async def test_rejected_app_token_is_reported_not_raised_as_a_traceback(corpus_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    copy_store(corpus_store, path)
    rt = Runtime(settings=Settings(), store=Store(path, clock=AS_OF), clock=AS_OF)
    fake = await FakeSlackApi().start()
    fake.fail_next("apps.connections.open", "invalid_auth")
    adapter = SlackAdapter(rt, token=fake.bot_token, api_url=fake.base_url, app_token="xapp-wrong")
    try:
        with pytest.raises(SlackConfigError) as err:
            await asyncio.wait_for(adapter.start_socket_mode(), 10)
        assert "SLACK_APP_TOKEN" in err.value.message and "xapp-wrong" not in err.value.message
    finally:
        await adapter.stop()
        await fake.stop()
