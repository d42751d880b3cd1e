"""The parser reads structure, not the sample's text: a report with other years and
other department names must parse into the same records, shifted and renamed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.ingest import parse_bytes
from bot.models import ParsedReport
from tests.conftest import REPORT_FILES

NEW_NAMES = ["한빛", "누리", "다온", "미르", "새봄", "라온", "해솔", "가람", "아라", "여울", "윤슬", "마루", "나래", "도담"]


def shift_years(text: str, years: int) -> str:
    """Move every printed year by ``years``: 2021 → 2025, '21 → '25, ’21. → ’25."""

    def four(m: re.Match[str]) -> str:
        return str(int(m.group(0)) + years)

    def two(m: re.Match[str]) -> str:
        return f"{m.group(1)}{(int(m.group(2)) + years) % 100:02d}"

    text = re.sub(r"(?<![\d,.])(?:19[89]\d|20[0-3]\d)(?![\d,])", four, text)
    return re.sub(r"([‘’'`])\s?(\d{2})(?=\s*[.년~\-·(/]|\s*[上下상하])", two, text)


def spaced_pattern(name: str) -> re.Pattern[str]:
    """The name as printed in any spacing ('뉴 미 디 어 담 당 관', '뉴미디어 담당관')."""
    return re.compile(r"\s*".join(map(re.escape, name)))


def rename_departments(text: str, names: list[str]) -> tuple[str, dict[str, str]]:
    mapping: dict[str, str] = {}
    for i, name in enumerate(sorted(names, key=len, reverse=True)):
        suffix = re.search(r"(담당관|기획관|과|실|관)$", name)
        new = NEW_NAMES[i % len(NEW_NAMES)] + (suffix.group(1) if suffix else "담당관")
        mapping[name] = new
        text = spaced_pattern(name).sub(new, text)
    return text, mapping


def shifted(d: date | None, years: int) -> date | None:
    return d.replace(year=d.year + years) if d else None


def variant(key: str, years: int, parsed_reports: dict[str, ParsedReport]) -> tuple[ParsedReport, ParsedReport, dict[str, str]]:
    original = parsed_reports[key]
    text = REPORT_FILES[key].read_text(encoding="utf-8")
    names = [d.name for d in original.departments]
    text, mapping = rename_departments(shift_years(text, years), names)
    return original, parse_bytes("variant.txt", text.encode("utf-8")), mapping


CASES = [(key, years) for key in REPORT_FILES for years in (4, -4)]


@pytest.mark.parametrize(("key", "years"), CASES)
def test_variant_with_other_years_and_names_parses_the_same(key: str, years: int, parsed_reports) -> None:
    original, got, mapping = variant(key, years, parsed_reports)
    rename = lambda n: mapping.get(n, n) if n else n  # noqa: E731

    assert got.report.report_date == shifted(original.report.report_date, years)
    assert [(d.name, d.quota, d.current, d.teams) for d in got.departments] == [
        (rename(d.name), d.quota, d.current, d.teams) for d in original.departments
    ]

    def budget_view(b):
        return (b.level, b.unit, b.as_of, tuple(sorted(b.values.items())))

    assert [budget_view(b) for b in got.budget_lines] == [
        (b.level, b.unit, shifted(b.as_of, years), tuple(sorted((shift_years(k, years), v) for k, v in b.values.items())))
        for b in original.budget_lines
    ]
    assert [b.dept for b in got.budget_lines] == [rename(b.dept) for b in original.budget_lines]

    assert [(a.kind, rename(a.dept), a.status) for a in original.audit_items] == [
        (a.kind, a.dept, a.status) for a in got.audit_items
    ]
    assert [rename(p.dept) for p in original.programs] == [p.dept for p in got.programs]

    want = sorted(((shifted(m.start, years), shifted(m.end, years), m.precision) for m in original.milestones), key=str)
    have = sorted(((m.start, m.end, m.precision) for m in got.milestones), key=str)
    common = sum(min(want.count(x), have.count(x)) for x in set(want))
    assert common >= 0.95 * len(want), f"{common}/{len(want)} milestones kept their dates"
    assert len(have) <= len(want) + max(2, len(want) // 20)
