"""Free text and charts on the platforms, end to end: the real PTB polling loop against
the fake Telegram Bot API, and signed Slack events through the Bolt app against the fake
Slack Web API (file uploads included)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.adapters.telegram import serve_telegram
from bot.clock import FixedClock
from bot.config import Settings
from bot.runtime import Runtime, build_store_from_corpus
from bot.store import Store, copy_store
from tests.conftest import REPORTS
from tests.fakes.telegram_api import FakeTelegram, visible_text

TOKEN = "987654:SECRET-token-for-tests"
PRIVATE = 1001
GROUP = -2002

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("tgq") / "store.json", clock=FixedClock(date(2021, 9, 6)))
    build_store_from_corpus(s, REPORTS)
    return s


@pytest.fixture
def runtime(fake: FakeTelegram, store: Store, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    for var in ("TELEGRAM_ALLOWED_CHATS", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "REPORTBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    settings = Settings(**{"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.base_url, "telegram": {"allowed_chats": [str(PRIVATE), str(GROUP)]}})
    return Runtime(settings=settings, store=store, clock=FixedClock(date(2021, 9, 6)))


@contextlib.asynccontextmanager
async def running(rt: Runtime) -> AsyncIterator[None]:
    task = asyncio.create_task(serve_telegram(rt, poll_timeout=1))
    try:
        async with asyncio.timeout(5):
            while "telegram" not in rt.senders:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def texts(fake: FakeTelegram, chat: int) -> str:
    return "\n".join(visible_text(m.text) for m in fake.sent_to(chat))


async def test_a_private_chat_question_in_plain_korean_is_answered(fake: FakeTelegram, runtime: Runtime) -> None:
    async with running(runtime):
        await fake.user_says(PRIVATE, "뉴미디어담당관 예산 알려줘")
        await fake.wait_for(lambda: fake.sent_to(PRIVATE))
    text = texts(fake, PRIVATE)
    assert "뉴미디어담당관 예산 (2021)" in text and "79억 914만원" in text
    assert "명령은 /로 시작합니다" not in text


async def test_a_group_mention_is_answered_as_a_reply_with_its_chart(fake: FakeTelegram, runtime: Runtime) -> None:
    async with running(runtime):
        await fake.user_says(GROUP, "@reportbot_test_bot 2018년이랑 2021년 뉴미디어 예산 비교", user_id=77, chat_type="group")
        await fake.wait_for(lambda: fake.sent_to(GROUP) and getattr(fake, "photos", None))
    text = texts(fake, GROUP)
    assert "뉴미디어담당관 예산 비교 (2018, 2021)" in text
    assert "58억 4,265만원" in text and "79억 914만원" in text
    assert "6,265만원" not in text  # the unrelated table's '2018년' row
    chat_id, png, caption = fake.photos[0]
    assert int(chat_id) == GROUP and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert "뉴미디어담당관" in caption
    send = next(c for c in fake.calls_of("sendMessage") if int(c.params["chat_id"]) == GROUP)
    assert send.params.get("reply_parameters"), "a group answer replies to the asker"


async def test_a_group_message_that_mentions_someone_else_is_ignored(fake: FakeTelegram, runtime: Runtime) -> None:
    async with running(runtime):
        await fake.user_says(GROUP, "@someone_else 예산 봐줘", user_id=77, chat_type="group")
        await fake.user_says(GROUP, "/help", user_id=77, chat_type="group")
        await fake.wait_for(lambda: fake.sent_to(GROUP))
        await asyncio.sleep(0.2)
    replied_to = {c.params.get("reply_parameters", {}).get("message_id") for c in fake.calls_of("sendMessage")}
    assert len(replied_to) == 1, "only the /help command was answered, not the message for someone else"
    assert all("찾을 수 없습니다" not in visible_text(m.text) for m in fake.sent_to(GROUP))


# -- Slack: signed events through the Bolt app, the fake Web API receives the upload ------
import json  # noqa: E402
from pathlib import Path  # noqa: E402

import aiohttp  # noqa: E402

from bot.adapters.slack import SlackAdapter  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi, mention_event, signed_headers  # noqa: E402

SLACK_SECRET = "slack-signing-secret-for-questions"


@pytest.fixture
async def slack_bot(corpus_store_file: Path, tmp_path: Path) -> AsyncIterator[tuple[str, FakeSlackApi, aiohttp.ClientSession]]:
    path = tmp_path / "store.json"
    copy_store(corpus_store_file, path)
    clock = FixedClock(date(2021, 9, 6))
    rt = Runtime(settings=Settings(), store=Store(path, clock=clock), clock=clock)
    api = await FakeSlackApi().start()
    adapter = SlackAdapter(rt, token=api.bot_token, api_url=api.base_url, signing_secret=SLACK_SECRET)
    port = await adapter.start_http("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        yield f"http://127.0.0.1:{port}/slack/events", api, session
    await adapter.stop()
    await api.stop()


async def _event(url: str, session: aiohttp.ClientSession, payload: dict) -> int:
    body = json.dumps(payload)
    async with session.post(url, data=body.encode(), headers=signed_headers(SLACK_SECRET, body, "application/json")) as r:
        return r.status


async def test_a_slack_mention_comparison_arrives_with_its_chart_uploaded(slack_bot) -> None:
    url, api, session = slack_bot
    assert await _event(url, session, mention_event("<@UBOT0001> 2018년이랑 2021년 뉴미디어 예산 비교", event_id="EvQ1")) == 200
    await api.wait_for("files.completeUploadExternal", timeout=10)
    posted = json.dumps([c.params for c in api.calls_to("chat.postMessage")], ensure_ascii=False)
    assert "뉴미디어담당관 예산 비교" in posted and "58억 4,265만원" in posted and "6,265만원" not in posted
    assert api.shared_files and api.shared_files[0]["channel_id"] == "C0CHAN01"
    png = api.uploads[api.shared_files[0]["id"]]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


async def test_a_slack_direct_message_is_read_as_a_question(slack_bot) -> None:
    url, api, session = slack_bot
    event = mention_event("서울세계도시문화축제 언제야?", event_id="EvQ2", channel_id="D0DM0001")
    event["event"]["type"] = "message"
    event["event"]["channel_type"] = "im"
    assert await _event(url, session, event) == 200
    calls = await api.wait_for("chat.postMessage", timeout=10)
    text = json.dumps([c.params for c in calls], ensure_ascii=False)
    assert "2021.10.1.(금) ~ 10.10.(일)" in text and "서울세계도시문화축제" in text
