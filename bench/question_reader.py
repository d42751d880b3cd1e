"""Rules or a morphological analyser for the question reader? Measured on the question set.

Runs every question of tests/test_questions.py (corpus questions on 2021-09-06, the
made-up office's on 2023-09-06) through the whole answer path twice:

- ``rules``: handlers/question.py as shipped (a particle list strips 의/은/이랑/에서 …);
- ``kiwi``: the same reader and slot filling, but each word's particles, copulas and
  endings are cut where kiwipiepy's analysis of the whole question puts them
  ('뉴미디어담당관의' → '뉴미디어담당관', '언제야' → '언제').

Reports, for each: questions right, wrong answers (a fact that must never appear did),
the failures, and time per question (read + answer; the analyser's model load apart).
kiwipiepy is not a dependency of the project: install it into the venv to run this
(`.venv/bin/pip install kiwipiepy`).

    .venv/bin/python bench/question_reader.py [--out bench/results/question_reader.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import handlers.question as question  # noqa: E402
from tests.test_questions import C, H, Q, _ask  # noqa: E402

CORPUS_DAY = date(2021, 9, 6)
MADE_DAY = date(2023, 9, 6)
CUT_TAGS = ("J", "E", "VCP", "SF", "SP", "SS", "SE", "SO", "SW")  # what follows a word's stem


def _stores(tmp: Path) -> tuple[object, object]:
    from bot.clock import FixedClock
    from bot.runtime import build_store_from_corpus
    from bot.store import Store
    from tests.conftest import REPORTS
    from tests.handmade import build_store

    corpus = Store(tmp / "corpus" / "db.json", clock=FixedClock(CORPUS_DAY))
    build_store_from_corpus(corpus, REPORTS)
    return corpus, build_store(tmp / "made" / "db.json")


def kiwi_stems(kiwi: object) -> Callable[[str], dict[str, str]]:
    """Question → {word as written: the word without what the analyser tagged as its
    particles, copula, endings or punctuation}."""

    def stems(text: str) -> dict[str, str]:
        out: dict[str, str] = {}
        tokens = kiwi.tokenize(text)  # type: ignore[attr-defined]
        pos = 0
        for word in text.split():
            start = text.index(word, pos)
            end = start + len(word)
            pos = end
            inside = [t for t in tokens if start <= t.start < end]
            cut = end
            for t in reversed(inside):  # trailing particles and endings, from the end
                if t.tag.startswith(CUT_TAGS) and t.start > start:
                    cut = t.start
                else:
                    break
            out[word] = text[start:cut] or word
            for p in "?!.,~":
                out.setdefault(word.rstrip(p), out[word])
        return out

    return stems


@contextmanager
def kiwi_reader(stems: Callable[[str], dict[str, str]]) -> Iterator[None]:
    """The shipped reader with its particle rule replaced by the analyser's cut."""
    rule = question._strip_particle
    original_read = question.read
    current: dict[str, str] = {}

    def strip(word: str, keep: int = 2) -> str:
        stem = current.get(word)
        if stem is None or len(stem) < keep:
            return word
        return stem

    def read(text: str, ctx: object) -> question.Reading:
        current.clear()
        current.update(stems(text))
        return original_read(text, ctx)  # type: ignore[arg-type]

    question._strip_particle = strip  # type: ignore[assignment]
    question.read = read  # type: ignore[assignment]
    try:
        yield
    finally:
        question._strip_particle = rule  # type: ignore[assignment]
        question.read = original_read  # type: ignore[assignment]


def run_set(corpus: object, made: object) -> dict:
    """Every question once; the first run of the set warms caches, so run it twice and keep the second."""
    import tests.test_questions as tq

    tq.read = question.read  # the question set's slot check reads through the same reader
    results = []
    for _ in range(2):
        results = []
        for store, day, qs in ((corpus, CORPUS_DAY, C), (made, MADE_DAY, H)):
            for q in qs:
                t0 = time.perf_counter()
                problems, _ = _ask(store, day, q)
                results.append((q, problems, time.perf_counter() - t0))
    return _summary(results)


def _summary(results: list[tuple[Q, list[str], float]]) -> dict:
    failed = [(q.text, p) for q, p, _ in results if p]
    wrong = [(q.text, [x for x in p if x.startswith("WRONG")]) for q, p, _ in results if any(x.startswith("WRONG") for x in p)]
    times = [t for _, _, t in results]
    return {
        "questions": len(results),
        "right": len(results) - len(failed),
        "pass_rate": round(1 - len(failed) / len(results), 4),
        "wrong_answers": len(wrong),
        "wrong": [{"question": t, "problems": p} for t, p in wrong],
        "failures": [{"question": t, "problems": p} for t, p in failed],
        "ms_per_question_mean": round(statistics.fmean(times) * 1000, 2),
        "ms_per_question_median": round(statistics.median(times) * 1000, 2),
        "ms_per_question_p95": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 2),
    }


def _differences(texts: list[str], stems: Callable[[str], dict[str, str]]) -> dict:
    """Words of the question set whose stem the two readers cut differently: the only
    place the variants can differ."""
    words = diff = 0
    examples: list[str] = []
    for text in texts:
        cut = stems(text)
        for raw in text.split():
            for word in question._PUNCT.sub(" ", raw).split():  # the words the particle rule sees
                words += 1
                rule, kiwi = question._strip_particle(word), cut.get(word, word)
                if rule != kiwi:
                    diff += 1
                    if len(examples) < 40:
                        examples.append(f"{word}: rules '{rule}' / kiwi '{kiwi}'")
    return {"words": words, "different": diff, "examples": examples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "question_reader.json")
    args = ap.parse_args()
    out: dict = {"python": platform.python_version(), "machine": platform.machine()}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, made = _stores(Path(tmp))
        out["rules"] = run_set(corpus, made)
        try:
            import kiwipiepy
            from kiwipiepy import Kiwi
        except ImportError:
            out["kiwi"] = {"error": "kiwipiepy is not installed (.venv/bin/pip install kiwipiepy)"}
        else:
            t0 = time.perf_counter()
            kiwi = Kiwi()
            kiwi.tokenize("뉴미디어담당관 예산")
            load = time.perf_counter() - t0
            with kiwi_reader(kiwi_stems(kiwi)):
                out["kiwi"] = run_set(corpus, made)
            out["kiwi"]["version"] = kiwipiepy.__version__
            out["kiwi"]["model_load_s"] = round(load, 2)
            # what the analyser alone costs per question
            texts = [q.text for q in C + H if not q.text.startswith("/")]
            t0 = time.perf_counter()
            for t in texts:
                kiwi.tokenize(t)
            out["kiwi"]["ms_tokenise_only_mean"] = round((time.perf_counter() - t0) / len(texts) * 1000, 3)
            out["words_cut_differently"] = _differences(texts, kiwi_stems(kiwi))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name in ("rules", "kiwi"):
        r = out[name]
        if "error" in r:
            print(f"{name}: {r['error']}")
            continue
        print(
            f"{name}: {r['right']}/{r['questions']} right ({r['pass_rate']:.1%}), {r['wrong_answers']} wrong, "
            f"{r['ms_per_question_mean']} ms/question (median {r['ms_per_question_median']}, p95 {r['ms_per_question_p95']})"
        )
        for f in r["failures"]:
            print(f"   FAIL {f['question']!r}: {'; '.join(f['problems'])}")
    if "words_cut_differently" in out:
        d = out["words_cut_differently"]
        print(f"words cut differently: {d['different']} of {d['words']}")
        for e in d["examples"][:15]:
            print(f"   {e}")
    print(f"→ {args.out}")


if __name__ == "__main__":
    main()
