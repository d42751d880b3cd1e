"""The store's on-disk layout for parsed records and the compact indexes over them.

Each report's parsed records live in their own TinyDB file (``<store>.reports/<id>.json``,
written once, atomically, 0600; the id is the content hash, so the file never changes).
The catalogue (the store file itself) keeps, per report, a small summary: how many
records of each kind, the names it mentions and its milestones' dates. Indexes are
built from those summaries alone, so opening the store and resolving a name, a
department's reports or a date window never reads a report file; the records of a
report are read (and validated once) only when a lookup needs them.

Nothing here imports the parser: ``reportbot ask`` never parses."""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from tinydb import TinyDB

from bot.storage import AtomicJSONStorage

# Tables of a report file (and of the previous one-file layout, tagged with ``_report``).
RECORD_TABLES = ("departments", "budget_lines", "programs", "audit_items", "audit_summaries", "milestones")

# -- matching keys (the same as bot.ingest.text.squash, without importing the parser) -----
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,400}?/?>")
_MD_EMPH = re.compile(r"\*\*(.+?)\*\*")
_MD_HEAD = re.compile(r"^\s*#{1,6}\s+")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def squash(s: str) -> str:
    """'뉴 미 디 어 담 당 관' → '뉴미디어담당관' (NFKC, no HTML or markdown, no spaces);
    identical to ``bot.ingest.text.squash`` (a test holds them equal)."""
    s = unicodedata.normalize("NFKC", s)
    if "<" in s and ">" in s:
        s = _TAG.sub(" ", s)
    if "&" in s:
        s = html.unescape(s)
    s = _MD_EMPH.sub(r"\1", _MD_HEAD.sub("", s))
    return _SPACE.sub("", _SPACE.sub(" ", s).strip())


def name_key(s: str) -> str:
    """The handlers' matching key (handlers.names.normalize): NFKC, lower, no punctuation."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", s).lower())


# -- report files --------------------------------------------------------------------
def reports_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".reports")


def report_file(store_path: Path, report_id: str) -> Path:
    return reports_dir(store_path) / f"{report_id}.json"


def write_report_file(store_path: Path, report_id: str, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """One TinyDB file holding one report's records, replaced atomically in one write."""
    path = report_file(store_path, report_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    db = TinyDB(path, storage=AtomicJSONStorage, keep_bak=False, backups=0)
    storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
    storage._tree = {}  # a new file, whatever was there (an orphan of a killed ingest)
    with storage.batch():
        for name in RECORD_TABLES:
            rows = tables.get(name) or []
            db.table(name).insert_multiple(rows)
    db.close()
    return path


# -- summaries -----------------------------------------------------------------------
def summarize(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What the catalogue keeps of a report: counts, names, milestone dates (JSON docs in)."""
    depts: set[str] = set()
    budget_depts: set[str] = set()
    for name in ("departments",):
        depts.update(d["name"] for d in tables.get(name, []) if d.get("name"))
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


@dataclass
class NameIndex:
    """Every name the store knows, in one precomputed choice list for rapidfuzz:
    ``choices[i]`` is the matching key (``name_key``) of ``labels[i]`` as printed;
    ``kinds[key]`` says what it names (dept, budget_dept, program, row, org) and
    ``reports[(kind, key)]`` which reports hold it, so a lookup reads only those."""

    choices: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    kinds: dict[str, set[str]] = field(default_factory=dict)
    reports: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, kind: str, label: str, report_id: str) -> None:
        key = name_key(label)
        if not key:
            return
        if key not in self.kinds:
            self.kinds[key] = set()
            self.choices.append(key)
            self.labels.append(label)
        self.kinds[key].add(kind)
        rids = self.reports.setdefault((kind, key), [])
        if not rids or rids[-1] != report_id:
            rids.append(report_id)

    def report_ids(self, kind: str, name: str) -> list[str]:
        """The reports (catalogue order) in which ``name`` occurs as ``kind``."""
        return list(self.reports.get((kind, name_key(name)), []))

    def names(self, kind: str) -> list[str]:
        """Printed labels of every name of ``kind`` (one per matching key)."""
        return [label for key, label in zip(self.choices, self.labels, strict=True) if kind in self.kinds[key]]


@dataclass
class MilestoneIndex:
    """Milestones by start date, for bisect: ``starts`` sorted, ``refs[i]`` the (report
    id, position) of the milestone starting at ``starts[i]``, ``lasts[i]`` its last day;
    ``span`` the longest range, so a window scans only what can overlap it."""

    starts: list[date] = field(default_factory=list)
    lasts: list[date] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)
    span: timedelta = timedelta(0)

    @classmethod
    def build(cls, entries: list[tuple[date, date, str, int]]) -> MilestoneIndex:
        entries.sort(key=lambda e: e[0])
        idx = cls()
        idx.starts = [e[0] for e in entries]
        idx.lasts = [e[1] for e in entries]
        idx.refs = [(e[2], e[3]) for e in entries]
        idx.span = max((e[1] - e[0] for e in entries), default=timedelta(0))
        return idx

    def window(self, start: date | None, end: date | None) -> list[tuple[str, int]]:
        """Refs of milestones overlapping [start, end] (either side open), in index order."""
        lo = 0 if start is None else bisect.bisect_left(self.starts, start - self.span)
        hi = len(self.starts) if end is None else bisect.bisect_right(self.starts, end)
        if start is None:
            return self.refs[lo:hi]
        return [self.refs[i] for i in range(lo, hi) if self.lasts[i] >= start]
