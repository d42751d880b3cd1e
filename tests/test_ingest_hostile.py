"""Hostile or broken reports are read in bounded time: the issue's three inputs (a 20k
punctuation line in an audit section, 1,800 dates on one line, a 16k-cell row) and long
runs of spaces or digits each parse in well under a second, and what was cut is said in the
parse account. The guard is wall-clock and generous (each takes tens of ms here)."""

from __future__ import annotations

import random
import time

import pytest

from bot.ingest.parse import parse_bytes
from bot.ingest.shapes import MAX_CELLS, MAX_LINE_CHARS
from tests.conftest import REPORTS

GUARD_S = 1.0

SAMPLE = REPORTS / "2021-09-06_시민소통기획관_주요업무보고.txt"
LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
AUDIT_AT = next(i for i, line in enumerate(LINES) if "행정사무감사 처리결과" in line and i > 100) + 8
PROGRAM_AT = len(LINES) // 3
TABLE_AT = next(i for i, line in enumerate(LINES) if line.count("\t") >= 3 and i > 40) + 1
WHERE = {"audit": AUDIT_AT, "program": PROGRAM_AT, "table": TABLE_AT}

random.seed(10)
PUNCT = ".,;:()[]{}<>-=+*/·ㆍ…「」『』'\"!?~%&#@|^_ "
HOSTILE = {  # where, line
    "20k punctuation in an audit section": ("audit", "".join(random.choice(PUNCT) for _ in range(20_000))),
    "20k dots in an audit section": ("audit", "." * 20_000),
    "1,800 dates on one line": ("program", "  ○ 정기 점검 : " + ", ".join(f"'21. {i % 12 + 1}. {i % 28 + 1}.(월)" for i in range(1_800))),
    "1,800 short dates on one line": ("program", "  ○ 점검 " + " ".join(f"{i % 12 + 1}.{i % 28 + 1}." for i in range(1_800))),
    "1,800 dates with years, unspaced": ("program", "  ○ 점검 " + " ".join(f"'21.{i % 12 + 1}.{i % 28 + 1}." for i in range(1_800))),
    "5,000 dates on a 45k-character line": ("program", "  ○ 점검 " + " ".join(f"'21.{i % 12 + 1}.{i % 28 + 1}." for i in range(5_000))),
    "1,800 dates in an audit section": ("audit", ", ".join(f"'21. {i % 12 + 1}. {i % 28 + 1}." for i in range(1_800))),
    "a 16k-cell row in a table": ("table", "\t".join(f"{i:,}" for i in range(16_000))),
    "a 16k-cell Markdown row": ("table", "| " + " | ".join(str(i) for i in range(16_000)) + " |"),
    "20k spaces in a line": ("program", "가" + " " * 20_000 + "나"),
    "20k digits": ("audit", "1" * 20_000),
    "figures with units, 300 times": ("program", ("1" * 60 + "백만원 ") * 300),
}


def _report(where: str | None = None, line: str = "") -> bytes:
    lines = list(LINES)
    if where is not None:
        lines.insert(WHERE[where], line)
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_line_parses_in_well_under_a_second_and_loses_nothing_else(case: str) -> None:
    data = _report(*HOSTILE[case])
    plain = parse_bytes("plain.txt", _report())  # also warms imports and caches
    started = time.perf_counter()
    parsed = parse_bytes("hostile.txt", data)
    assert time.perf_counter() - started < GUARD_S
    assert len(parsed.audit_items) == len(plain.audit_items)
    assert len(parsed.programs) == len(plain.programs)
    assert len(parsed.budget_lines) >= len(plain.budget_lines) - 1


def test_an_overlong_line_and_an_overwide_row_are_cut_and_said_in_the_parse_account() -> None:
    wide = "\t".join(f"{i}" for i in range(MAX_CELLS + 50))
    lines = list(LINES)
    lines.insert(TABLE_AT, wide)
    lines.insert(PROGRAM_AT, "  ○ 메모 " + "가" * (MAX_LINE_CHARS + 10))
    parsed = parse_bytes("wide.txt", "\n".join(lines).encode("utf-8"))
    notes = "\n".join(parsed.warnings)
    assert f"{MAX_CELLS}칸" in notes
    assert f"{MAX_LINE_CHARS:,}자" in notes


def test_an_ordinary_report_says_nothing_about_cuts() -> None:
    parsed = parse_bytes("plain.txt", _report())
    assert not [w for w in parsed.warnings if "자만 읽었습니다" in w or "칸만 읽었습니다" in w]
