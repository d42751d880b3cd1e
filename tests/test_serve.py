"""`reportbot run`: a platform that cannot start stops the bot with a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_run_without_a_telegram_token_exits_non_zero_with_a_korean_reason(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "REPORTBOT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.json"), "run", "--platform", "telegram"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "멈춥니다" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_an_unknown_platform_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.json"), "run", "--platform", "kakao"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "알 수 없는 플랫폼" in result.stderr
