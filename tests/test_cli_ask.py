"""`reportbot ask` answers one question like the chat does: when the answer has a chart,
the PNG is written and its path is the last line printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.store import copy_store


def test_ask_prints_the_chart_path_when_the_answer_has_a_chart(corpus_store_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    copy_store(corpus_store_file, db)
    charts = tmp_path / "tmp"
    charts.mkdir()
    env = {**os.environ, "TMPDIR": str(charts)}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "ask", "--as-of", "2021-09-06", "뉴미디어담당관 예산"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "79억 914만원" in proc.stdout and proc.stdout.endswith("\n")
    last = proc.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith("[차트] ")
    png = Path(last.removeprefix("[차트] "))
    assert png.parent.parent == charts and png.read_bytes()[:4] == b"\x89PNG"


def test_ask_without_a_chart_prints_no_chart_line(corpus_store_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    copy_store(corpus_store_file, db)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "ask", "--as-of", "2021-09-06", "/when 서울세계도시문화축제"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2021.10.1.(금)" in proc.stdout and "[차트]" not in proc.stdout
