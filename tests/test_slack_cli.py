"""`reportbot run --platform slack --http --port N` as an operator starts it: a real
process, configured only through the environment, answering signed requests and talking
to a fake Slack Web API given by SLACK_API_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.clock import FixedClock
from bot.runtime import build_store_from_corpus
from bot.store import Store
from tests.conftest import REPORTS
from tests.fakes.slack_api import FakeSlackApi, signed_headers, slash_command

SECRET = "cli-signing-secret-fedcba9876543210"
REPORTBOT = Path(sys.executable).with_name("reportbot")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_listening(port: int, proc: asyncio.subprocess.Process, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.returncode is not None:
            raise AssertionError("reportbot exited before listening")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError("reportbot did not start listening")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    store = Store(path, clock=FixedClock(date(2021, 9, 6)))
    build_store_from_corpus(store, REPORTS)
    store.close()
    return path


async def test_reportbot_run_slack_http_answers_real_signed_requests(tmp_path: Path, store_path: Path) -> None:
    fake = await FakeSlackApi().start()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPORTBOT_"))}
    env.update(
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        REPORTBOT_DB=str(store_path),
    )
    proc = await asyncio.create_subprocess_exec(
        str(REPORTBOT), "run", "--platform", "slack", "--http", "--port", str(port),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await _wait_listening(port, proc)
        url = f"http://127.0.0.1:{port}/slack/events"
        body = urlencode(slash_command("/budget", "뉴미디어담당관", fake.response_url("cli")))
        form = "application/x-www-form-urlencoded"
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=body.encode(), headers=signed_headers(SECRET, body, form)) as r:
                assert r.status == 200
            (call,) = await fake.wait_for("response_url", timeout=10)
            assert "79억 914만원" in str(call.params["blocks"])
            async with session.post(url, data=body.encode(), headers=signed_headers("wrong", body, form)) as r:
                assert r.status == 401
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 15)
        await fake.stop()
    assert proc.returncode == 0, err.decode(errors="replace")
    logged = out.decode(errors="replace") + err.decode(errors="replace")
    assert f":{port}/slack/events" in logged  # the operator is told where it listens
    assert fake.bot_token not in logged and SECRET not in logged


async def test_reportbot_run_slack_without_tokens_explains_in_korean(tmp_path: Path, store_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPORTBOT_"))}
    env["REPORTBOT_DB"] = str(store_path)
    proc = await asyncio.create_subprocess_exec(
        str(REPORTBOT), "run", "--platform", "slack", "--http", "--port", str(_free_port()),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    text = out.decode() + err.decode()
    assert "SLACK_BOT_TOKEN" in text and "Traceback" not in text
