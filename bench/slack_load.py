"""Slack under load: N concurrent signed slash commands into the HTTP endpoint (the real Bolt
app served by aiohttp on 127.0.0.1, answers to the fake Slack API's response_urls). Reports
how fast each was acknowledged (Slack allows 3 s), how long until all were answered, and
whether every one was answered exactly once. A replay of every request is sent too: it must
be acknowledged and never run. Writes bench/results/slack_load.json.

    .venv/bin/python bench/slack_load.py [--burst 200 --burst 1000] [--scale 1000 | --db STORE]

``--scale N`` answers from the bench's N× store (``reportbot bench`` builds and caches it
under data/bench-cache/), ``--db`` from a store file; the default is a fresh store of the
five samples.
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
from collections import Counter
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
FORM = "application/x-www-form-urlencoded"
ACK_LIMIT_S = 3.0


def _ms(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "min_ms": round(s[0] * 1000, 1),
        "median_ms": round(statistics.median(s) * 1000, 1),
        "p95_ms": round(s[int(len(s) * 0.95) - 1] * 1000, 1),
        "max_ms": round(s[-1] * 1000, 1),
    }


async def burst(n: int, tag: str, url: str, fake: FakeSlackApi, session: aiohttp.ClientSession) -> dict[str, object]:
    bodies = []
    for i in range(n):
        cmd, text = COMMANDS[i % len(COMMANDS)]
        body = urlencode(slash_command(cmd, text, fake.response_url(f"{tag}{i}"), user_id=f"U{i:06d}"))
        bodies.append((body, signed_headers(SECRET, body, FORM)))

    async def post(body: str, headers: dict[str, str]) -> tuple[int, float]:
        t0 = time.perf_counter()
        async with session.post(url, data=body.encode(), headers=headers) as r:
            await r.read()
            return r.status, time.perf_counter() - t0

    before = len(fake.calls)
    t0 = time.perf_counter()
    results = await asyncio.gather(*(post(b, h) for b, h in bodies))
    acked_all = time.perf_counter() - t0
    wanted = {f"{tag}{i}" for i in range(n)}
    while True:
        got = {c.path.rsplit("/", 1)[-1] for c in fake.calls[before:] if c.method == "response_url"}
        if wanted <= got or time.perf_counter() - t0 > 600:
            break
        await asyncio.sleep(0.01)
    answered_all = time.perf_counter() - t0
    # replay every request (same body, same signature): acknowledged, never run again
    replays = await asyncio.gather(*(post(b, h) for b, h in bodies))
    await fake.settle(1.0)
    # a long answer leaves in several messages ("이어서 2/8"): counted once; the same message twice is a repeat
    posted = Counter((c.path.rsplit("/", 1)[-1], str(c.params.get("text"))) for c in fake.calls[before:] if c.method == "response_url")
    counts: Counter[str] = Counter()
    for (rid, _text), times in posted.items():
        counts[rid] = max(counts[rid], times)
    acks = [t for _, t in results]
    return {
        "requests": n,
        "status_200": sum(1 for s, _ in results if s == 200),
        "acked_under_3s": sum(1 for t in acks if t < ACK_LIMIT_S),
        "ack": _ms(acks),
        "all_acked_s": round(acked_all, 2),
        "all_answered_s": round(answered_all, 2),
        "answered_once": sum(1 for rid in wanted if counts.get(rid) == 1),
        "answered_twice_or_more": sum(1 for rid in wanted if counts.get(rid, 0) > 1),
        "not_answered": sum(1 for rid in wanted if rid not in counts),
        "replays_acked_200": sum(1 for s, _ in replays if s == 200),
    }


async def run(sizes: list[int], db: Path | None = None) -> dict[str, object]:
    clock = FixedClock(date(2021, 9, 6))
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if db is None:
            store = Store(Path(tmp) / "store.json", clock=clock)
            build_store_from_corpus(store, ROOT / "data" / "reports")
        else:
            t_open = time.perf_counter()
            store = Store(db, clock=clock)
            store.check(records=False)  # as the bot starts: the catalogue only
            out["store"] = {"path": str(db), "reports": len(store.reports()), "open_s": round(time.perf_counter() - t_open, 2)}
        rt = Runtime(settings=Settings(), store=store, clock=clock)
        fake = await FakeSlackApi().start()
        adapter = SlackAdapter(rt, token=fake.bot_token, api_url=fake.base_url, signing_secret=SECRET)
        port = await adapter.start_http("127.0.0.1", 0)
        url = f"http://127.0.0.1:{port}/slack/events"
        connector = aiohttp.TCPConnector(limit=0)  # as many connections as requests, like Slack's fleet
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=900)) as session:
            await burst(1, "warm", url, fake, session)  # auth.test, imports
            for n in sizes:
                out[f"burst_{n}"] = await burst(n, f"b{n}_", url, fake, session)
        await adapter.stop()
        await fake.stop()
        store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--burst", type=int, action="append", help="concurrent requests (repeatable); default 200 and 1000")
    ap.add_argument("--db", type=Path, help="answer from this store file")
    ap.add_argument("--scale", type=int, help="answer from the bench's N x store (built and cached if missing)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "slack_load.json")
    args = ap.parse_args()
    sizes = args.burst or [200, 1000]
    db = args.db
    if args.scale:
        from bot.bench import build_store

        db, _ = build_store(args.scale)
    results = asyncio.run(run(sizes, db))
    out = {
        "what": "Slack HTTP mode under a burst of concurrent signed slash commands (fake Slack on 127.0.0.1), then every request replayed",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "scale": args.scale or (None if db else 1),
        "results": results,
    }
    path = args.out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
