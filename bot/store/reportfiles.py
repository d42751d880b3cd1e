"""One TinyDB file per report, and the summary the catalogue keeps of it.

Each report's parsed records live in their own file (``<store>.reports/<id>.json``,
written once, atomically, 0600; the id is the content hash, so the file never changes).
The catalogue keeps, per report, a small summary: how many records of each kind, the
names it mentions and its milestones' dates, so indexes are built without reading a
report file. Also here: moving a store of the one-file layout into this one."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.store.jsonfile import DIR_MODE, FILE_MODE, atomic_write_bytes

# Tables of a report file (and of the one-file layout, tagged with ``_report``).
RECORD_TABLES = ("departments", "budget_lines", "programs", "audit_items", "audit_summaries", "milestones")


def summaries_path(store_path: Path) -> Path:
    """The catalogue's summaries of reports (``bot.store.summaries``)."""
    return store_path.with_name(store_path.name + ".summaries.jsonl")


def reports_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".reports")


def report_file(store_path: Path, report_id: str) -> Path:
    return reports_dir(store_path) / f"{report_id}.json"


def write_report_file(
    store_path: Path, report_id: str, tables: dict[str, list[dict[str, Any]]], sync_dir: bool = True
) -> Path:
    """One report's records in their own file, written atomically in one replace: a
    TinyDB document tree (table → doc id → record, ids from 1), 0600. ``sync_dir=False``:
    the caller syncs the folder once for a batch (``fsync_dir(reports_dir(...))``)."""
    path = report_file(store_path, report_id)
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tree = {name: {str(i): row for i, row in enumerate(tables.get(name) or [], start=1)} for name in RECORD_TABLES}
    atomic_write_bytes(path, json.dumps(tree, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), keep_backup=False, sync_dir=sync_dir)
    return path


def clean_report_orphans(store_path: Path) -> int:
    """Temporary files a killed ingest left in the report-file folder."""
    folder = reports_dir(store_path)
    gone = 0
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                tmp.unlink()
                gone += 1
    return gone


def copy_store(src: Path, dst: Path) -> None:
    """Copy a store: its file, its summaries and its folder of report files (0600/0700)."""
    src, dst = Path(src), Path(dst)
    for a, b in ((src, dst), (summaries_path(src), summaries_path(dst))):
        if a.exists():
            shutil.copyfile(a, b)
            os.chmod(b, FILE_MODE)
    if reports_dir(src).is_dir():
        shutil.copytree(reports_dir(src), reports_dir(dst), dirs_exist_ok=True)


# -- summaries -----------------------------------------------------------------------
def summarize(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What the catalogue keeps of a report: counts, names, milestone dates (JSON docs in)."""
    depts: set[str] = set()
    budget_depts: set[str] = set()
    depts.update(d["name"] for d in tables.get("departments", []) if d.get("name"))
    for name in ("programs", "audit_items", "milestones"):
        depts.update(d["dept"] for d in tables.get(name, []) if d.get("dept"))
    budget_depts.update(d["dept"] for d in tables.get("budget_lines", []) if d.get("dept"))
    return {
        "counts": {name: len(tables.get(name, [])) for name in RECORD_TABLES},
        "depts": sorted(depts | budget_depts),
        "budget_depts": sorted(budget_depts),
        "programs": sorted({d["title"] for d in tables.get("programs", []) if d.get("title")}),
        "rows": sorted({d["name"] for d in tables.get("budget_lines", []) if d.get("name") and d.get("level") != "total"}),
        "ms": [[d["start"], d.get("end")] for d in tables.get("milestones", [])],
        "order": ordered_names(tables),
    }


def complete(summary: Any) -> bool:
    """Whether a catalogue summary has everything the indexes read ("ms": milestone dates,
    "order": names in printed order for the handlers' pools)."""
    return isinstance(summary, dict) and "ms" in summary and "order" in summary


def _distinct(values: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v))


def ordered_names(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """A report's names as its records print them, each once, in the order the store
    returns the records (budget lines by table and row): the handlers' name pools are
    built from these, so the first printed form of a name answers, as when every record
    was scanned."""
    lines = sorted(tables.get("budget_lines", []), key=lambda d: (d.get("table") or "", d.get("order") or 0))
    programs = tables.get("programs", [])
    milestones = tables.get("milestones", [])
    return {
        "dept_names": _distinct(d.get("name") for d in tables.get("departments", [])),
        "budget_depts": _distinct(d.get("dept") for d in lines),
        "rows": _distinct(d.get("name") for d in lines if d.get("level") != "total"),
        "total_rows": _distinct(d.get("name") for d in lines if d.get("level") == "total"),
        "programs": _distinct(d.get("title") for d in programs),
        "program_depts": _distinct(d.get("dept") for d in programs),
        "ms_titles": _distinct(d.get("title") for d in milestones),
        "ms_programs": _distinct(d.get("program") for d in milestones),
        "ms_depts": _distinct(d.get("dept") for d in milestones),
        "audit_depts": _distinct(d.get("dept") for d in tables.get("audit_items", [])),
    }


def migrate_tree(store_path: Path, tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Split a one-file tree in place: each report's records into its own file (written
    now), the record tables dropped; returns each report's summary (for the summaries
    file). Records of no stored report (ignored before, too) are dropped."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in RECORD_TABLES:
        for doc in (tree.pop(table, None) or {}).values():
            if isinstance(doc, dict) and isinstance(doc.get("_report"), str):
                grouped[doc["_report"]][table].append({k: v for k, v in doc.items() if k != "_report"})
            elif isinstance(doc, dict):  # kept for the record (a bad record is skipped at read)
                grouped["?"][table].append(doc)
    summaries: dict[str, dict[str, Any]] = {}
    for doc in (tree.get("reports") or {}).values():
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            continue
        tables = {t: grouped.get(doc["id"], {}).get(t, []) for t in RECORD_TABLES}
        write_report_file(store_path, doc["id"], tables)
        doc.pop("summary", None)
        with contextlib.suppress(KeyError, TypeError, AttributeError):  # a bad record: summarised from the models later
            summaries[doc["id"]] = summarize(tables)
    return summaries
