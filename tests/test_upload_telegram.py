"""An admin sends a report file to the Telegram bot: a preview with 저장/취소, and only
저장 stores it. End to end through the real PTB polling loop and the fake Bot API, which
serves the file through getFile and its download URL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.ingest import parse_file
from bot.runtime import Runtime
from bot.store import Store
from tests.fakes.telegram_api import FakeTelegram, SentMessage, visible_text
from tests.report_files import SAMPLE, hwpx_bytes, pdf_bytes, sample_lines
from tests.test_telegram_bot import ENV_VARS, answers, running

TOKEN = "987654:SECRET-token-for-tests"
ADMIN = 4004
STAFF = 1001
GROUP = -2002

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")

OLD_ROW = "뉴미디어담당관\t7,909,143\t6,094,850\t3,498,848\t44.2%"
NEW_ROW = "뉴미디어담당관\t7,909,143\t6,094,850\t4,000,000\t50.6%"


@pytest.fixture(scope="module")
def corrected_hwpx() -> bytes:
    """The sample report as an HWPX in which one budget row was corrected."""
    lines = sample_lines()
    assert OLD_ROW in lines
    return hwpx_bytes([NEW_ROW if line == OLD_ROW else line for line in lines])


@pytest.fixture(scope="module")
def parsed_sample():
    return parse_file(SAMPLE)


@pytest.fixture
def runtime(fake: FakeTelegram, tmp_path: Path, parsed_sample, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    store = Store(tmp_path / "store.json", clock=FixedClock(date(2021, 9, 6)))
    store.ingest(parsed_sample)
    settings = Settings(
        **{
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": fake.base_url,
            "telegram": {"allowed_chats": [str(STAFF), str(GROUP)], "admin_users": [str(ADMIN)]},
            "upload": {"spool_dir": str(tmp_path / "uploads"), "max_upload_mb": 1},
        }
    )
    return Runtime(settings=settings, store=store, clock=FixedClock(date(2021, 9, 6)))


@pytest.fixture
async def bot(runtime: Runtime, fake: FakeTelegram) -> AsyncIterator[Runtime]:
    async with running(runtime, fake):
        yield runtime


def _button(msg: SentMessage, label: str) -> str:
    return next(b["callback_data"] for b in msg.buttons() if b["text"] == label)


async def _preview(fake: FakeTelegram, name: str, data: bytes) -> SentMessage:
    await fake.user_sends_document(ADMIN, name, data)
    msgs = await answers(fake, ADMIN)
    return msgs[-1]


async def test_admin_sends_a_corrected_hwpx_sees_what_changes_and_saves_it(bot: Runtime, fake: FakeTelegram, corrected_hwpx):
    msg = await _preview(fake, "시민소통기획관_주요업무보고.hwpx", corrected_hwpx)
    text = visible_text(msg.text)
    assert "보고서 미리보기: 시민소통기획관_주요업무보고.hwpx" in text
    assert "주요업무보고 (시민소통기획관, 2021-09-06)" in text and "예산표 2개 79행" in text
    assert "예산 행: 바뀜 1, 추가 0, 빠짐 0" in text and "뉴미디어담당관" in text
    assert "감사 처리상황 바뀜 0건" in text and "일정: 추가 0, 빠짐 0" in text
    assert fake.downloads, "the file came through getFile and its download URL"
    before = bot.store.budget_lines_for_dept("뉴미디어담당관")
    assert any(b.values.get("집행률") == 44.2 for b in before)  # nothing stored yet

    await fake.press(msg, _button(msg, "저장"), user_id=ADMIN)
    await fake.wait_for(lambda: msg.edits == 1)
    assert "저장했습니다" in visible_text(msg.text) and "이전 판을 교체" in visible_text(msg.text)
    assert not list(Path(bot.settings.upload.spool_dir).glob("*.bin")), "the spool is emptied"

    await fake.user_says(ADMIN, "/budget 뉴미디어담당관")
    answer = (await answers(fake, ADMIN, before=1))[-1]
    assert "50.6%" in visible_text(answer.text) and "44.2%" not in visible_text(answer.text)
    assert "님이 채팅으로 올림(" in visible_text(answer.text), "the answer names who sent its report"

    await fake.user_says(ADMIN, "/reports")
    listing = (await answers(fake, ADMIN, before=2))[-1]
    assert "관리자 올림" in visible_text(listing.text)


async def test_cancel_stores_nothing_and_a_second_press_finds_the_preview_gone(bot: Runtime, fake: FakeTelegram, corrected_hwpx):
    msg = await _preview(fake, "보고.hwpx", corrected_hwpx)
    cancel, save = _button(msg, "취소"), _button(msg, "저장")
    await fake.press(msg, cancel, user_id=ADMIN)
    await fake.wait_for(lambda: msg.edits == 1)
    assert "취소했습니다" in visible_text(msg.text)
    assert any(b.values.get("집행률") == 44.2 for b in bot.store.budget_lines_for_dept("뉴미디어담당관"))
    await fake.user_says(ADMIN, "/upload save nosuchtoken1")
    reply = (await answers(fake, ADMIN, before=1))[-1]
    assert "만료" in visible_text(reply.text)
    del save


async def test_an_expired_preview_stores_nothing(bot: Runtime, fake: FakeTelegram, corrected_hwpx):
    msg = await _preview(fake, "보고.hwpx", corrected_hwpx)
    # Time passes: the preview was made 31 minutes ago ([upload] preview_minutes = 30).
    [record] = Path(bot.settings.upload.spool_dir).glob("*.json")
    meta = json.loads(record.read_text(encoding="utf-8"))
    meta["created_at"] = (datetime.fromisoformat(meta["created_at"]) - timedelta(minutes=31)).isoformat()
    record.write_text(json.dumps(meta), encoding="utf-8")
    await fake.press(msg, _button(msg, "저장"), user_id=ADMIN)
    await fake.wait_for(lambda: msg.edits == 1)
    assert "만료" in visible_text(msg.text)
    assert any(b.values.get("집행률") == 44.2 for b in bot.store.budget_lines_for_dept("뉴미디어담당관"))
    assert not list(Path(bot.settings.upload.spool_dir).glob("*.bin"))


async def test_a_non_admin_gets_a_korean_refusal_and_nothing_is_downloaded(bot: Runtime, fake: FakeTelegram, corrected_hwpx):
    await fake.user_sends_document(STAFF, "보고.hwpx", corrected_hwpx)
    [msg] = await answers(fake, STAFF)
    assert "관리자만" in visible_text(msg.text) and not msg.buttons()
    assert not fake.downloads


@pytest.mark.parametrize(
    ("name", "data", "size", "expect"),
    [
        ("큰보고.pdf", b"%PDF-1.4", 5 * 1024 * 1024, "너무 큽니다"),
        ("사진.jpg", b"\xff\xd8\xff\xe0", None, "읽을 수 없는 종류"),
        ("깨진.hwpx", b"PK\x03\x04" + b"\x00" * 64, None, "손상"),
    ],
)
async def test_too_large_wrong_type_and_corrupt_files_get_a_reason_and_store_nothing(
    bot: Runtime, fake: FakeTelegram, name, data, size, expect
):
    reports_before = [r.id for r in bot.store.reports()]
    await fake.user_sends_document(ADMIN, name, data, file_size=size)
    [msg] = await answers(fake, ADMIN)
    assert expect in visible_text(msg.text) and "저장하지 않았습니다" in visible_text(msg.text)
    assert not msg.buttons()
    assert [r.id for r in bot.store.reports()] == reports_before
    assert not list(Path(bot.settings.upload.spool_dir).glob("*.bin"))


async def test_a_pdf_extract_gets_a_preview_with_save_and_cancel(bot: Runtime, fake: FakeTelegram):
    lines = sample_lines(end=200)
    msg = await _preview(fake, "발췌.pdf", pdf_bytes(lines))
    assert "보고서 미리보기: 발췌.pdf" in visible_text(msg.text)
    assert {b["text"] for b in msg.buttons()} == {"저장", "취소"}
