"""Benchmark: does parsing grow linearly with the report's size, how many MB/s does it read,
and is a huge file refused quickly with bounded memory?

Builds reports of 0.5, 1, 2 and 4 MB by repeating the bundled corpus (a compiled volume of
several offices' reports, the way a city prints them), times `reportbot ingest` of each as a
whole process (start-up included) into a fresh store, and times the refusal of a 50 MB file.
Then the parser alone, in this process (issue 14's target: >= 2 MB/s of report text): the five
bundled reports and the 4 MB volume, best of three CPU times, the parser's caches emptied
before each run so every run reads as a fresh process would.
Writes bench/results/parse_size.json; compare the per-MB figures within one run.

    .venv/bin/python bench/parse_size.py [--sizes 0.5 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "data" / "reports").glob("*.txt"))
RESULTS = ROOT / "bench" / "results"


def build(path: Path, megabytes: float) -> int:
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in REPORTS)
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < target:
            fh.write(corpus + "\n")
            written += len(corpus.encode("utf-8")) + 1
    return path.stat().st_size


def timed(args: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, exit code, peak RSS (KB) of one whole reportbot process."""
    cmd = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "bot", *args]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    wall = time.perf_counter() - start
    rss = int(out.stderr.strip().splitlines()[-1]) if out.stderr.strip() else 0
    return wall, out.returncode, rss, out.stderr.strip().splitlines()[0] if out.stderr.strip() else ""


def parse_rate(files: list[Path], runs: int = 3) -> dict[str, float]:
    """MB/s of ``parse_file`` over ``files`` (1 MB = 1024² bytes, as above: the lower
    figure), best CPU time of ``runs``."""
    import gc

    sys.path.insert(0, str(ROOT))
    from bot.ingest.parse import parse_file

    def clear_caches() -> None:
        for name, module in list(sys.modules.items()):
            if name.startswith("bot.ingest"):
                for value in vars(module).values():
                    if hasattr(value, "cache_clear"):
                        value.cache_clear()

    for f in files:  # imports and compiled patterns, as any process pays once
        parse_file(f)
    size = sum(f.stat().st_size for f in files)
    best = float("inf")
    for _ in range(runs):
        clear_caches()
        gc.collect()
        start = time.process_time()
        for f in files:
            parse_file(f)
        best = min(best, time.process_time() - start)
    mb = size / 1024 / 1024
    return {"mb": round(mb, 2), "parse_s": round(best, 3), "mb_s": round(mb / best, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1, 2, 4])
    opts = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in opts.sizes:
            f = Path(tmp) / f"volume-{mb}MB.txt"
            size = build(f, mb)
            db = Path(tmp) / f"db-{mb}.json"
            wall, code, rss, _ = timed(["--db", str(db), "ingest", str(f)])
            rows.append({"mb": round(size / 1024 / 1024, 2), "ingest_s": round(wall, 2), "exit": code, "peak_rss_mb": round(rss / 1024, 1),
                         "s_per_mb": round(wall / (size / 1024 / 1024), 2), "mb_s": round(size / 1024 / 1024 / wall, 2)})
            print(f"{size / 1024 / 1024:6.2f} MB  ingest {wall:6.2f} s  ({wall / (size / 1024 / 1024):5.2f} s/MB, {size / 1024 / 1024 / wall:4.2f} MB/s)  peak RSS {rss / 1024:6.1f} MB  exit {code}")
        huge = Path(tmp) / "volume-50MB.txt"
        build(huge, 50)
        wall, code, rss, first = timed(["--db", str(Path(tmp) / "db-huge.json"), "ingest", str(huge)])
        print(f" 50 MB  refused in {wall:.2f} s, peak RSS {rss / 1024:.1f} MB, exit {code}: {first}")
        volume = Path(tmp) / "volume-4-inprocess.txt"
        build(volume, 4)
        rates = {"bundled_reports": parse_rate(REPORTS), "volume_4mb": parse_rate([volume])}
        for what, r in rates.items():
            print(f"parser alone, {what}: {r['mb']} MB in {r['parse_s']} s CPU = {r['mb_s']} MB/s")
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "date": time.strftime("%Y-%m-%d"),
        "sizes": rows,
        "parse_in_process": rates,
        "huge_50mb": {"seconds": round(wall, 2), "exit": code, "peak_rss_mb": round(rss / 1024, 1), "message": first},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "parse_size.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
