"""``reportbot bench``: commands, ingest, cold start and memory on scaled corpora, with
the naive TinyDB peer measured side by side in the same run.

A scaled corpus is made from the five bundled samples: copy k shifts every year back
by k % 10, puts a made-up district name before every office and department name, and
moves every figure by a few per cent — so names, years and figures vary while the text
stays the converter's. Copies and built stores are cached under data/bench-cache/
(not in git). Each scale is measured in a fresh child process (its own peak RSS).
Figures are never asserted in tests (shared noisy machines)."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "reports"
CACHE = ROOT / "data" / "bench-cache"
AS_OF = date(2021, 9, 6)
CORPUS_VERSION = 2  # bump when the generator changes (cached copies are remade; 2: Hangul-only district names)
STORE_VERSION = 3  # bump when the store's catalogue changes (2: summaries keep names in printed order; 3: summaries file)
INGEST_BATCH = 50  # reports per catalogue commit while building (Store.ingest_many)

COMMANDS: dict[str, str] = {
    "budget_dept": "/budget 뉴미디어담당관",
    "budget_program": "/budget 서울세계도시문화축제",
    "budget_typo": "/budget 뉴미디어담당과",
    "budget_compare": "/budget 뉴미디어담당관 비교",
    "program": "/program 명예시민",
    "audit_open": "/audit open",
    "upcoming_30": "/upcoming 30",
    "upcoming_dept": "/upcoming 국제교류담당관",
    "digest": "/digest",
}

_FIRST = "가나다라마바사아자차카타파하강남서북동중"
_SECOND = "온람솔빛누리들샘결봄"
_THIRD = "미연린우진윤채슬별담"
_OFFICE = re.compile(r"([가-힣]{2,12})(담당관|기획관|조정실|비서실|본부)")
_YEAR4 = re.compile(r"(?<!\d)(20[0-2]\d)(?!\d)")
_YEAR2 = re.compile(r"(?<=['’‘])(\d\d)(?=\s?[.년])")
_FIGURE = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")


def district(k: int) -> str:
    """A made-up district name for copy k: two syllables, a third past copy 200 (then a
    fourth past 2,000), Hangul only — the parser reads an office name's letters, so a
    digit would be dropped and copies k and k + 200 would name the same office."""
    a, b = _FIRST[k % len(_FIRST)], _SECOND[(k // len(_FIRST)) % len(_SECOND)]
    n = k // (len(_FIRST) * len(_SECOND))
    tail = ""
    while n:
        n -= 1
        tail += _THIRD[n % len(_THIRD)]
        n //= len(_THIRD)
    return f"{a}{b}{tail}"


def vary(text: str, k: int) -> str:
    """Copy k of a sample: names, years and figures varied (k = 0 is the sample)."""
    if k == 0:
        return text
    shift = k % 10
    prefix = district(k)
    factor = 1 + (((k * 37) % 21) - 10) / 100
    text = _OFFICE.sub(lambda m: prefix + m.group(1) + m.group(2), text)
    text = _YEAR4.sub(lambda m: str(int(m.group(1)) - shift), text)
    text = _YEAR2.sub(lambda m: f"{(int(m.group(1)) - shift) % 100:02d}", text)
    return _FIGURE.sub(lambda m: f"{round(int(m.group(0).replace(',', '')) * factor):,}", text)


def corpus(scale: int, cache: Path = CACHE) -> list[Path]:
    """The report files of ``scale`` × the samples (made once, cached)."""
    folder = cache / f"corpus-v{CORPUS_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    out = []
    for k in range(scale):
        for s in samples:
            if k == 0:
                out.append(s)
                continue
            target = folder / f"k{k:04d}_{s.name}"
            if not target.exists():
                tmp = target.with_suffix(".tmp")
                tmp.write_text(vary(s.read_text(encoding="utf-8"), k), encoding="utf-8")
                os.replace(tmp, target)
            out.append(target)
    return out


def _parse(path: Path) -> Any:
    from bot.ingest import parse_file

    return parse_file(path)


def build_store(scale: int, cache: Path = CACHE, workers: int = 2) -> tuple[Path, dict[str, Any]]:
    """The store of ``scale`` (built once, cached): parsed in ``workers`` processes,
    ingested ``INGEST_BATCH`` reports per catalogue commit (``Store.ingest_many``)."""
    from bot.clock import FixedClock
    from bot.store import Store

    db = cache / f"store-v{CORPUS_VERSION}.{STORE_VERSION}-x{scale}" / "db.json"
    marker = db.with_name("built.json")
    if marker.exists() and db.exists():
        return db, json.loads(marker.read_text(encoding="utf-8"))
    if db.parent.exists():
        shutil.rmtree(db.parent)
    db.parent.mkdir(parents=True)
    files = corpus(scale, cache)
    size = sum(p.stat().st_size for p in files)
    store = Store(db, clock=FixedClock(AS_OF), backups=2)
    t0 = time.perf_counter()
    ingest_s = 0.0
    batch: list[Any] = []
    with ProcessPoolExecutor(workers) as pool:
        for i, parsed in enumerate(pool.map(_parse, files, chunksize=4), start=1):
            batch.append(parsed)
            if len(batch) == INGEST_BATCH or i == len(files):
                t1 = time.perf_counter()
                store.ingest_many(batch, force=True)
                ingest_s += time.perf_counter() - t1
                batch = []
    wall = time.perf_counter() - t0
    store.close()
    info = {"reports": len(files), "text_mb": round(size / 2**20, 2), "build_s": round(wall, 2), "store_ingest_s": round(ingest_s, 2)}
    marker.write_text(json.dumps(info), encoding="utf-8")
    return db, info


# -- measured in a child process (its own memory) -----------------------------------
def _pcts(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    p99 = s[min(len(s) - 1, round(0.99 * (len(s) - 1)))]
    return {"p50_ms": round(statistics.median(s) * 1000, 3), "p99_ms": round(p99 * 1000, 3), "calls": len(s)}


def measure_commands(db: Path | str, calls: int, extra: Path | None) -> dict[str, Any]:
    """Open the store (a TinyDB file, or a PostgreSQL URL: ``--db``), answer every command
    ``calls`` times (dispatch + store + text), ingest one more report; peak RSS of this process."""
    from bot.clock import FixedClock
    from bot.config import Settings
    from bot.pgstore import open_store
    from handlers.commands import build_registry
    from handlers.context import Context
    from handlers.dispatch import handle
    from handlers.render_text import render

    clock = FixedClock(AS_OF)
    t0 = time.perf_counter()
    store = open_store(db, clock=clock)
    store.check(records=False)
    ctx = Context(store=store, clock=clock, settings=Settings(), commands=build_registry())
    first = render(handle(COMMANDS["budget_dept"], ctx))
    out: dict[str, Any] = {"open_to_first_answer_s": round(time.perf_counter() - t0, 3), "first_answer_chars": len(first)}
    cmds: dict[str, Any] = {}
    for name, text in COMMANDS.items():
        for _ in range(3):
            render(handle(text, ctx))
        samples = []
        for _ in range(calls):
            t1 = time.perf_counter()
            render(handle(text, ctx))
            samples.append(time.perf_counter() - t1)
        cmds[name] = _pcts(samples)
    out["commands"] = cmds
    if extra is not None:
        from bot.ingest import parse_file

        t1 = time.perf_counter()
        parsed = parse_file(extra)
        t2 = time.perf_counter()
        outcome = store.ingest(parsed, force=True)
        t3 = time.perf_counter()
        out["one_more_ingest"] = {"parse_s": round(t2 - t1, 3), "store_s": round(t3 - t2, 3), "total_s": round(t3 - t1, 3)}
        store.remove_report(outcome.report.id)  # the cached store stays as built
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["report_files_read"] = store.report_reads
    return out


def one_file_tree(db: Path) -> dict[str, Any]:
    """The store as one TinyDB document (the previous layout): what a plain TinyDB app keeps."""
    from bot.store import RECORD_TABLES, report_file

    cat = json.loads(db.read_text(encoding="utf-8"))
    tree: dict[str, Any] = {t: {} for t in RECORD_TABLES}
    tree["reports"] = {}
    for doc_id, doc in cat.get("reports", {}).items():
        tree["reports"][doc_id] = {k: v for k, v in doc.items() if k != "summary"}
        recs = json.loads(report_file(db, doc["id"]).read_text(encoding="utf-8"))
        for t in RECORD_TABLES:
            for rec in recs.get(t, {}).values():
                tree[t][str(len(tree[t]) + 1)] = {"_report": doc["id"], **rec}
    return tree


def naive_lookups() -> dict[str, Any]:
    """The same questions as TinyDB apps usually ask them: one ``search()`` per lookup."""
    from rapidfuzz import fuzz
    from tinydb import Query

    q = Query()
    today = AS_OF.isoformat()
    in30 = (AS_OF + timedelta(days=30)).isoformat()
    in14 = (AS_OF + timedelta(days=14)).isoformat()

    def fuzzy(v: Any) -> bool:
        return isinstance(v, str) and fuzz.WRatio("뉴미디어담당과", v) >= 85

    return {
        "budget_dept": [("budget_lines", q.dept == "뉴미디어담당관")],
        "budget_program": [("budget_lines", q.name == "서울세계도시문화축제")],
        "budget_typo": [("budget_lines", q.dept.test(fuzzy))],
        "budget_compare": [("budget_lines", q.dept == "뉴미디어담당관"), ("reports", q.id.exists())],
        "program": [("programs", q.title.search("명예시민"))],
        "audit_open": [("audit_items", q.status != "완료")],
        "upcoming_30": [("milestones", (q.start >= today) & (q.start <= in30))],
        "upcoming_dept": [("milestones", (q.dept == "국제교류담당관") & (q.start >= today))],
        "digest": [
            ("milestones", (q.start >= today) & (q.start <= in14)),
            ("audit_items", q.status != "완료"),
            ("budget_lines", q.values["집행률"].exists()),
        ],
    }


def measure_naive(db: Path, calls: int, budget_s: float, caching: bool) -> dict[str, Any]:
    """The naive peer on the same data: TinyDB's default JSONStorage (re-reads the file
    per search), or CachingMiddleware (reads once, scans memory). Query caches cleared:
    every call is a new question."""
    from tinydb import TinyDB
    from tinydb.middlewares import CachingMiddleware
    from tinydb.storages import JSONStorage

    path = db.with_name("naive-one-file.json")
    if not path.exists() or path.stat().st_mtime < db.stat().st_mtime:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(one_file_tree(db), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    tdb = TinyDB(path, storage=CachingMiddleware(JSONStorage)) if caching else TinyDB(path, encoding="utf-8")
    out: dict[str, Any] = {}
    for name, searches in naive_lookups().items():
        samples: list[float] = []
        spent = 0.0
        while len(samples) < calls and (spent < budget_s or len(samples) < 3):
            t1 = time.perf_counter()
            for table, cond in searches:
                tbl = tdb.table(table)
                tbl.clear_cache()
                tbl.search(cond)
            samples.append(time.perf_counter() - t1)
            spent += samples[-1]
        out[name] = _pcts(samples)
    tdb.close()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _child(variant: str, db: str, calls: int, extra: str, budget_s: float) -> None:
    """One measurement in a fresh process (its own memory): ``variant`` is the store measured,
    ours | naive (plain TinyDB) | caching (TinyDB with CachingMiddleware)."""
    if variant == "ours":
        from bot.pgstore import is_pg_url

        res = measure_commands(db if is_pg_url(db) else Path(db), calls, Path(extra) if extra else None)
    else:
        res = measure_naive(Path(db), calls, budget_s, caching=variant == "caching")
    sys.stdout.write("\nBENCH-JSON " + json.dumps(res, ensure_ascii=False) + "\n")


def _run_child(variant: str, db: Path | str, calls: int, extra: Path | None = None, budget_s: float = 20.0) -> dict[str, Any]:
    code = f"from bot.bench import _child; _child({variant!r}, {str(db)!r}, {calls}, {str(extra or '')!r}, {budget_s})"
    env = {**os.environ, "REPORTBOT_LOG_JSON": "0"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child {variant} failed: {proc.stderr[-2000:]}")
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH-JSON "))
    return json.loads(line[len("BENCH-JSON "):])


def cold_start(db: Path | str, runs: int) -> dict[str, float]:
    """``reportbot ask`` as a whole process, start to answer: median of ``runs``."""
    exe = Path(sys.executable).with_name("reportbot")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    cmd += ["--db", str(db), "ask", "--as-of", AS_OF.isoformat(), COMMANDS["budget_dept"]]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, timeout=600)
        samples.append(time.perf_counter() - t0)
    return {"median_s": round(statistics.median(samples), 3), "runs": runs}


def ingest_rate(repeat: int = 3) -> dict[str, float]:
    """Report text ingested per second (parse + store) on the five samples, fresh store."""
    import tempfile

    from bot.clock import FixedClock
    from bot.ingest import parse_file
    from bot.store import Store

    files = sorted(SAMPLES.glob("*.txt"))
    size = sum(p.stat().st_size for p in files)
    best_total = best_parse = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "db.json", clock=FixedClock(AS_OF))
            t0 = time.perf_counter()
            parsed = [parse_file(p) for p in files]
            t1 = time.perf_counter()
            for p in parsed:
                store.ingest(p)
            t2 = time.perf_counter()
        best_total, best_parse = min(best_total, t2 - t0), min(best_parse, t1 - t0)
    mb = size / 2**20
    return {"ingest_mb_s": round(mb / best_total, 2), "parse_mb_s": round(mb / best_parse, 2), "text_mb": round(mb, 3)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def run(scales: list[int], quick: bool, out: Path | None, cache: Path = CACHE, echo: Any = print, pg: str | None = None) -> dict[str, Any]:
    """Measure at each scale. ``pg``: a PostgreSQL server URL — our store is then a copy of
    each scaled store in that database (schema ``reportbot_bench_x<scale>``, kept between
    runs), the peers stay TinyDB."""
    calls = 200 if quick else 1000
    naive_calls = 50 if quick else 1000
    naive_budget = 2.0 if quick else 20.0
    result: dict[str, Any] = {"date": date.today().isoformat(), "machine": machine(), "quick": quick, "calls": calls, "scales": {}}
    result["backend"] = "postgresql" if pg else "tinydb"
    result.update(ingest_rate(1 if quick else 3))
    for scale in scales:
        t0 = time.perf_counter()
        db, info = build_store(scale, cache)
        echo(f"{scale}x: {info['reports']} reports ready ({time.perf_counter() - t0:.1f} s; built in {info['build_s']} s)")
        extra = corpus(scale + 1, cache)[-1]  # the next copy's last sample: a report the store lacks
        ours_db: Path | str = db
        if pg:
            from bot.pgstore.migrate import copy_into_schema

            ours_db = copy_into_schema(db, pg, f"reportbot_bench_x{scale}", info["reports"])
        ours = _run_child("ours", ours_db, calls, extra)
        naive = _run_child("naive", db, naive_calls, budget_s=naive_budget)
        caching = _run_child("caching", db, naive_calls, budget_s=naive_budget)
        cold = cold_start(ours_db, 3 if quick else 5)
        result["scales"][str(scale)] = {"reports": info["reports"], "build": info, "ours": ours, "naive": naive, "caching": caching, "cold_start": cold}
    first, last = str(scales[0]), str(scales[-1])
    big = result["scales"][last]
    cmds = big["ours"]["commands"]
    slowest = max(cmds, key=lambda c: cmds[c]["p50_ms"])
    result.update(
        {
            "sample": result["scales"][first]["ours"]["commands"],
            "scaled": cmds,
            "scaled_scale": int(last),
            "scaled_reports": big["reports"],
            "naive": {k: v for k, v in big["naive"].items() if k in COMMANDS},
            "caching": {k: v for k, v in big["caching"].items() if k in COMMANDS},
            "naive_ratio": round(big["naive"][slowest]["p50_ms"] / max(cmds[slowest]["p50_ms"], 1e-6), 2),
            "naive_ratio_command": slowest,
            "cold_start_s": big["cold_start"]["median_s"],
            "peak_rss_mb": big["ours"]["peak_rss_mb"],
            "one_more_ingest_s": big["ours"].get("one_more_ingest", {}).get("total_s"),
        }
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def table(result: dict[str, Any]) -> Any:
    """The result as a rich table: per scale and command, our p50/p99 beside the peers'."""
    from rich.table import Table

    t = Table(title=f"reportbot bench — {result['date']} — {result['machine']}")
    t.add_column("scale")
    t.add_column("command")
    t.add_column("ours p50 / p99 ms", justify="right")
    t.add_column("TinyDB JSONStorage p50 ms", justify="right")
    t.add_column("TinyDB Caching p50 ms", justify="right")
    t.add_column("naive / ours", justify="right")
    for scale, s in result["scales"].items():
        for name, v in s["ours"]["commands"].items():
            n, c = s["naive"][name], s["caching"][name]
            t.add_row(
                f"{scale}x ({s['reports']})", name, f"{v['p50_ms']:.2f} / {v['p99_ms']:.2f}", f"{n['p50_ms']:.1f}", f"{c['p50_ms']:.2f}",
                f"{n['p50_ms'] / max(v['p50_ms'], 1e-6):.0f}x",
            )
        ing = s["ours"].get("one_more_ingest", {})
        t.add_row(
            f"{scale}x", "store", f"open→answer {s['ours']['open_to_first_answer_s']} s", f"cold ask {s['cold_start']['median_s']} s",
            f"RSS {s['ours']['peak_rss_mb']} MB", f"+1 ingest {ing.get('total_s')} s",
        )
    return t
