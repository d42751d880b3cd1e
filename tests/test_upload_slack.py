"""An admin shares a report file with the Slack bot (a DM, or a mention): the bot
downloads it from url_private with its token, answers with a preview and 저장/취소
buttons, and only 저장 stores it. Signed HTTP requests into the Bolt app, the fake Slack
Web API serving the file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack import SlackAdapter
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX
from bot.clock import FixedClock
from bot.config import Settings
from bot.ingest import parse_file
from bot.runtime import Runtime
from bot.store import Store
from tests.fakes.slack_api import FakeSlackApi, file_share_event, mention_event
from tests.report_files import SAMPLE, hwpx_bytes, sample_lines
from tests.test_slack_http import SECRET, Slack, blocks_json, buttons

ADMIN = "UADMIN01"
STAFF = "U0USER01"
AS_OF = FixedClock(date(2021, 9, 6))
OLD_ROW = "뉴미디어담당관\t7,909,143\t6,094,850\t3,498,848\t44.2%"
NEW_ROW = "뉴미디어담당관\t7,909,143\t6,094,850\t4,000,000\t50.6%"


@pytest.fixture(scope="module")
def corrected_hwpx() -> bytes:
    return hwpx_bytes([NEW_ROW if line == OLD_ROW else line for line in sample_lines()])


@pytest.fixture(scope="module")
def parsed_sample():
    return parse_file(SAMPLE)


@pytest.fixture
def runtime(tmp_path: Path, parsed_sample) -> Runtime:
    store = Store(tmp_path / "store.json", clock=AS_OF)
    store.ingest(parsed_sample)
    settings = Settings(
        slack={"admin_users": [ADMIN]},
        upload={"spool_dir": str(tmp_path / "uploads"), "max_upload_mb": 1},
    )
    return Runtime(settings=settings, store=store, clock=AS_OF)


@pytest.fixture
async def slack(runtime: Runtime) -> AsyncIterator[Slack]:
    fake = await FakeSlackApi().start()
    adapter = SlackAdapter(runtime, token=fake.bot_token, api_url=fake.base_url, signing_secret=SECRET)
    port = await adapter.start_http("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        yield Slack(adapter, f"http://127.0.0.1:{port}/slack/events", fake, session)
    await adapter.stop()
    await fake.stop()


def _button_value(call: Any, label: str) -> tuple[str, str]:
    b = next(b for b in buttons(call) if b["text"]["text"] == label)
    return b["action_id"], b["value"]


def _newmedia_rate(rt: Runtime) -> set[float]:
    """The 집행률 of the department's own row (its programs have rows of their own)."""
    return {b.values.get("집행률") for b in rt.store.budget_lines_for_dept("뉴미디어담당관") if b.name == "뉴미디어담당관"}


async def test_admin_shares_an_hwpx_in_a_dm_previews_it_and_saves_it(slack: Slack, runtime: Runtime, corrected_hwpx) -> None:
    f = slack.fake.user_file("시민소통기획관_주요업무보고.hwpx", corrected_hwpx)
    status, _ = await slack.event(file_share_event([f], "EvUp1", user_id=ADMIN))
    assert status == 200
    (call,) = await slack.fake.wait_for("chat.postMessage", timeout=15)
    text = blocks_json(call)
    assert "보고서 미리보기: 시민소통기획관_주요업무보고.hwpx" in text
    assert "예산 행: 바뀜 1, 추가 0, 빠짐 0" in text
    assert slack.fake.downloads == [(f["id"], f"Bearer {slack.fake.bot_token}")]
    assert 44.2 in _newmedia_rate(runtime)

    action_id, value = _button_value(call, "저장")
    assert action_id.startswith(ACTION_RUN_PREFIX) and value.startswith("/upload save ")
    await slack.click(action_id, value, user_id=ADMIN, channel_id="D0DM0001", ephemeral=False)
    (done,) = await slack.fake.wait_for("response_url", timeout=15)
    assert "저장했습니다" in json.dumps(done.params, ensure_ascii=False)
    assert 50.6 in _newmedia_rate(runtime) and 44.2 not in _newmedia_rate(runtime)

    await slack.slash("/budget", "뉴미디어담당관", rid="r9")
    answers = await slack.fake.wait_for("response_url", count=2)
    assert "50.6%" in json.dumps(answers[-1].params, ensure_ascii=False)


async def test_a_file_shared_with_a_mention_is_previewed_and_cancel_stores_nothing(slack: Slack, runtime: Runtime, corrected_hwpx) -> None:
    f = slack.fake.user_file("보고.hwpx", corrected_hwpx)
    mention = mention_event("<@UBOT0001> 새 판입니다", "EvUp2", user_id=ADMIN)
    mention["event"]["files"] = [f]  # a file shared in a channel with a mention
    await slack.event(mention)
    posts = await slack.fake.wait_for("chat.postMessage", timeout=15)
    preview = next(c for c in posts if "보고서 미리보기" in blocks_json(c))
    action_id, value = _button_value(preview, "취소")
    await slack.click(action_id, value, user_id=ADMIN, ephemeral=False)
    (done,) = await slack.fake.wait_for("response_url", timeout=15)
    assert "취소했습니다" in json.dumps(done.params, ensure_ascii=False)
    assert 44.2 in _newmedia_rate(runtime)


async def test_a_non_admin_gets_a_refusal_and_the_file_is_not_downloaded(slack: Slack, runtime: Runtime, corrected_hwpx) -> None:
    f = slack.fake.user_file("보고.hwpx", corrected_hwpx)
    await slack.event(file_share_event([f], "EvUp4", user_id=STAFF))
    (call,) = await slack.fake.wait_for("chat.postMessage", timeout=15)
    assert "관리자만" in blocks_json(call) and not buttons(call)
    assert slack.fake.downloads == []


@pytest.mark.parametrize(
    ("name", "data", "size", "expect"),
    [
        ("큰보고.pdf", b"%PDF-1.4", 5 * 1024 * 1024, "너무 큽니다"),
        ("표.xlsx", b"PK\x03\x04", None, "읽을 수 없는 종류"),
        ("깨진.pdf", b"%PDF-1.4\nnot really a pdf", None, "손상"),
    ],
)
async def test_too_large_wrong_type_and_corrupt_files_store_nothing(slack: Slack, runtime: Runtime, name, data, size, expect) -> None:
    before = [r.id for r in runtime.store.reports()]
    f = slack.fake.user_file(name, data, size=size)
    await slack.event(file_share_event([f], f"EvUp-{name}", user_id=ADMIN))
    (call,) = await slack.fake.wait_for("chat.postMessage", timeout=15)
    assert expect in blocks_json(call) and "저장하지 않았습니다" in blocks_json(call)
    assert not buttons(call)
    assert [r.id for r in runtime.store.reports()] == before
