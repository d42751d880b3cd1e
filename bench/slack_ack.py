"""Slack timings: how fast a signed slash command is acknowledged (Slack allows 3 s) and
how long until the answer reaches the response_url, sequentially and in a burst.

Runs the real Bolt app over HTTP on 127.0.0.1 against the fake Slack API used by the
tests. Writes bench/results/slack.json.

    .venv/bin/python bench/slack_ack.py [--repeat N] [--burst N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.adapters.slack import SlackAdapter  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime import Runtime, build_store_from_corpus  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi, signed_headers, slash_command  # noqa: E402

SECRET = "bench-signing-secret"
COMMANDS = [("/budget", "뉴미디어담당관"), ("/program", "명예시민"), ("/upcoming", "90"), ("/audit", "open")]


def stats(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "min_ms": round(min(samples) * 1000, 2),
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
    }


async def run(repeat: int, burst: int) -> dict[str, object]:
    clock = FixedClock(date(2021, 9, 6))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.json", clock=clock)
        build_store_from_corpus(store, ROOT / "data" / "reports")
        rt = Runtime(settings=Settings(), store=store, clock=clock)
        fake = await FakeSlackApi().start()
        adapter = SlackAdapter(rt, token=fake.bot_token, api_url=fake.base_url, signing_secret=SECRET)
        port = await adapter.start_http("127.0.0.1", 0)
        url = f"http://127.0.0.1:{port}/slack/events"
        form = "application/x-www-form-urlencoded"
        seq = iter(range(10**9))

        async def one(session: aiohttp.ClientSession, cmd: str, text: str) -> tuple[float, float]:
            rid = f"b{next(seq)}"
            body = urlencode(slash_command(cmd, text, fake.response_url(rid)))
            t0 = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=signed_headers(SECRET, body, form)) as r:
                assert r.status == 200
            ack = time.perf_counter() - t0
            while not any(c.path.endswith("/" + rid) for c in fake.calls):
                await asyncio.sleep(0.001)
            return ack, time.perf_counter() - t0

        results: dict[str, object] = {}
        async with aiohttp.ClientSession() as session:
            await one(session, "/budget", "뉴미디어담당관")  # warm-up: auth.test, imports
            for cmd, text in COMMANDS:
                acks, answers = [], []
                for _ in range(repeat):
                    a, b = await one(session, cmd, text)
                    acks.append(a)
                    answers.append(b)
                results[f"{cmd} {text}"] = {"ack": stats(acks), "answer": stats(answers)}
            t0 = time.perf_counter()
            pairs = await asyncio.gather(*(one(session, "/budget", "뉴미디어담당관") for _ in range(burst)))
            results[f"burst of {burst} concurrent /budget"] = {
                "ack": stats([p[0] for p in pairs]),
                "answer": stats([p[1] for p in pairs]),
                "wall_ms": round((time.perf_counter() - t0) * 1000, 2),
            }
        await adapter.stop()
        await fake.stop()
        store.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--burst", type=int, default=20)
    args = ap.parse_args()
    results = asyncio.run(run(args.repeat, args.burst))
    out = {
        "what": "Slack HTTP mode: signed slash command → 200 ack, and → answer at the response_url (fake Slack on 127.0.0.1)",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }
    path = ROOT / "bench" / "results" / "slack.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
