"""The parser against the development set: reports of other offices, from other
converters, with hand-checked keys in ../shared/golden (scored with the shared scorer).

These documents are for testing only: they are read from ../shared where the project is
checked out beside it (CI always is), never copied into the repository or the corpus."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from bot.ingest import parse_file
from bot.ingest.export import to_export

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
KEYS = sorted((SHARED / "golden").glob("*.json")) if (SHARED / "golden").is_dir() else []
DEV = [k for k in KEYS if (SHARED / "reports-dev" / f"{k.stem}.txt").exists()]


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("golden_score", SHARED / "tools" / "golden_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_development_set_is_beside_the_checkout_in_ci():
    """CI runs with ../shared beside the clone; a developer machine without it runs the rest."""
    if os.environ.get("CI"):
        assert DEV, f"no development documents under {SHARED}"


@pytest.mark.parametrize("key", DEV, ids=[k.stem for k in DEV])
def test_development_report_scores(key: Path):
    score = _scorer()
    got = to_export(parse_file(SHARED / "reports-dev" / f"{key.stem}.txt"))
    want = json.loads(key.read_text(encoding="utf-8"))
    hits, n, parsed, misses = score.match_budget(want.get("budget_lines") or [], got["budget_lines"])
    assert hits == n, misses
    assert parsed == 0 or hits / parsed >= 0.98, f"budget precision {hits}/{parsed}"
    hits, n, _, misses = score.match_audit(want.get("audit_items") or [], got["audit_items"])
    assert hits == n, misses  # department and status right
    hits, n, parsed, misses = score.match_milestones(want.get("milestones") or [], got["milestones"])
    assert n == 0 or hits / n >= 0.95, misses
    assert parsed == 0 or hits / parsed >= 0.90, f"milestone precision {hits}/{parsed}"
