"""The console entry points: `reportbot ask`, `reportbot chat` with piped input, and the
console sender reminders deliver through. Same handlers, same text as a chat user gets."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleSender, answer, serve_console
from bot.clock import FixedClock
from bot.config import Settings
from bot.replies import Reply
from bot.runtime import open_runtime
from tests.handmade import build_store

ROOT = Path(__file__).resolve().parent.parent


def _reportbot(*args: str, stdin: str | None = None, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("REPORTBOT_CONFIG", None)
    cmd = [sys.executable, "-c", "from bot.cli import main; main()", "--db", str(db), *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    """A store file built once from the bundled corpus by the CLI itself."""
    db = tmp_path_factory.mktemp("console") / "reportbot.json"
    out = _reportbot("ask", "/help", db=db)
    assert out.returncode == 0, out.stderr
    return db


def test_ask_budget_by_department_prints_figures_and_basis_date(corpus_db):
    out = _reportbot("ask", "--as-of", "2021-09-06", "/budget 뉴미디어담당관", db=corpus_db)
    assert out.returncode == 0
    for expected in ("79억 914만원", "34억 9,885만원", "44.2%", "기준 2021.7.31"):
        assert expected in out.stdout
    assert "Traceback" not in out.stderr


def test_ask_with_loose_department_name_answers_the_same(corpus_db):
    exact = _reportbot("ask", "/budget 뉴미디어담당관", db=corpus_db)
    loose = _reportbot("ask", "/budget 뉴 미디어 담당과", db=corpus_db)
    assert loose.returncode == 0 and loose.stdout == exact.stdout


def test_chat_answers_one_command_per_piped_line_and_exits_at_eof(corpus_db):
    lines = "/budget 뉴미디어 2018\n\n/audit 도시브랜드담당관\n/upcoming 90\n"
    out = _reportbot("chat", "--as-of", "2021-09-06", stdin=lines, db=corpus_db)
    assert out.returncode == 0, out.stderr
    blocks = [b for b in out.stdout.split("■ ") if b.strip()]
    assert len(blocks) == 3
    assert "2018 회계연도 결산" in blocks[0] and "96.3%" in blocks[0]
    assert "도시브랜드담당관 감사 후속조치" in blocks[1] and "추진중" in blocks[1] and "완료" in blocks[1]
    assert "명예시민증 수여식" in blocks[2] and "2021.11.19.(금)" in blocks[2]
    assert "서울-베이징 통합위원회" in blocks[2] and "2021.10.28." in blocks[2]


def test_ask_with_bad_input_exits_zero_with_a_korean_reply(corpus_db):
    out = _reportbot("ask", "/budget \x07" + "가" * 300, db=corpus_db)
    assert out.returncode == 0 and "입력이 너무 깁니다" in out.stdout and "Traceback" not in out.stderr


def test_ask_with_bad_as_of_date_is_refused_in_korean(corpus_db):
    out = _reportbot("ask", "--as-of", "2021-13-45", "/upcoming", db=corpus_db)
    assert out.returncode == 2 and "날짜 형식" in out.stderr


# -- in process: the console loop and the sender ------------------------------------------------
@pytest.fixture()
def runtime(tmp_path):
    build_store(tmp_path / "db.json").close()
    settings = Settings(store={"path": tmp_path / "db.json", "reports_dir": tmp_path / "none"})
    return open_runtime(settings, clock=FixedClock(__import__("datetime").date(2023, 9, 6)))


async def test_console_loop_answers_lines_quits_on_quit_word_and_registers_sender(runtime):
    out = io.StringIO()
    src = io.StringIO("/budget 데이터정책담당관\n데이터정책담당관 예산\n/quit\n/help\n")
    await asyncio.wait_for(serve_console(runtime, stdin=src, stdout=out, interactive=False), timeout=10)
    text = out.getvalue()
    assert text.count("■ 데이터정책담당관 예산 (2023)") == 2  # command and free text alike
    assert "reportbot 사용법" not in text  # nothing after /quit
    assert isinstance(runtime.senders["console"], ConsoleSender)


async def test_console_sender_prints_a_delivered_reply():
    out = io.StringIO()
    await ConsoleSender(out).send("console", Reply(title="일정 알림 · D-1 · 명예시민증 수여식", summary=["내일입니다."]))
    assert out.getvalue().startswith("[알림 → console]\n■ 일정 알림 · D-1 · 명예시민증 수여식\n내일입니다.")


def test_console_answer_is_the_handlers_text(runtime):
    assert "79억 914만원" in answer(runtime, "/budget 데이터정책담당관")
