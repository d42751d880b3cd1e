"""`reportbot ingest` / `parse` with files that are not reports: a one-line Korean
error naming the file, a non-zero exit, the store untouched, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store
from tests.test_store import CLOCK, make_report

BAD_INPUTS = {
    "empty.txt": (b"", "빈 파일"),
    "blank.txt": (b"\n\n   \n", "빈 파일"),
    "binary.bin": (bytes(range(256)) * 4, "이진 파일"),
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "report.hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "HWP"),
    "report.hwpx": (b"PK\x03\x04" + b"\x00" * 100, "HWPX"),
    "notes.txt": ("회의 메모\n점심 메뉴: 김밥\n다음 주 월요일 회의\n".encode(), "찾을 수 없습니다"),
    "latin1.txt": (bytes([0xE9, 0x80, 0xFF, 0xFE, 0x41]) * 50, "읽을 수 없는"),
}


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture()
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    store = Store(path, clock=CLOCK)
    store.ingest(make_report())
    store.close()
    return path


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_ingest_of_a_file_that_is_not_a_report_is_refused_in_korean(name: str, tmp_path: Path, store_file: Path) -> None:
    data, expected = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    before = store_file.read_bytes()
    result = run_cli("ingest", str(bad), db=store_file)
    assert result.returncode != 0
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert name in err and expected in err
    assert "Traceback" not in result.stderr + result.stdout
    assert store_file.read_bytes() == before


def test_parse_of_a_missing_file_names_it(tmp_path: Path) -> None:
    result = run_cli("parse", str(tmp_path / "없는파일.txt"), db=tmp_path / "db.json")
    assert result.returncode != 0
    assert "없는파일.txt" in result.stderr and "파일이 없습니다" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_file_among_good_ones_ingests_nothing(tmp_path: Path, store_file: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = Path(__file__).resolve().parent.parent / "data" / "reports" / "2020-04_시장비서실_주요업무보고.txt"
    before = store_file.read_bytes()
    result = run_cli("ingest", str(good), str(bad), db=store_file)
    assert result.returncode != 0
    assert store_file.read_bytes() == before


def test_ingest_into_a_corrupt_store_keeps_the_corrupt_file(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    db.write_text("{broken", encoding="utf-8")
    good = Path(__file__).resolve().parent.parent / "data" / "reports" / "2020-04_시장비서실_주요업무보고.txt"
    result = run_cli("ingest", str(good), db=db)
    assert result.returncode == 0, result.stderr
    assert "손상" in result.stderr
    aside = list(tmp_path.glob("db.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{broken"


def test_parse_of_several_reports_prints_one_export_each(tmp_path: Path) -> None:
    import json

    reports = sorted((Path(__file__).resolve().parent.parent / "data" / "reports").glob("*.txt"))
    result = run_cli("parse", *map(str, reports), "--json", db=tmp_path / "db.json")
    assert result.returncode == 0, result.stderr
    exports = json.loads(result.stdout)
    assert [e["doc"] for e in exports] == [p.name for p in reports]
    assert all(e["budget_lines"] and e["milestones"] for e in exports)
