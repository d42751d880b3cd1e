"""The parser against the hand-checked answer keys: every budget row with identical
numbers, every audit item with its department and status, >= 95% of milestones."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import pytest

from bot.ingest import parse_file
from bot.ingest.export import to_export
from tests.conftest import GOLDEN_DOCS, REPORTS, load_golden


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"<[^>]+>", "", s)
    return re.sub(r"[\s「」『』\"'‘’“”·ㆍ・*]", "", s)


def similar(a: str | None, b: str | None) -> float:
    return SequenceMatcher(None, norm(a), norm(b)).ratio()


@pytest.fixture(scope="module", params=sorted(GOLDEN_DOCS))
def pair(request):
    stem = request.param
    return load_golden(stem), to_export(parse_file(REPORTS / GOLDEN_DOCS[stem]))


def test_report_cover_matches_answer_key(pair):
    key, got = pair
    assert (got["title"], got["org"], got["report_date"]) == (key["title"], key["org"], key["report_date"])


def test_every_department_with_its_headcount(pair):
    key, got = pair
    by_name = {d["name"]: d for d in got["departments"]}
    for d in key["departments"]:
        assert d["name"] in by_name, d["name"]
        g = by_name[d["name"]]
        assert (g["quota"], g["current"]) == (d["quota"], d["current"]), d["name"]
        assert g["teams"] == d["teams"], d["name"]


def _values_equal(kv: dict, pv: dict) -> bool:
    if set(kv) != set(pv):
        return False
    return all(
        (kv[k] is None and pv[k] is None) or (kv[k] is not None and pv[k] is not None and abs(kv[k] - pv[k]) < 0.051)
        for k in kv
    )


def test_every_budget_row_with_identical_numbers(pair):
    key, got = pair
    unused = list(got["budget_lines"])
    missed = []
    for k in key["budget_lines"]:
        hit = next(
            (
                p
                for p in unused
                if norm(p["name"]) == norm(k["name"])
                and p["dept"] == k["dept"]
                and p["level"] == k["level"]
                and p["unit"] == k["unit"]
                and p["as_of"] == k["as_of"]
                and _values_equal(k["values"], p["values"])
            ),
            None,
        )
        if hit is None:
            missed.append(f"{k['table']} | {k['dept']} | {k['name']} | {k['values']}")
        else:
            unused.remove(hit)
    assert not missed, "\n".join(missed)
    assert not unused, "rows not in the key: " + "\n".join(f"{p['dept']} | {p['name']}" for p in unused)


def test_every_audit_item_with_department_and_status(pair):
    key, got = pair
    unused = list(got["audit_items"])
    missed = []
    for k in key["audit_items"]:
        hit = next(
            (
                p
                for p in unused
                if norm(k["request_head"])[:15] in norm(p["request"])
                and p["dept"] == k["dept"]
                and p["status"] == k["status"]
                and p["kind"] == k["kind"]
                and p["due"] == k["due"]
            ),
            None,
        )
        if hit is None:
            missed.append(f"{k['kind']} | {k['dept']} | {k['status']} | {k['request_head']}")
        else:
            unused.remove(hit)
    assert not missed, "\n".join(missed)
    # The key for 000 stops at line 1561, but the file's last line (no final newline)
    # holds a 19th item; the report's own 총괄 counts 19, so extras must add up to it.
    expected_total = (key.get("audit_summary") or {}).get("total", len(key["audit_items"]))
    assert len(got["audit_items"]) == expected_total, [p["request_head"] for p in unused]
    if key.get("audit_summary"):
        s = got["audit_summary"]
        assert s is not None
        for status in ("total", "완료", "추진중", "검토중", "미반영"):
            assert s.get(status, 0) == key["audit_summary"].get(status, 0), status


def test_milestones_recall_at_least_95_percent_with_right_dates(pair):
    key, got = pair
    unused = list(got["milestones"])
    missed = []
    for k in key["milestones"]:
        cands = [p for p in unused if p["start"] == k["start"] and (p["end"] or None) == (k["end"] or None)]
        best = max(cands, key=lambda p: similar(p["title"], k["title"]), default=None)
        if best is None or similar(best["title"], k["title"]) < 0.5:
            missed.append(f"{k['start']}~{k['end'] or ''} | {k['title']} (line {k['line']})")
        else:
            unused.remove(best)
    recall = 1 - len(missed) / len(key["milestones"])
    assert recall >= 0.95, f"recall {recall:.3f}; missed:\n" + "\n".join(missed)
    # Precision: what we add beyond the key must stay small, or /upcoming fills with noise.
    assert len(unused) <= max(3, len(key["milestones"]) // 10), "\n".join(
        f"{p['start']} | {p['title']} (line {p['line']})" for p in unused
    )


def test_programs_found_with_owner_and_budget_sentence(pair):
    key, got = pair
    missed = []
    for k in key["programs"]:
        hit = next((p for p in got["programs"] if similar(p["title"], k["title"]) >= 0.85), None)
        if hit is None or hit["dept"] != k["dept"]:
            missed.append(f"{k['title']} ({k['dept']}) -> {hit and (hit['title'], hit['dept'])}")
    assert not missed, "\n".join(missed)
