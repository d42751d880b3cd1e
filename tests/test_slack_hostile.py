"""The Slack endpoint under hostile requests: what anyone on the internet can send to
``/slack/events`` — unsigned floods, forged log lines, broken timestamps and bodies,
replays — refused briefly, logged as one short line, never run twice."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bot import logs
from tests.fakes.slack_api import sign_bytes, slash_command
from tests.test_slack_http import SECRET, Slack, corpus_store, fake, runtime, slack  # noqa: F401  (fixtures)

FORM = "application/x-www-form-urlencoded"
FORGED = "2021-09-06T09:00:00+09:00 ERROR bot.store [-] 저장소가 손상되었습니다"


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Put the root logger and the libraries' levels back after a test configures them."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    libs = {name: logging.getLogger(name).level for name in logs.CHATTY_LIBRARIES}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, lib_level in libs.items():
        logging.getLogger(name).setLevel(lib_level)


async def raw_post(slack: Slack, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with slack.session.post(slack.url, data=body, headers=headers) as r:
        return r.status, await r.text()


def signed(body: bytes, content_type: str, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp if timestamp is not None else str(int(time.time()))
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign_bytes(SECRET, ts, body)}


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


async def test_an_unsigned_megabyte_post_is_refused_without_its_body_reaching_the_log(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # even at DEBUG the body is not written
    body = ("payload=" + ("A" * 1000 + "\n" + FORGED + "\n") * 1000).encode()[: 1024 * 1024 - 100].decode("utf-8", "ignore").encode()
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    status, _ = await raw_post(slack, body, headers)
    assert status == 401
    text = logged_text(caplog)
    assert len(text) < 2_000
    assert "저장소가 손상" not in text and "AAAA" not in text
    assert slack.fake.posted() == []


async def test_a_body_over_a_megabyte_is_refused_before_it_is_read(slack: Slack) -> None:
    status, _ = await raw_post(slack, b"x" * (1024 * 1024 + 1), signed(b"x", FORM))
    assert status == 413


@pytest.mark.parametrize(
    "case",
    ["non-numeric timestamp", "missing timestamp", "float timestamp", "broken JSON", "JSON that is a list", "form payload not JSON", "not UTF-8"],
)
async def test_a_malformed_request_gets_400_and_no_traceback(slack: Slack, caplog: pytest.LogCaptureFixture, case: str) -> None:
    caplog.set_level(logging.DEBUG)
    good = urlencode(slash_command("/budget", "뉴미디어담당관", slack.fake.response_url())).encode()
    body, headers = {
        "non-numeric timestamp": (good, signed(good, FORM, timestamp="abc")),
        "missing timestamp": (good, {"Content-Type": FORM, "X-Slack-Signature": sign_bytes(SECRET, "", good)}),
        "float timestamp": (good, signed(good, FORM, timestamp=f"{time.time():.3f}")),
        "broken JSON": (b'{"type": "event_callback", ', signed(b'{"type": "event_callback", ', "application/json")),
        "JSON that is a list": (b"[1, 2]", signed(b"[1, 2]", "application/json")),
        "form payload not JSON": (b"payload=%7Bnot-json", signed(b"payload=%7Bnot-json", FORM)),
        "not UTF-8": (b"command=%2Fbudget&text=\xff\xfe", signed(b"command=%2Fbudget&text=\xff\xfe", FORM)),
    }[case]
    status, _ = await raw_post(slack, body, headers)
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    await slack.fake.settle(0.1)
    assert slack.fake.posted() == []


async def test_a_signed_slash_command_replayed_within_five_minutes_runs_once(slack: Slack) -> None:
    body = urlencode(slash_command("/budget", "뉴미디어담당관", slack.fake.response_url("once"))).encode()
    headers = signed(body, FORM)
    first = await raw_post(slack, body, headers)
    replays = await asyncio.gather(*(raw_post(slack, body, headers) for _ in range(5)))
    assert first[0] == 200 and all(status == 200 for status, _ in replays)
    await slack.fake.wait_for("response_url")
    await slack.fake.settle(0.3)
    assert len(slack.fake.calls_to("response_url")) == 1
    # the same command typed again is a new request (new timestamp, new signature): it runs
    later = urlencode(slash_command("/budget", "뉴미디어담당관", slack.fake.response_url("again"))).encode()
    assert (await raw_post(slack, later, signed(later, FORM)))[0] == 200
    await slack.fake.wait_for("response_url", count=2)


def test_slack_libraries_log_at_warning_unless_debugging(root_logging: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(logs.ENV_DEBUG, raising=False)
    logs.configure(stream=io.StringIO())
    assert logging.getLogger("slack_bolt").level == logging.WARNING
    assert logging.getLogger("slack_sdk").level == logging.WARNING
    assert not logging.getLogger("slack_bolt.RequestVerification").isEnabledFor(logging.INFO)
    monkeypatch.setenv(logs.ENV_DEBUG, "1")
    logs.configure(stream=io.StringIO())
    assert logging.getLogger("slack_bolt").isEnabledFor(logging.DEBUG)


def test_a_newline_in_a_logged_value_cannot_forge_a_log_line(root_logging: None) -> None:
    out = io.StringIO()
    logs.configure(stream=out, json_lines=False, debug=False)
    logging.getLogger("bot.test").warning("user typed %s", "x\n" + FORGED + "\r\n" + "y" * 5000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert FORGED in lines[0] and not lines[0].startswith(FORGED)
    assert len(lines[0]) < logs.MAX_MESSAGE + 200 and "(+" in lines[0]


async def test_json_log_lines_carry_the_request_id_of_the_request_they_belong_to(
    slack: Slack, root_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    monkeypatch.setenv(logs.ENV_JSON, "1")
    logs.configure(stream=out)
    bad = b"command=%2Fbudget"
    await raw_post(slack, bad, signed(bad, FORM, timestamp="soon"))
    await raw_post(slack, bad, {**signed(bad, FORM), "X-Slack-Signature": "v0=00"})
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    refusals = [r for r in records if r["msg"].startswith("Slack request refused")]
    assert len(refusals) == 2
    ids = {r["request_id"] for r in refusals}
    assert len(ids) == 2 and "-" not in ids  # one id per request
    assert {"ts", "level", "logger", "request_id", "msg"} <= set(refusals[0])
