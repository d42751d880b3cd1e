"""Slack under load: a burst of signed slash commands into the real HTTP endpoint, every
one acknowledged and answered exactly once at its own response_url. (Timings are measured
by bench/slack_load.py, not asserted here.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from urllib.parse import urlencode

from tests.fakes.slack_api import signed_headers, slash_command
from tests.test_slack_http import SECRET, Slack, corpus_store, fake, runtime, slack  # noqa: F401  (fixtures)

BURST = 200
COMMANDS = [("/budget", "뉴미디어담당관"), ("/program", "명예시민"), ("/upcoming", "90"), ("/audit", "open")]


async def test_two_hundred_concurrent_slash_commands_are_each_answered_once(slack: Slack) -> None:
    async def one(i: int) -> int:
        cmd, text = COMMANDS[i % len(COMMANDS)]
        body = urlencode(slash_command(cmd, text, slack.fake.response_url(f"load{i}"), user_id=f"U{i:06d}"))
        async with slack.session.post(slack.url, data=body.encode(), headers=signed_headers(SECRET, body, "application/x-www-form-urlencoded")) as r:
            return r.status

    statuses = await asyncio.gather(*(one(i) for i in range(BURST)))
    assert statuses == [200] * BURST
    await slack.fake.wait_for("response_url", count=BURST, timeout=120)
    await slack.fake.settle(0.5)
    answered = Counter(c.path.rsplit("/", 1)[-1] for c in slack.fake.calls_to("response_url"))
    assert set(answered) == {f"load{i}" for i in range(BURST)}
    assert [rid for rid, n in answered.items() if n != 1] == []
