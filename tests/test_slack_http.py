"""Slack end to end over HTTP: signed requests into the real Bolt app served by aiohttp on
127.0.0.1, answers going to a fake Slack Web API (tests/fakes/slack_api.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot import messages as M
from bot.adapters.slack import SlackAdapter, SlackSender, serve_slack
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, ACTION_SHARE, MAX_BLOCKS, SlackMessage, limits_problems
from bot.clock import FixedClock
from bot.config import Settings, SlackSettings
from bot.replies import Reply, ReplyKind, Section, Table
from bot.runtime import Runtime
from bot.store import Store, copy_store
from handlers.registry import command
from tests.fakes.slack_api import FakeSlackApi, block_action, mention_event, signed_headers, slash_command

SECRET = "test-signing-secret-0123456789abcdef"
ADMIN = "UADMIN001"
SLOW_DONE: list[float] = []
AS_OF = FixedClock(__import__("datetime").date(2021, 9, 6))


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(corpus_store_file: Path) -> Path:
    return corpus_store_file


@pytest.fixture
def runtime(corpus_store: Path, tmp_path: Path) -> Runtime:
    path = tmp_path / "store.json"
    copy_store(corpus_store, path)
    settings = Settings(slack=SlackSettings(admin_users=[ADMIN]))
    return Runtime(settings=settings, store=Store(path, clock=AS_OF), clock=AS_OF)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


@dataclass
class Slack:
    """The running HTTP endpoint and ways to talk to it like Slack does."""

    adapter: SlackAdapter
    url: str
    fake: FakeSlackApi
    session: aiohttp.ClientSession

    async def post(self, body: str, content_type: str, *, secret: str = SECRET, timestamp: int | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        h = signed_headers(secret, body, content_type, timestamp)
        h.update(headers or {})
        async with self.session.post(self.url, data=body.encode(), headers=h) as r:
            return r.status, await r.text()

    async def slash(self, cmd: str, text: str, rid: str = "r1", **kw: Any) -> tuple[int, str]:
        body = urlencode(slash_command(cmd, text, self.fake.response_url(rid), **kw))
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(self, action_id: str, value: str, rid: str = "r2", **kw: Any) -> tuple[int, str]:
        payload = block_action(action_id, value, self.fake.response_url(rid), **kw)
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def event(self, payload: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, str]:
        return await self.post(json.dumps(payload), "application/json", headers=headers)


@pytest.fixture
async def slack(runtime: Runtime, fake: FakeSlackApi) -> AsyncIterator[Slack]:
    adapter = SlackAdapter(runtime, token=fake.bot_token, api_url=fake.base_url, signing_secret=SECRET)
    port = await adapter.start_http("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        yield Slack(adapter, f"http://127.0.0.1:{port}/slack/events", fake, session)
    await adapter.stop()


@pytest.fixture
def test_commands(runtime: Runtime) -> Iterator[None]:
    """A very long reply and an admin-only verb, in this test's runtime only."""

    @command("slacklong", "테스트: 긴 답")
    def _long(args: str, ctx: Any) -> Reply:
        rows = [[f"사업 {i:03d} <{i}>", f"{i * 1000:,}", f"{i % 100}.5%"] for i in range(600)]
        sections = [Section(heading=f"추진실적 {j}", lines=[f"{j}-{k} 세부 내용 " + "가" * 80 for k in range(30)]) for j in range(8)]
        return Reply(title="긴 답", summary=["요약"], table=Table(columns=["사업", "예산", "집행률"], rows=rows, align_right=[False, True, True]), sections=sections, footnote="기준 2021.7.31")

    @command("slackslow", "테스트: 느린 조회")
    def _slow(args: str, ctx: Any) -> Reply:
        time.sleep(0.5)  # a slow lookup (a store reload, say)
        SLOW_DONE.append(time.monotonic())
        return Reply(title="느린 조회 끝")

    @command("slackadmin", "테스트: 관리자", admin_only=True)
    def _admin(args: str, ctx: Any) -> Reply:
        return Reply(kind=ReplyKind.DONE, title="관리자 작업 완료", summary=[args])

    for spec in (_long, _slow, _admin):
        runtime.registry.add(spec)
    yield


def blocks_json(call: Any) -> str:
    return json.dumps(call.params.get("blocks", []), ensure_ascii=False)


def buttons(call: Any) -> list[dict[str, Any]]:
    blocks = call.params.get("blocks", [])
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


# -- stories ---------------------------------------------------------------------------


async def test_budget_slash_command_acks_and_answers_ephemerally_with_the_figures(slack: Slack) -> None:
    status, body = await slack.slash("/budget", "뉴미디어담당관")
    assert status == 200 and body == ""  # the ack: empty 200, the answer comes after
    (call,) = await slack.fake.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    text = blocks_json(call)
    for figure in ("79억 914만원", "34억 9,885만원", "44.2%"):
        assert figure in text
    assert "2021" in text and "7" in text  # 기준일 in the context line
    assert call.params["text"]  # plain-text fallback
    share = [b for b in buttons(call) if b["action_id"] == ACTION_SHARE]
    assert share and share[0]["value"] == "/budget 뉴미디어담당관"
    assert limits_problems(SlackMessage(call.params["text"], call.params["blocks"])) == []


async def test_ack_reaches_slack_before_a_slow_lookup_finishes(slack: Slack, test_commands: None) -> None:
    # The client runs in a thread, so it sees the 200 even while the lookup blocks the loop.
    body = urlencode(slash_command("/slackslow", "", slack.fake.response_url("slow")))
    headers = signed_headers(SECRET, body, "application/x-www-form-urlencoded")

    def post() -> tuple[int, float]:
        req = urllib.request.Request(slack.url, data=body.encode(), headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, time.monotonic()

    status, acked_at = await asyncio.to_thread(post)
    await slack.fake.wait_for("response_url")
    assert status == 200
    assert SLOW_DONE and acked_at < SLOW_DONE[-1]  # acknowledged first, answered after


async def test_request_with_a_bad_signature_is_refused(slack: Slack) -> None:
    body = urlencode(slash_command("/budget", "뉴미디어담당관", slack.fake.response_url()))
    status, _ = await slack.post(body, "application/x-www-form-urlencoded", secret="not-the-secret")
    assert status == 401
    await slack.fake.settle(0.2)
    assert slack.fake.posted() == []


async def test_request_signed_six_minutes_ago_is_refused(slack: Slack) -> None:
    body = urlencode(slash_command("/budget", "뉴미디어담당관", slack.fake.response_url()))
    status, _ = await slack.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    await slack.fake.settle(0.2)
    assert slack.fake.posted() == []


async def test_redelivered_mention_is_answered_once(slack: Slack) -> None:
    event = mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="Ev0RETRY1")
    assert (await slack.event(event))[0] == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await slack.event(event, headers=retry))[0] == 200
    await slack.fake.wait_for("chat.postMessage")
    await slack.fake.settle(0.3)
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert "79억 914만원" in blocks_json(posts[0])
    # a different event is still answered
    assert (await slack.event(mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="Ev0OTHER2")))[0] == 200
    await slack.fake.wait_for("chat.postMessage", count=2)


async def test_mention_cannot_make_the_bot_ping_the_channel_or_post_a_fake_link(slack: Slack) -> None:
    # Slack's wire format: a real @here arrives as <!here>, typed angle brackets as entities.
    # The handler echoes the unknown name back; Slack must get it as text, not as markup.
    text = "<@UBOT0001> /program &lt;!channel&gt; &lt;https://evil.example|클릭&gt; <!here> <https://evil.example|여기>"
    assert (await slack.event(mention_event(text, event_id="Ev0ESCAPE")))[0] == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    raw = json.dumps(call.params, ensure_ascii=False)
    for bad in ("<!channel>", "<!here>", "<!everyone>", "<https://", "<http"):
        assert bad not in raw
    assert "&lt;https://evil.example|클릭&gt;" in raw  # shown as typed, not obeyed
    assert call.params["channel"] == "C0CHAN01"


async def test_slash_command_echo_is_escaped(slack: Slack) -> None:
    assert (await slack.slash("/budget", "&lt;!here&gt; 쿼크플라즈마"))[0] == 200
    (call,) = await slack.fake.wait_for("response_url")
    raw = json.dumps(call.params, ensure_ascii=False)
    assert "<!here>" not in raw and "&lt;!here&gt; 쿼크플라즈마" in raw


async def test_rate_limited_post_is_retried_after_retry_after(slack: Slack) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=1)
    assert (await slack.event(mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="Ev0RATE1")))[0] == 200
    await slack.fake.wait_for("chat.postMessage", timeout=8)
    attempts = slack.fake.calls_to("chat.postMessage", ok_only=False)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # Retry-After was honoured
    assert "79억 914만원" in blocks_json(attempts[1])


async def test_rate_limited_response_url_is_retried(slack: Slack) -> None:
    slack.fake.rate_limit_next("response_url", retry_after=0)
    assert (await slack.slash("/budget", "뉴미디어담당관"))[0] == 200
    await slack.fake.wait_for("response_url", timeout=8)
    assert [c.status for c in slack.fake.calls_to("response_url", ok_only=False)] == [429, 200]


async def test_long_reply_is_split_into_messages_within_slack_limits(slack: Slack, test_commands: None) -> None:
    assert (await slack.slash("/slacklong", ""))[0] == 200
    await slack.fake.wait_for("response_url")
    await slack.fake.settle(0.3)
    calls = slack.fake.calls_to("response_url")
    assert 1 < len(calls) <= 5  # Slack takes 5 posts a response_url; the rest go by chat.postEphemeral
    calls += slack.fake.calls_to("chat.postEphemeral")
    everything = ""
    for call in calls:
        msg = SlackMessage(call.params["text"], call.params["blocks"])
        assert limits_problems(msg) == [], limits_problems(msg)
        assert len(msg.blocks) <= MAX_BLOCKS
        everything += blocks_json(call)
    for i in (0, 299, 599):  # no row lost across the split
        assert f"사업 {i:03d} &lt;{i}&gt;" in everything
    assert "추진실적 7" in everything


async def test_next_page_button_replaces_the_message_with_the_next_page(slack: Slack) -> None:
    assert (await slack.slash("/budget", "뉴미디어담당관"))[0] == 200
    (first,) = await slack.fake.wait_for("response_url")
    nxt = [b for b in buttons(first) if b["action_id"].startswith(ACTION_RUN_PREFIX) and "p2" in b["value"]]
    assert nxt, "the first page offers a next-page button"
    assert (await slack.click(nxt[0]["action_id"], nxt[0]["value"], rid="r2"))[0] == 200
    calls = await slack.fake.wait_for("response_url", count=2)
    page2 = calls[1]
    assert page2.path.endswith("/r2")
    assert page2.params["replace_original"] is True
    assert page2.params["response_type"] == "ephemeral"
    assert "2/" in blocks_json(page2)  # "2/N쪽"
    assert blocks_json(page2) != blocks_json(first)


async def test_candidate_button_replaces_the_list_with_the_chosen_answer(slack: Slack) -> None:
    assert (await slack.slash("/budget", "시민"))[0] == 200
    (listing,) = await slack.fake.wait_for("response_url")
    choices = {b["value"]: b for b in buttons(listing) if b["action_id"].startswith(ACTION_RUN_PREFIX)}
    assert {"/budget 시민봉사담당관", "/budget 시민소통담당관"} <= set(choices)
    assert not [b for b in buttons(listing) if b["action_id"] == ACTION_SHARE]  # nothing to share yet
    chosen = choices["/budget 시민소통담당관"]
    assert (await slack.click(chosen["action_id"], chosen["value"], rid="pick"))[0] == 200
    answer = (await slack.fake.wait_for("response_url", count=2))[1]
    assert answer.params["replace_original"] is True
    assert "시민소통담당관" in blocks_json(answer) and "억" in blocks_json(answer)
    assert [b["value"] for b in buttons(answer) if b["action_id"] == ACTION_SHARE] == ["/budget 시민소통담당관"]


async def test_share_button_posts_the_answer_to_the_channel(slack: Slack) -> None:
    assert (await slack.click(ACTION_SHARE, "/budget 뉴미디어담당관", rid="r3"))[0] == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "C0CHAN01"
    assert "79억 914만원" in blocks_json(post)
    assert "<@U0USER01>" in blocks_json(post)  # who shared it
    assert not [b for b in buttons(post) if b["action_id"] == ACTION_SHARE]
    (gone,) = await slack.fake.wait_for("response_url")
    assert gone.params == {"delete_original": True}


async def test_share_falls_back_to_response_url_when_the_bot_is_not_in_the_channel(slack: Slack) -> None:
    slack.fake.fail_next("chat.postMessage", "not_in_channel")
    assert (await slack.click(ACTION_SHARE, "/budget 뉴미디어담당관", rid="r4"))[0] == 200
    calls = await slack.fake.wait_for("response_url", count=2)
    assert calls[0].params["response_type"] == "in_channel"
    assert "79억 914만원" in blocks_json(calls[0])
    assert calls[1].params == {"delete_original": True}


async def test_admin_verbs_only_for_configured_user_ids(slack: Slack, test_commands: None) -> None:
    assert (await slack.slash("/reportbot", "slackadmin 확인", rid="a1", user_id="U0USER01"))[0] == 200
    assert (await slack.slash("/reportbot", "slackadmin 확인", rid="a2", user_id=ADMIN))[0] == 200
    calls = await slack.fake.wait_for("response_url", count=2)
    by_rid = {c.path.rsplit("/", 1)[1]: blocks_json(c) for c in calls}
    assert "관리자 작업 완료" not in by_rid["a1"] and "관리자 전용" in by_rid["a1"]
    assert "관리자 작업 완료" in by_rid["a2"]


async def test_reportbot_without_words_shows_help(slack: Slack) -> None:
    assert (await slack.slash("/reportbot", ""))[0] == 200
    (call,) = await slack.fake.wait_for("response_url")
    assert "/budget" in blocks_json(call) and "/upcoming" in blocks_json(call)


async def test_free_text_after_reportbot_is_read_like_a_mention(slack: Slack) -> None:
    assert (await slack.slash("/reportbot", "뉴미디어담당관 예산"))[0] == 200
    (call,) = await slack.fake.wait_for("response_url")
    assert "79억 914만원" in blocks_json(call)


async def test_tokens_and_secret_never_reach_the_log(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await slack.slash("/budget", "뉴미디어담당관")
    await slack.event(mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="Ev0LOG1"))
    await slack.fake.wait_for("chat.postMessage")
    await slack.fake.wait_for("response_url")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "auth.test" in logged or "Sending a request" in logged  # debug logging was on
    assert slack.fake.bot_token not in logged
    assert SECRET not in logged


async def test_url_verification_challenge_is_answered(slack: Slack) -> None:
    status, body = await slack.event({"token": "t", "challenge": "c-123", "type": "url_verification"})
    assert status == 200 and "c-123" in body


async def test_mention_in_a_thread_is_answered_in_that_thread(slack: Slack) -> None:
    event = mention_event("<@UBOT0001> 뉴미디어담당관 예산", event_id="Ev0THREAD", thread_ts="1630000000.000001")
    assert (await slack.event(event))[0] == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == "1630000000.000001"
    assert "79억 914만원" in blocks_json(call)


async def test_reminders_reach_a_slack_channel_through_the_sender(slack: Slack) -> None:
    sender = SlackSender(slack.adapter.client)
    await sender.send("C0REMIND", Reply(title="D-7 명예시민증 수여식", summary=["2021-11-19 · 국제교류담당관"]))
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0REMIND" and "명예시민증 수여식" in call.params["text"]
    assert ACTION_SHARE not in blocks_json(call)


async def test_rejected_bot_token_stops_slack_with_a_korean_line(runtime: Runtime, fake: FakeSlackApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    runtime.settings = Settings(
        **{"SLACK_BOT_TOKEN": "xoxb-wrong-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.base_url}
    )
    await asyncio.wait_for(serve_slack(runtime, http=True, port=0, host="127.0.0.1"), 5)  # returns, no traceback
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert M.SLACK_BAD_TOKEN in logged
    assert "xoxb-wrong-token" not in logged
