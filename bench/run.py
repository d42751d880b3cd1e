"""Benchmarks: parse speed, store build, lookup latency and memory.

Writes bench/results/latest.json. Figures are compared as ratios taken in the same
run (the machines are shared and noisy), never asserted in tests.

    .venv/bin/python bench/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import FixedClock  # noqa: E402
from bot.ingest import parse_file  # noqa: E402
from bot.ingest.text import load_document  # noqa: E402
from bot.store import Store  # noqa: E402

REPORTS = sorted((ROOT / "data" / "reports").glob("*.txt"))
LOOKUPS = [
    "/budget 뉴미디어담당관",
    "/budget 뉴 미디어 담당과",
    "/budget 뉴미디어 2018",
    "/budget 서울세계도시문화축제",
    "/program 명예시민",
    "/audit 도시브랜드담당관",
    "/audit open",
    "/upcoming 90",
    "/upcoming 국제교류담당관",
    "/help",
]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "min_s": round(min(samples), 6),
        "median_s": round(statistics.median(samples), 6),
        "max_s": round(max(samples), 6),
    }


def bench_parse(repeat: int) -> dict:
    read = timed(lambda: [load_document(p) for p in REPORTS], repeat)
    parse = timed(lambda: [parse_file(p) for p in REPORTS], repeat)
    per_report = {p.name: summary(timed(lambda p=p: parse_file(p), repeat)) for p in REPORTS}
    return {
        "reports": len(REPORTS),
        "read_and_decode_all": summary(read),
        "parse_all": summary(parse),
        "parse_vs_read_ratio": round(statistics.median(parse) / statistics.median(read), 1),
        "per_report": per_report,
    }


def bench_store(repeat: int) -> dict:
    parsed = [parse_file(p) for p in REPORTS]
    clock = FixedClock(date(2021, 9, 6))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "db.json"

        def build() -> Store:
            if path.exists():
                path.unlink()
            s = Store(path, clock=clock)
            for p in parsed:
                s.ingest(p)
            return s

        build_times = timed(build, repeat)
        store = build()
        size = path.stat().st_size
        open_times = timed(lambda: Store(path, clock=clock).budget_lines(), repeat)
        store.budget_lines()
        n = 2000
        mem = timed(lambda: [store.budget_lines_for_dept("뉴미디어담당관") for _ in range(n)], 3)

        from tinydb import Query, TinyDB

        naive_db = TinyDB(path)  # TinyDB's own JSONStorage: re-reads the file per search
        q = Query()
        table = naive_db.table("budget_lines")

        def naive_lookups() -> None:
            for _ in range(20):
                table.clear_cache()  # TinyDB caches query results; a fresh question re-reads the file
                table.search(q.dept == "뉴미디어담당관")

        naive = timed(naive_lookups, 3)
        naive_db.close()
        per_lookup_mem = statistics.median(mem) / n
        per_lookup_naive = statistics.median(naive) / 20
        return {
            "store_bytes": size,
            "build_from_parsed_5_reports": summary(build_times),
            "open_and_index": summary(open_times),
            "dept_lookup_in_memory_s": round(per_lookup_mem, 9),
            "dept_lookup_tinydb_jsonstorage_s": round(per_lookup_naive, 6),
            "naive_vs_memory_ratio": round(per_lookup_naive / per_lookup_mem),
        }


def bench_handlers(repeat: int) -> dict | None:
    try:
        from handlers.commands import build_registry
        from handlers.context import Context
        from handlers.dispatch import handle
    except ModuleNotFoundError:
        return None
    clock = FixedClock(date(2021, 9, 6))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.json", clock=clock)
        for p in REPORTS:
            store.ingest(parse_file(p))
        ctx = Context(store=store, clock=clock, commands=build_registry())
        for cmd in LOOKUPS:  # warm the index and imports
            handle(cmd, ctx)
        out = {}
        for cmd in LOOKUPS:
            out[cmd] = summary(timed(lambda cmd=cmd: handle(cmd, ctx), repeat * 5))
        worst = max(v["median_s"] for v in out.values())
        return {"per_command": out, "worst_median_s": worst}


def bench_cli_parse(repeat: int) -> dict:
    """`reportbot parse` on the whole corpus as a user runs it: one process, start-up included."""
    import subprocess

    cmd = [sys.executable, "-m", "bot", "parse", *map(str, REPORTS), "--json"]
    samples = timed(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT), repeat)
    startup = timed(lambda: subprocess.run([sys.executable, "-m", "bot", "--help"], check=True, capture_output=True, cwd=ROOT), repeat)
    return {"parse_all_one_process": summary(samples), "cli_startup_only": summary(startup)}


def bench_memory() -> dict:
    tracemalloc.start()
    clock = FixedClock(date(2021, 9, 6))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.json", clock=clock)
        for p in REPORTS:
            store.ingest(parse_file(p))
        store.budget_lines()
        current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "python_heap_after_build_mb": round(current / 2**20, 2),
        "python_heap_peak_mb": round(peak / 2**20, 2),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = ap.parse_args()
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "parse": bench_parse(args.repeat),
        "store": bench_store(args.repeat),
        "handlers": bench_handlers(args.repeat),
        "cli": bench_cli_parse(max(3, args.repeat // 2)),
        "memory": bench_memory(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    p = result["parse"]
    print(f"parse all {p['reports']} reports: median {p['parse_all']['median_s']*1000:.1f} ms "
          f"({p['parse_vs_read_ratio']}x reading them)")
    s = result["store"]
    print(f"store: build {s['build_from_parsed_5_reports']['median_s']*1000:.1f} ms, "
          f"open+index {s['open_and_index']['median_s']*1000:.1f} ms, dept lookup {s['dept_lookup_in_memory_s']*1e6:.1f} µs "
          f"({s['naive_vs_memory_ratio']}x faster than a TinyDB JSONStorage search)")
    c = result["cli"]
    print(f"reportbot parse (5 reports, one process): median {c['parse_all_one_process']['median_s']*1000:.0f} ms "
          f"(of which start-up {c['cli_startup_only']['median_s']*1000:.0f} ms)")
    if result["handlers"]:
        print(f"handlers: worst median {result['handlers']['worst_median_s']*1000:.2f} ms per command")
    m = result["memory"]
    print(f"memory: heap {m['python_heap_after_build_mb']} MB (peak {m['python_heap_peak_mb']} MB), max RSS {m['process_max_rss_mb']} MB")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
