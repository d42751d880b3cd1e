"""`reportbot convert` and `reportbot ingest` on an HWPX and a PDF, as an admin runs them."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store
from tests.report_files import hwpx_bytes, pdf_bytes, sample_lines
from tests.test_cli_ingest import run_cli


def test_convert_prints_what_was_read_with_tables_as_tab_separated_rows(tmp_path: Path):
    f = tmp_path / "보고.hwpx"
    f.write_bytes(hwpx_bytes(sample_lines(end=200)))
    out = run_cli("convert", str(f), db=tmp_path / "s.json")
    assert out.returncode == 0, out.stderr
    assert "부서/사업명\t예산현액\t원인행위액\t집행액\t집행률" in out.stdout.split("\n")
    assert not (tmp_path / "s.json").exists() or Store(tmp_path / "s.json").is_empty()


def test_ingest_stores_a_pdf_report_and_refuses_a_scan_like_file_with_a_korean_reason(tmp_path: Path):
    db = tmp_path / "s.json"
    f = tmp_path / "보고.pdf"
    f.write_bytes(pdf_bytes(sample_lines(end=200)))
    out = run_cli("ingest", str(f), db=db)
    assert out.returncode == 0, out.stderr
    assert "추가: 보고.pdf" in out.stdout
    assert Store(db).budget_lines_for_dept("뉴미디어담당관")
    bad = tmp_path / "빈.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    out = run_cli("ingest", str(bad), db=db)
    assert out.returncode == 1 and "PDF 파일이 손상" in out.stderr and "Traceback" not in out.stderr
