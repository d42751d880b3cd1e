"""Telegram as its users know it (issue 15), end to end through the real PTB polling loop
and the fake Bot API: deep links, long buttons that survive a restart, the menu's order."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot import messages as M
from bot.adapters.telegram_links import decode_start_payload, deep_link, start_payload
from bot.clock import SEOUL, FixedClock
from bot.runtime import Runtime
from bot.store import BUTTON_DAYS, Store
from tests.fakes.telegram_api import FakeTelegram
from tests.test_telegram_bot import (  # noqa: F401 (fixtures)
    ALLOWED,
    GROUP,
    TOKEN,
    add_extra_commands,
    answers,
    bot,
    make_settings,
    running,
    runtime,
    store,
)

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")


def test_a_deep_link_payload_is_base64url_of_the_command_and_reads_back() -> None:
    payload = start_payload("/budget 뉴미디어담당관")
    assert payload is not None and len(payload) <= 64 and set(payload) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    assert decode_start_payload(payload) == "/budget 뉴미디어담당관"
    assert deep_link("reportbot_test_bot", "/audit open") == "https://t.me/reportbot_test_bot?start=" + start_payload("/audit open")  # type: ignore[operator]
    assert start_payload("/program " + "가" * 40) is None  # over Telegram's 64 characters
    assert decode_start_payload("not base64!") is None and decode_start_payload("_w") is None


async def test_start_with_a_deep_link_payload_runs_the_command_it_encodes(bot: Runtime, fake: FakeTelegram) -> None:
    await fake.user_says(ALLOWED, "/start " + start_payload("/budget 뉴미디어담당관"))  # type: ignore[operator]
    (msg,) = await answers(fake, ALLOWED)
    assert "뉴미디어담당관" in msg.text and "79억 914만원" in msg.text


async def test_start_with_a_broken_payload_says_so_and_plain_start_introduces_the_bot(bot: Runtime, fake: FakeTelegram) -> None:
    await fake.user_says(ALLOWED, "/start %%%")
    (msg,) = await answers(fake, ALLOWED)
    assert M.TELEGRAM_BAD_START.split(".")[0] in msg.text
    await fake.user_says(ALLOWED, "/start")
    (hello,) = await answers(fake, ALLOWED, before=1)
    assert "/budget" in hello.text


async def test_a_long_button_still_works_after_a_restart(fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("TELEGRAM_ALLOWED_CHATS", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "REPORTBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "store.json"
    clock = FixedClock(date(2021, 9, 6))
    first = Runtime(settings=make_settings(fake), store=Store(path, clock=clock), clock=clock)
    add_extra_commands(first)
    async with running(first, fake):
        await fake.user_says(ALLOWED, "/tgtestpick")
        (msg,) = await answers(fake, ALLOWED)
    first.store.close()
    long_button = msg.buttons()[1]["callback_data"]
    assert not long_button.startswith("/")  # a key: the command is over 64 bytes

    # a new process: a fresh Application and a fresh store object on the same file
    second = Runtime(settings=make_settings(fake), store=Store(path, clock=clock), clock=clock)
    add_extra_commands(second)
    async with running(second, fake):
        await fake.press(msg, long_button)
        await fake.wait_for(lambda: fake.sent_to(ALLOWED)[0].edits >= 1)
    assert "고른 것: " + "아주 긴 이름의 둘째 항목" * 3 in fake.sent_to(ALLOWED)[0].text
    assert not [c for c in fake.calls_of("answerCallbackQuery") if c.params.get("text") == M.TELEGRAM_BUTTON_EXPIRED]


def test_a_stored_button_expires_after_30_days(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2021, 9, 6, 9, tzinfo=SEOUL))
    store = Store(tmp_path / "store.json", clock=clock)
    store.remember_button("#abc", "/program 명예시민")
    clock._now += timedelta(days=BUTTON_DAYS - 1)
    assert store.button_command("#abc") == "/program 명예시민"
    clock._now += timedelta(days=2)
    assert store.button_command("#abc") is None


async def test_the_command_menu_lists_what_people_use_most_first(fake: FakeTelegram, runtime: Runtime) -> None:
    async with running(runtime, fake):
        await fake.wait_for(lambda: fake.commands)
    names = [c["command"] for c in fake.commands]
    assert names[:5] == ["budget", "program", "audit", "upcoming", "help"]
    assert names.index("subscribe") > 4
