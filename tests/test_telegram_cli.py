"""`reportbot run --platform telegram` as an operator starts it: a real process, the token
and API URL from the environment, the allow-list from the environment or the config,
talking to a fake Bot API that the test runs on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.store import copy_store
from tests.fakes.telegram_api import FakeTelegram, visible_text

TOKEN = "424242:CLI-secret-token"
STAFF = 1001
STRANGER = 3003
REPORTBOT = Path(sys.executable).with_name("reportbot")


@pytest.fixture(scope="module")
def built_store(corpus_store_file: Path) -> Path:
    """The corpus parsed once; each test gets a copy (the bot may write to its store)."""
    return corpus_store_file


def bot_env(fake: FakeTelegram, tmp_path: Path, store: Path, **extra: str) -> dict[str, str]:
    copy_store(store, tmp_path / "store.json")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "REPORTBOT_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=fake.base_url,
        REPORTBOT_DB=str(tmp_path / "store.json"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


async def run_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    assert REPORTBOT.exists(), "the reportbot console script is installed next to the interpreter"
    return await asyncio.create_subprocess_exec(
        str(REPORTBOT), "run", "--platform", "telegram", "--as-of", "2021-09-06",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def stop_bot(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 10)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
    return proc.returncode or 0, (out + err).decode("utf-8", "replace")


async def converse(fake: FakeTelegram, proc: asyncio.subprocess.Process) -> None:
    """Staff get answers; a stranger gets only the access line."""
    await fake.wait_for(lambda: [c for c in fake.calls if c.method == "getUpdates"] or proc.returncode is not None, 30)
    assert proc.returncode is None, "the bot exited before polling"
    await fake.user_says(STAFF, "/help")
    staff = await fake.wait_for(lambda: fake.sent_to(STAFF), 10)
    assert staff[0].parse_mode == "HTML" and visible_text(staff[0].text).strip()
    await fake.user_says(STRANGER, "/help")
    [stranger] = await fake.wait_for(lambda: fake.sent_to(STRANGER), 10)
    assert str(STRANGER) in stranger.text and "\n" not in stranger.text
    assert fake.calls_of("setMyCommands"), "the command menu was registered"


async def test_reportbot_run_telegram_with_allow_list_from_the_environment(fake: FakeTelegram, tmp_path: Path, built_store: Path):
    proc = await run_bot(bot_env(fake, tmp_path, built_store, TELEGRAM_ALLOWED_CHATS=f"{STAFF}, 777"))
    try:
        await converse(fake, proc)
    finally:
        code, output = await stop_bot(proc)
    assert code == 0, output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "텔레그램 봇 @reportbot_test_bot 시작" in output


async def test_reportbot_run_telegram_with_allow_list_from_the_config(fake: FakeTelegram, tmp_path: Path, built_store: Path):
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\nallowed_chats = ["{STAFF}"]\n', encoding="utf-8")
    proc = await run_bot(bot_env(fake, tmp_path, built_store, REPORTBOT_CONFIG=str(config)))
    try:
        await converse(fake, proc)
    finally:
        code, output = await stop_bot(proc)
    assert code == 0, output
    assert TOKEN not in output


async def test_slack_and_telegram_run_in_one_process(fake: FakeTelegram, tmp_path: Path, built_store: Path):
    import socket
    from urllib.parse import urlencode

    import aiohttp

    from tests.fakes.slack_api import FakeSlackApi, signed_headers, slash_command

    slack = await FakeSlackApi().start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = bot_env(
        fake, tmp_path, built_store, TELEGRAM_ALLOWED_CHATS=str(STAFF),
        SLACK_BOT_TOKEN=slack.bot_token, SLACK_SIGNING_SECRET="both-secret", SLACK_API_URL=slack.base_url,
    )  # fmt: skip
    proc = await asyncio.create_subprocess_exec(
        str(REPORTBOT), "run", "--platform", "slack,telegram", "--http", "--port", str(port), "--as-of", "2021-09-06",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await converse(fake, proc)  # Telegram answers …
        body = urlencode(slash_command("/budget", "뉴미디어담당관", slack.response_url("both")))
        form = "application/x-www-form-urlencoded"
        url = f"http://127.0.0.1:{port}/slack/events"
        headers = signed_headers("both-secret", body, form)
        async with aiohttp.ClientSession() as http, http.post(url, data=body.encode(), headers=headers) as r:  # … and so does Slack
            assert r.status == 200
        (call,) = await slack.wait_for("response_url", timeout=10)
        assert "뉴미디어담당관" in str(call.params)
    finally:
        code, output = await stop_bot(proc)
        await slack.stop()
    assert code == 0, output
    assert TOKEN not in output and slack.bot_token not in output
