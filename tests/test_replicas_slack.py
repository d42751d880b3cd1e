"""Slack behind a load balancer: two replicas (two Slack adapters, each with its own
PostgreSQL store object on one schema) and one fake Slack. A retry or a repeated request
landing on the other replica is answered once; different requests are each answered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.config import Settings
from bot.runtime import Runtime
from tests.fakes.slack_api import FakeSlackApi, mention_event, signed_headers, slash_command

SECRET = "replica-slack-secret"
AS_OF = FixedClock(date(2021, 9, 6))


@dataclass
class Endpoint:
    url: str
    session: aiohttp.ClientSession

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> int:
        h = signed_headers(SECRET, body, content_type)
        h.update(headers or {})
        async with self.session.post(self.url, data=body.encode(), headers=h) as r:
            return r.status


async def drain(fake: FakeSlackApi, *endpoints: Endpoint) -> None:
    """Each replica answers in arrival order (one worker thread): once a later command's
    answer is in, whatever it received before has been handled."""
    before = len(fake.calls_to("response_url"))
    for n, endpoint in enumerate(endpoints):
        form = slash_command("/help", "", fake.response_url(f"drain{n}"))
        form["trigger_id"] = f"drain.{n}.{id(endpoint)}"
        assert await endpoint.post(urlencode(form), "application/x-www-form-urlencoded") == 200
    await fake.wait_for("response_url", count=before + len(endpoints), timeout=15)


@pytest.fixture
async def replicas(pg_url: str, parsed_reports: dict[str, Any]) -> AsyncIterator[tuple[Endpoint, Endpoint, FakeSlackApi]]:
    from bot.pgstore.store import PgStore

    seed = PgStore(pg_url, clock=AS_OF)
    seed.ingest(parsed_reports["2021_simin"])
    seed.close()
    fake = await FakeSlackApi().start()
    adapters, stores = [], []
    async with aiohttp.ClientSession() as session:
        endpoints = []
        for _ in range(2):
            store = PgStore(pg_url, clock=AS_OF)
            stores.append(store)
            adapter = SlackAdapter(Runtime(settings=Settings(), store=store, clock=AS_OF), token=fake.bot_token, api_url=fake.base_url, signing_secret=SECRET)
            adapters.append(adapter)
            port = await adapter.start_http("127.0.0.1", 0)
            endpoints.append(Endpoint(f"http://127.0.0.1:{port}/slack/events", session))
        yield endpoints[0], endpoints[1], fake
    for adapter in adapters:
        await adapter.stop()
    for store in stores:
        store.close()
    await fake.stop()


async def test_an_event_slack_retries_to_the_other_replica_is_answered_once(replicas: tuple[Endpoint, Endpoint, FakeSlackApi]) -> None:
    a, b, fake = replicas
    body = json.dumps(mention_event("<@UBOT0001> 뉴미디어담당관 예산", "EvRetryAcross"))
    assert await a.post(body, "application/json") == 200
    assert await b.post(body, "application/json", {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    (answer,) = await fake.wait_for("chat.postMessage", timeout=15)
    await drain(fake, a, b)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert "뉴미디어담당관" in json.dumps(answer.params, ensure_ascii=False)


async def test_a_command_the_load_balancer_repeats_on_the_other_replica_is_answered_once(replicas: tuple[Endpoint, Endpoint, FakeSlackApi]) -> None:
    a, b, fake = replicas
    form = slash_command("/budget", "뉴미디어담당관", fake.response_url("once"))
    form["trigger_id"] = "7000.1.repeated"
    body = urlencode(form)
    assert await a.post(body, "application/x-www-form-urlencoded") == 200
    assert await b.post(body, "application/x-www-form-urlencoded") == 200
    await fake.wait_for("response_url", timeout=15)
    await drain(fake, a, b)
    assert [c.path for c in fake.calls_to("response_url")].count("/respond/once") == 1


async def test_different_commands_on_the_two_replicas_are_each_answered(replicas: tuple[Endpoint, Endpoint, FakeSlackApi]) -> None:
    a, b, fake = replicas
    for endpoint, n in ((a, 1), (b, 2), (a, 3)):
        form = slash_command("/budget", "뉴미디어담당관", fake.response_url(f"r{n}"))
        form["trigger_id"] = f"7000.2.{n}"
        assert await endpoint.post(urlencode(form), "application/x-www-form-urlencoded") == 200
    answers = await fake.wait_for("response_url", count=3, timeout=20)
    assert sorted(c.path for c in answers) == ["/respond/r1", "/respond/r2", "/respond/r3"]
