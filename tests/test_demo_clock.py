"""The demo clock runs: `reportbot run --as-of` starts at the pinned moment, moves on
with the wall clock, and a reminder scheduled a few seconds later fires."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from bot.clock import SEOUL, FixedClock
from bot.models import Milestone, Precision, Subscription
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_clock_moves_forward_from_its_pinned_start() -> None:
    from bot.clock import RunningClock

    clock = RunningClock(datetime(2021, 10, 27, 8, 59, 59, tzinfo=SEOUL))
    first = clock.now()
    time.sleep(0.05)
    assert clock.now() > first and clock.today() == date(2021, 10, 27)
    assert RunningClock(date(2021, 10, 27)).now().hour == 9  # a date alone starts at 09:00, like ask --as-of


def test_run_as_of_fires_a_scheduled_reminder_when_its_time_comes(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = Store(db, clock=FixedClock(datetime(2021, 10, 1, 9, tzinfo=SEOUL)))
    store.add_manual_milestone(Milestone(title="서울-베이징 통합위원회", start=date(2021, 10, 28), precision=Precision.DAY))
    store.add_subscription(Subscription(platform="console", channel="console", target="all", created_at=datetime(2021, 10, 1, tzinfo=SEOUL)))
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "run", "--platform", "console", "--as-of", "2021-10-27T08:59:57"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
        env={**os.environ, "REPORTBOT_STORE__REPORTS_DIR": str(tmp_path / "none")},
    )
    out = b""
    try:
        sel = selectors.DefaultSelector()
        assert proc.stdout is not None
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 30  # generous: start-up plus three demo seconds
        while b"D-1" not in out and time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
    finally:
        proc.kill()
        proc.wait(timeout=10)
    text = out.decode("utf-8", "replace")
    assert "D-1" in text and "서울-베이징 통합위원회" in text
    assert "늦은" not in text  # it fired on time, not as a late catch-up
