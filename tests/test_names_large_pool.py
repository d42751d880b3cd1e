"""Resolving a name among thousands (a city's ten years of reports): the narrowed fuzzy
pass finds exactly what scoring every name finds."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from bot.bench import district
from bot.lookups.names import CLOSEST_CUTOFF, FUZZY_CUTOFF, PREFILTER_MIN, Pool, normalize, resolve_in

DEPTS = ["뉴미디어담당관", "국제교류담당관", "시민소통기획관", "기획조정실", "시장비서실", "예산담당관", "재정관리담당관", "홍보기획관"]


def _city() -> Pool:
    names = [f"{district(k)}{d}" for k in range(1, 400) for d in DEPTS] + DEPTS
    pool = Pool(names)
    assert len(pool) >= PREFILTER_MIN
    return pool


def test_a_slipped_syllable_finds_the_department_among_thousands() -> None:
    kind, res = resolve_in("뉴미디어담당과", [("dept", _city())])
    assert kind == "dept"
    assert res.found and res.value == "뉴미디어담당관"


def test_narrowed_fuzzy_pass_scores_the_same_names_as_scoring_all() -> None:
    pool = _city()
    keys = pool.keys_list
    rng = random.Random(7)
    for _ in range(150):
        chars = list(rng.choice(keys))
        for _ in range(rng.randint(0, 3)):
            pos = rng.randrange(len(chars))
            chars[pos] = rng.choice("가나다뉴미디어담당관과실국")
        q = normalize("".join(chars)[: rng.randint(2, 12)])
        for cutoff in (FUZZY_CUTOFF, CLOSEST_CUTOFF):
            every = process.extract(q, keys, scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff)
            narrowed = process.extract(q, pool.reachable(q, cutoff), scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff)
            assert [(k, s) for k, s, _ in narrowed] == [(k, s) for k, s, _ in every], q


def test_names_holding_a_word_are_found_among_thousands_in_pool_order() -> None:
    pool = _city()
    keys = pool.keys_list
    rng = random.Random(11)
    queries = ["미디어", "담당관", "가온", "온뉴", "관", "없는이름"] + [k[i : i + rng.randint(1, 5)] for k in rng.sample(keys, 40) for i in (0, 2)]
    for q in queries:
        assert pool.containing(q) == [k for k in keys if q in k], q
    _, res = resolve_in("온국제교류", [("dept", pool)])
    assert res.outcome == "many" and all("온국제교류" in normalize(c) for c in res.candidates)
