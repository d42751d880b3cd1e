"""Telegram end to end: the real PTB polling loop (``serve_telegram``) against a fake Bot
API on 127.0.0.1. Users "type" into the fake; we read what the bot sent back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import date

import pytest

from bot import messages as M
from bot.adapters.telegram import TelegramSender, serve_telegram, webhook_secret
from bot.clock import FixedClock
from bot.config import Settings
from bot.replies import Action, Reply, ReplyKind, Section
from bot.runtime import Runtime, build_store_from_corpus
from bot.store import Store
from handlers.registry import command
from tests.conftest import REPORTS
from tests.fakes.telegram_api import FakeTelegram, SentMessage, utf16_len, visible_text

TOKEN = "987654:SECRET-token-for-tests"
ALLOWED = 1001  # a staff member's private chat
GROUP = -2002  # an allowed team group
STRANGER = 3003
ADMIN = 4004  # an admin's private chat (not on the chat list: admins are let in)
STAFF_IN_GROUP = 5005

# PTB itself reads RetryAfter.retry_after while building the exception (PTB 22.2+ deprecation).
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")

ENV_VARS = ("TELEGRAM_ALLOWED_CHATS", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "REPORTBOT_CONFIG")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("tg") / "store.json", clock=FixedClock(date(2021, 9, 6)))
    build_store_from_corpus(s, REPORTS)
    return s


def make_settings(fake: FakeTelegram, **telegram: object) -> Settings:
    tg = {"allowed_chats": [str(ALLOWED), str(GROUP)], "admin_users": [str(ADMIN)]}
    tg.update(telegram)
    return Settings(**{"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.base_url, "telegram": tg})


@pytest.fixture
def runtime(fake: FakeTelegram, store: Store, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    return Runtime(settings=make_settings(fake), store=store, clock=FixedClock(date(2021, 9, 6)))


@contextlib.asynccontextmanager
async def running(rt: Runtime, fake: FakeTelegram, **kw: object) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(serve_telegram(rt, poll_timeout=1, **kw))  # type: ignore[arg-type]
    try:
        async with asyncio.timeout(5):
            while "telegram" not in rt.senders:  # set once receiving has started
                if task.done():
                    task.result()
                    raise AssertionError("serve_telegram ended before it started")
                await asyncio.sleep(0.01)
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.fixture
async def bot(runtime: Runtime, fake: FakeTelegram) -> AsyncIterator[Runtime]:
    async with running(runtime, fake):
        yield runtime


@pytest.fixture
def extra_commands(runtime: Runtime) -> Iterator[None]:
    """Commands that exist only in these tests: a very long reply, buttons, an admin verb."""
    add_extra_commands(runtime)
    yield


def add_extra_commands(rt: Runtime) -> None:
    """The test-only commands (see ``extra_commands``) in ``rt``'s registry."""

    def long_reply(args: str, ctx: object) -> Reply:
        lines = [f"{i:03d}번 항목 <원문> & 설명 " + "가나다라마바사" * 8 for i in range(150)]
        return Reply(title="아주 긴 답", sections=[Section(heading="목록", lines=lines)])

    def pick(args: str, ctx: object) -> Reply:
        if args:
            return Reply(title=f"고른 것: {args}", summary=["선택한 항목의 내용입니다."])
        return Reply(
            kind=ReplyKind.CANDIDATES,
            title="여러 항목이 맞습니다",
            summary=["하나를 고르세요."],
            candidates=[
                Action(label="첫째 <항목>", command="/tgtestpick 첫째"),
                Action(label="아주 긴 이름의 둘째 항목", command="/tgtestpick " + "아주 긴 이름의 둘째 항목" * 3),
            ],
        )

    def secret(args: str, ctx: object) -> Reply:
        return Reply(kind=ReplyKind.DONE, title="관리자 작업 완료")

    added = {
        "tgtestlong": (long_reply, False),
        "tgtestpick": (pick, False),
        "tgtestadmin": (secret, True),
    }
    for name, (fn, admin) in added.items():
        rt.registry.add(command(name, f"테스트 명령 {name}", admin_only=admin)(fn))


async def answers(fake: FakeTelegram, chat_id: int, count: int = 1, before: int = 0) -> list[SentMessage]:
    """Wait until the chat holds ``before + count`` bot messages; the new ones."""
    msgs = await fake.wait_for(lambda: len(fake.sent_to(chat_id)) >= before + count and fake.sent_to(chat_id))
    return msgs[before:]


# -- the done-when stories ----------------------------------------------------------------


async def test_budget_lookup_from_allowed_chat_gets_the_figures_in_html(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(ALLOWED, "/budget 뉴미디어담당관")
    [msg] = await answers(fake, ALLOWED)
    assert msg.parse_mode == "HTML"
    shown = visible_text(msg.text)
    assert "뉴미디어담당관" in shown
    assert "79억 914만원" in shown  # 예산현액 7,909,143천원, the way staff read it
    assert "44.2%" in shown  # 집행률
    assert "2021" in shown  # 기준일 / source report named
    assert "<b>" in msg.text


async def test_stranger_gets_only_one_line_with_their_chat_id(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(STRANGER, "/budget 뉴미디어담당관")
    [msg] = await answers(fake, STRANGER)
    assert str(STRANGER) in msg.text
    assert "\n" not in msg.text
    assert "억" not in msg.text and msg.reply_markup is None
    # A second try within the cooldown gets nothing more; allowed chats still work.
    await fake.user_says(STRANGER, "/help")
    await fake.user_says(ALLOWED, "/help")
    await answers(fake, ALLOWED)
    assert len(fake.sent_to(STRANGER)) == 1


async def test_candidate_button_press_edits_the_message(bot: Runtime, fake: FakeTelegram, extra_commands: None):
    await fake.user_says(ALLOWED, "/tgtestpick")
    [msg] = await answers(fake, ALLOWED)
    buttons = msg.buttons()
    assert buttons[0]["text"] == "첫째 <항목>"  # button labels are plain text
    long_button = buttons[1]["callback_data"]
    assert len(long_button.encode()) <= 64 and not long_button.startswith("/")  # mapped to a key

    await fake.press(msg, buttons[0]["callback_data"])
    await fake.wait_for(lambda: msg.edits == 1)
    assert "고른 것: 첫째" in visible_text(msg.text)
    assert msg.reply_markup is None  # the choice is made: no buttons left
    assert len(fake.sent_to(ALLOWED)) == 1  # edited, not a new message
    assert fake.calls_of("answerCallbackQuery")

    await fake.user_says(ALLOWED, "/tgtestpick")
    [second] = await answers(fake, ALLOWED, before=1)
    await fake.press(second, second.buttons()[1]["callback_data"])
    await fake.wait_for(lambda: second.edits == 1)
    assert "아주 긴 이름의 둘째 항목아주 긴 이름의 둘째 항목" in visible_text(second.text)


async def test_rate_limited_message_is_waited_out_and_still_arrives(bot: Runtime, fake: FakeTelegram):
    fake.fail_next("sendMessage", retry_after=1)
    await fake.user_says(ALLOWED, "/budget 뉴미디어담당관")
    [msg] = await answers(fake, ALLOWED)
    tries = [c for c in fake.calls if c.method == "sendMessage"]
    assert [c.status for c in tries] == [429, 200]
    assert tries[1].at - tries[0].at >= 1.0  # it waited the retry_after
    assert "뉴미디어담당관" in visible_text(msg.text)


async def test_nine_thousand_character_reply_arrives_as_several_messages(
    bot: Runtime, fake: FakeTelegram, extra_commands: None
):
    await fake.user_says(ALLOWED, "/tgtestlong")
    await fake.wait_for(lambda: any("149번" in visible_text(m.text) for m in fake.sent_to(ALLOWED)))
    msgs = fake.sent_to(ALLOWED)
    total = sum(len(m.text) for m in msgs)
    assert total >= 9000
    assert len(msgs) >= 3
    assert all(len(m.text) <= 4096 and utf16_len(m.text) <= 4096 for m in msgs)
    shown = "\n".join(visible_text(m.text) for m in msgs).split("\n")
    for i in range(150):  # every line arrived whole, in order
        assert any(line.startswith(f"{i:03d}번 항목 <원문> & 설명") and line.endswith("바사") for line in shown)



async def test_ambiguous_department_offers_candidates_and_the_press_answers_in_place(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(ALLOWED, "/budget 시민")  # 시민소통담당관 and 시민봉사담당관 tie: ask, don't guess
    [msg] = await answers(fake, ALLOWED)
    labels = {b["text"]: b["callback_data"] for b in msg.buttons()}
    assert len(labels) >= 2 and "시민소통담당관" in labels
    await fake.press(msg, labels["시민소통담당관"])
    await fake.wait_for(lambda: msg.edits == 1)
    shown = visible_text(msg.text)
    assert "시민소통담당관" in shown and "예산현액" in shown
    assert len(fake.sent_to(ALLOWED)) == 1


async def test_next_page_button_turns_the_page_in_place(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(ALLOWED, "/budget 뉴미디어담당관")
    [msg] = await answers(fake, ALLOWED)
    assert "(1/2쪽)" in visible_text(msg.text)
    [next_page] = [b for b in msg.buttons() if b["text"] == M.PAGE_NEXT]
    await fake.press(msg, next_page["callback_data"])
    await fake.wait_for(lambda: msg.edits == 1)
    assert "(2/2쪽)" in visible_text(msg.text)
    assert M.PAGE_PREV in [b["text"] for b in msg.buttons()]


# -- the rest of the contract ----------------------------------------------------------------


async def test_command_menu_is_registered_with_korean_descriptions(fake: FakeTelegram, runtime: Runtime, extra_commands: None):
    async with running(runtime, fake):
        await fake.wait_for(lambda: fake.commands)
    names = [c["command"] for c in fake.commands]
    assert "tgtestpick" in names and "tgtestlong" in names
    assert "tgtestadmin" not in names  # admin verbs stay out of everyone's menu
    for spec in runtime.registry.specs():
        if spec.name == "help":
            assert "help" in names
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in c["description"]) for c in fake.commands)


async def test_admin_verb_only_for_configured_admins(bot: Runtime, fake: FakeTelegram, extra_commands: None):
    await fake.user_says(ALLOWED, "/tgtestadmin")
    [denied] = await answers(fake, ALLOWED)
    assert "관리자" in visible_text(denied.text) and "완료" not in visible_text(denied.text)
    await fake.user_says(ADMIN, "/tgtestadmin")
    [done] = await answers(fake, ADMIN)
    assert "관리자 작업 완료" in visible_text(done.text)


async def test_allowed_group_is_answered_as_a_reply_and_other_bots_commands_are_ignored(
    bot: Runtime, fake: FakeTelegram
):
    await fake.user_says(GROUP, "/help@some_other_bot", user_id=STAFF_IN_GROUP, chat_type="group")
    await fake.user_says(GROUP, "/otherbotcommand", user_id=STAFF_IN_GROUP, chat_type="group")
    await fake.user_says(GROUP, "/budget@reportbot_test_bot 뉴미디어담당관", user_id=STAFF_IN_GROUP, chat_type="group")
    [msg] = await answers(fake, GROUP)
    await asyncio.sleep(0.2)
    assert len(fake.sent_to(GROUP)) == 1
    assert "뉴미디어담당관" in visible_text(msg.text)
    call = next(c for c in fake.calls_of("sendMessage") if c.params["chat_id"] == GROUP)
    assert "reply_parameters" in call.params


async def test_private_plain_text_and_start_get_polite_guidance(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(ALLOWED, "안녕하세요 <b>")
    [hint] = await answers(fake, ALLOWED)
    assert "/" in visible_text(hint.text)
    await fake.user_says(ALLOWED, "/start")
    [start] = await answers(fake, ALLOWED, before=1)
    assert visible_text(start.text).strip()


async def test_button_under_a_message_that_can_no_longer_be_edited_answers_anew(
    bot: Runtime, fake: FakeTelegram, extra_commands: None
):
    gone = SentMessage(ALLOWED, 999_999, "<b>오래된 메시지</b>", "HTML", None)  # unknown to the fake
    await fake.press(gone, "/tgtestpick 첫째")
    [msg] = await answers(fake, ALLOWED)
    assert "고른 것: 첫째" in visible_text(msg.text)
    assert any(c.status == 400 for c in fake.calls if c.method == "editMessageText")


async def test_expired_button_is_answered_with_an_alert_not_an_error(bot: Runtime, fake: FakeTelegram):
    await fake.user_says(ALLOWED, "/help")
    [msg] = await answers(fake, ALLOWED)
    await fake.press(msg, "#0000000000000000")
    call = await fake.wait_for(lambda: fake.calls_of("answerCallbackQuery"))
    assert "만료" in call[0].params.get("text", "")
    assert msg.edits == 0


async def test_token_never_appears_in_logs(fake: FakeTelegram, runtime: Runtime, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    async with running(runtime, fake):
        await fake.user_says(ALLOWED, "/budget 뉴미디어담당관")
        await answers(fake, ALLOWED)
        logging.getLogger("httpx").warning("request to %s/bot%s/getMe failed", "http://x", TOKEN)
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert caplog.records
    assert "/getMe failed" in text
    assert "<telegram-token>" in text  # PTB's own debug line with the API URL was redacted too
    assert any(r.name.startswith("telegram") and "<telegram-token>" in r.getMessage() for r in caplog.records)
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text


async def test_reminder_sender_posts_to_an_allowed_chat_and_refuses_others(bot: Runtime, fake: FakeTelegram):
    sender = await fake.wait_for(lambda: bot.senders.get("telegram"))
    assert isinstance(sender, TelegramSender) and sender.platform == "telegram"
    await sender.send(str(GROUP), Reply(title="일정 알림 · D-1 · 서울세계도시문화축제"))
    [msg] = await answers(fake, GROUP)
    assert "D-1" in visible_text(msg.text)
    with pytest.raises(PermissionError):
        await sender.send(str(STRANGER), Reply(title="x"))
    assert fake.sent_to(STRANGER) == []


async def test_webhook_mode_checks_the_secret_token(fake: FakeTelegram, runtime: Runtime, unused_port: int):
    import aiohttp

    url = f"http://127.0.0.1:{unused_port}/tg/hook"
    runtime.settings.telegram.webhook_url = url
    runtime.settings.telegram.webhook_port = unused_port
    async with running(runtime, fake, webhook_listen="127.0.0.1"):
        assert fake.webhook["url"] == url
        assert fake.webhook["secret_token"] == webhook_secret(TOKEN)
        assert not fake.calls_of("getUpdates")
        update = {
            "update_id": 77,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": ALLOWED, "type": "private"},
                "from": {"id": ALLOWED, "is_bot": False, "first_name": "직원"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 403
            async with http.post(url, json=update) as r:
                assert r.status == 403
            await asyncio.sleep(0.2)
            assert fake.sent_to(ALLOWED) == []
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(TOKEN)}) as r:
                assert r.status == 200
        await answers(fake, ALLOWED)


async def test_refused_token_ends_the_telegram_task_with_a_korean_log(
    fake: FakeTelegram, store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    settings = Settings(**{"TELEGRAM_BOT_TOKEN": "111:wrong", "TELEGRAM_API_URL": fake.base_url})
    rt = Runtime(settings=settings, store=store, clock=FixedClock(date(2021, 9, 6)))
    await asyncio.wait_for(serve_telegram(rt, poll_timeout=1), 5)
    assert "토큰" in caplog.text and "111:wrong" not in caplog.text
    assert "telegram" not in rt.senders



async def test_api_outage_at_start_is_retried_until_the_bot_is_up(fake: FakeTelegram, runtime: Runtime):
    fake.break_next("getMe", times=2)
    task = asyncio.create_task(serve_telegram(runtime, poll_timeout=1, retry_delays=(0.05,)))
    try:
        await fake.polling()
        assert [c.status for c in fake.calls if c.method == "getMe"] == [502, 502, 200]
        await fake.user_says(ALLOWED, "/help")
        await answers(fake, ALLOWED)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

