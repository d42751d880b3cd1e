"""The same commands on a store built from modified copies of the reports: years moved
four years on, two departments renamed. Nothing in the handlers may be tied to the sample."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.replies import ReplyKind
from handlers.dispatch import handle
from tests.conftest import REPORT_FILES
from tests.handmade import ask, context, corpus_store

SHIFT = 4
RENAMES = {"뉴미디어담당관": "디지털소통담당관", "도시브랜드담당관": "서울마케팅담당관"}


def _spaced(name: str) -> re.Pattern[str]:
    """The name however it is printed: '뉴미디어담당관', '뉴미디어 담당관', '뉴 미 디 어 담 당 관'."""
    return re.compile(r"[ \t]?".join(re.escape(ch) for ch in name))


def _shift_years(text: str) -> str:
    text = re.sub(r"(?<!\d)(20[0-2]\d)(?!\d)", lambda m: str(int(m.group(1)) + SHIFT), text)
    return re.sub(r"(?<=['’‘])([0-2]\d)(?!\d)", lambda m: f"{int(m.group(1)) + SHIFT:02d}", text)


def variant(text: str) -> str:
    for old, new in RENAMES.items():
        text = _spaced(old).sub(new, text)
    return _shift_years(text)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    base = tmp_path_factory.mktemp("variant")
    reports = base / "reports"
    reports.mkdir()
    for key in ("2021_simin", "2018_settlement", "2016_simin"):
        src: Path = REPORT_FILES[key]
        (reports / f"variant_{key}.txt").write_text(variant(src.read_text(encoding="utf-8")), encoding="utf-8")
    st = corpus_store(base / "db.json", reports)
    assert len(st.reports()) == 3
    return st


def test_variant_reports_have_moved_years():
    assert _shift_years("2021.7.31. '21.11.19. 2018 회계연도") == "2025.7.31. '25.11.19. 2022 회계연도"


def test_budget_lookup_of_renamed_department_in_moved_year(store):
    text = ask(store, "/budget 디지털소통담당관", date(2025, 9, 6))
    for expected in ("79억 914만원", "34억 9,885만원", "44.2%", "기준 2025.7.31"):
        assert expected in text


def test_budget_lookup_by_loose_name_of_renamed_department(store):
    assert ask(store, "/budget 디지털 소통 담당과") == ask(store, "/budget 디지털소통담당관")


def test_budget_settlement_year_follows_the_moved_fiscal_year(store):
    text = ask(store, "/budget 디지털소통 2022")
    assert "2022 회계연도 결산" in text and "96.3%" in text and "58억 4,265만원" in text


def test_old_department_name_is_not_found_in_the_variant(store):
    reply = handle("/budget 뉴미디어담당관", context(store))
    assert reply.kind in (ReplyKind.NOT_FOUND, ReplyKind.CANDIDATES)
    assert "79억 914만원" not in ask(store, "/budget 뉴미디어담당관")


def test_audit_of_renamed_department_lists_follow_ups(store):
    reply = handle("/audit 서울마케팅담당관", context(store))
    assert reply.kind == ReplyKind.ANSWER and len(reply.table.rows) >= 5
    assert {"완료", "추진중"} <= {r[2] for r in reply.table.rows}


def test_upcoming_in_the_moved_year(store):
    rows = handle("/upcoming 90", context(store, date(2025, 9, 6))).table.rows
    assert any("명예시민증 수여식" in r[3] and r[0].startswith("2025.11.19.") for r in rows)


def test_program_lookup_in_the_variant(store):
    reply = handle("/program 명예시민", context(store))
    assert reply.kind == ReplyKind.ANSWER and "(2025)" in reply.title
