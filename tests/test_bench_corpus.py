"""The bench's scaled corpus: every copy is a report of its own (no copy replaces another)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.bench import SAMPLES, district, vary
from bot.ingest import parse_file


def test_every_copy_gets_a_district_name_of_its_own_in_hangul_only() -> None:
    names = [district(k) for k in range(1, 3000)]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[가-힣]+", n) for n in names)


def test_copies_two_hundred_apart_are_different_reports(tmp_path: Path) -> None:
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    text = sample.read_text(encoding="utf-8")
    identities = set()
    for k in (7, 207, 1207):
        path = tmp_path / f"k{k}.txt"
        path.write_text(vary(text, k), encoding="utf-8")
        identities.add(parse_file(path).report.identity)
    assert len(identities) == 3
