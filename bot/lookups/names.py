"""Loose but safe name resolution: what a person typed → one name, a short list, or none.

Staff type names the way they remember them: with or without spaces ("뉴 미디어"),
partially ("뉴미디어"), with a slipped syllable ("뉴미디어담당과"), or pasted with
full-width characters. Matching ignores all that, and rapidfuzz scores what is left.
It only answers when one name clearly wins; when several are close it returns them
to choose from instead of guessing (a wrong budget figure is worse than a question).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from bot.keys import name_key

MAX_CANDIDATES = 5
MIN_QUERY = 2  # one syllable matches too much to be a name
FUZZY_CUTOFF = 75.0  # below this a fuzzy score is noise for Korean names
WIN_SCORE = 80.0
WIN_MARGIN = 8.0  # a fuzzy winner must lead the runner-up by this much
CLOSEST_CUTOFF = 45.0
PREFILTER_MIN = 2000  # below this many names, scoring them all is as quick as narrowing first


def normalize(text: str) -> str:
    """The one matching key (``bot.keys.name_key``, which the store's indexes use too):
    NFKC, lower case, no spaces or punctuation ('「2021 서울」 축제' → '2021서울축제')."""
    return name_key(text)


@dataclass
class Resolution:
    """``outcome`` one: ``value`` is the answer; many: ``candidates`` to pick from; none:
    ``closest`` as a hint (never used as an answer)."""

    outcome: Literal["one", "many", "none"]
    value: str | None = None
    candidates: list[str] = field(default_factory=list)
    closest: list[str] = field(default_factory=list)
    more: int = 0  # how many further candidates were left off

    @property
    def found(self) -> bool:
        return self.outcome == "one"


def _unique(names: Iterable[str]) -> dict[str, str]:
    """key → the first display form seen (callers pass names newest first)."""
    out: dict[str, str] = {}
    for n in names:
        k = normalize(n)
        if k and k not in out:
            out[k] = n
    return out


def _many(found: list[str]) -> Resolution:
    return Resolution(outcome="many", candidates=found[:MAX_CANDIDATES], more=max(0, len(found) - MAX_CANDIDATES))


def _exact(q: str, pool: dict[str, str]) -> Resolution | None:
    return Resolution(outcome="one", value=pool[q]) if q in pool else None


def _containing(q: str, pool: dict[str, str]) -> Resolution | None:
    found = pool.containing(q) if isinstance(pool, Pool) and len(pool) >= PREFILTER_MIN else [k for k in pool if q in k]
    if not found:
        return None
    if len(found) == 1:
        return Resolution(outcome="one", value=pool[found[0]])
    # Shortest first: the tighter the fit, the likelier the meant name.
    found.sort(key=lambda k: (len(k) - len(q), k))
    return _many([pool[k] for k in found])


def _fuzzy(q: str, pool: dict[str, str]) -> Resolution | None:
    scored = _scored(q, pool, FUZZY_CUTOFF)
    if not scored:
        return None
    top_key, top, _ = scored[0]
    second = scored[1][1] if len(scored) > 1 else 0.0
    if top >= WIN_SCORE and top - second >= WIN_MARGIN:
        return Resolution(outcome="one", value=pool[top_key])
    # Close to each other (or alone but under the winning bar): offer, don't answer.
    return _many([pool[k] for k, s, _ in scored if top - s < WIN_MARGIN])


_STAGES = (_exact, _containing, _fuzzy)


def _scored(q: str, pool: dict[str, str], cutoff: float) -> list[tuple[str, float, int]]:
    """``process.extract(q, keys, WRatio, cutoff)``: on a large pool, scored only over the
    names that can reach ``cutoff`` (``Pool.reachable``), the same hits in the same order."""
    keys = _keys(pool)
    if isinstance(pool, Pool) and len(keys) >= PREFILTER_MIN and not any(ch.isspace() for ch in q):
        keys = pool.reachable(q, cutoff)
    return process.extract(q, keys, scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff)


class Pool(dict[str, str]):
    """One kind of name, prepared once: matching key → the first printed form seen, and
    the keys as a list for rapidfuzz (never rebuilt per question)."""

    def __init__(self, names: Iterable[str] | dict[str, str] = ()) -> None:
        super().__init__(names if isinstance(names, dict) else _unique(names))
        self.keys_list = list(self)
        self._lengths: np.ndarray | None = None  # key lengths, for ``reachable``; None: not made yet
        self._spaced: bool | None = None  # a key holds whitespace (then ``reachable`` keeps them all)
        self._joined: tuple[str, list[int]] | None = None  # the keys in one text, each key's offset

    def containing(self, q: str) -> list[str]:
        """The keys holding ``q``, in pool order: found in one text of every key (keys are
        one word, never a newline; ``q`` holds none either), not a test per key."""
        if self._joined is None:
            starts, at = [], 0
            for k in self.keys_list:
                starts.append(at)
                at += len(k) + 1
            text = "\n".join(self.keys_list)
            self._joined = (text, starts) if text.count("\n") == max(len(starts) - 1, 0) else ("", [])
        text, starts = self._joined
        found: list[str] = []
        if not q or "\n" in q or not starts:  # a key with a newline in it: a test per key
            return [k for k in self.keys_list if q in k]
        i = text.find(q)
        while i >= 0:
            n = bisect.bisect_right(starts, i) - 1
            found.append(self.keys_list[n])
            i = text.find(q, starts[n] + len(self.keys_list[n]) + 1)  # on from the next key
        return found

    def reachable(self, q: str, cutoff: float) -> list[str]:
        """The keys (in pool order) whose WRatio with ``q`` may reach ``cutoff``. Keys and
        query are one word (no whitespace), so every ratio WRatio takes is at most
        200·L / (m + L), L the longest common subsequence and m the shorter length; L for
        every key is one vectorised rapidfuzz call, far cheaper than WRatio itself
        (16,000 department names at 1,000x: 8 ms → 1.3 ms)."""
        if self._spaced is None:
            self._spaced = any(ch.isspace() for k in self.keys_list for ch in k)
            self._lengths = np.fromiter((len(k) for k in self.keys_list), dtype=np.int32, count=len(self.keys_list))
        if self._spaced or self._lengths is None:
            return self.keys_list
        common = process.cdist([q], self.keys_list, scorer=LCSseq.similarity, dtype=np.int32)[0]
        shorter = np.minimum(self._lengths, len(q))
        keep = np.nonzero(200.0 * common >= (cutoff - 1e-6) * (shorter + common))[0]
        return [self.keys_list[i] for i in keep]


def _keys(pool: dict[str, str]) -> list[str]:
    return pool.keys_list if isinstance(pool, Pool) else list(pool)


class Pools:
    """Several kinds of name prepared once (cache one per store state with
    ``Store.cached``): resolving a question then normalises the question only."""

    def __init__(self, pools: Sequence[tuple[str, Iterable[str] | Pool]]) -> None:
        self.prepared = [(label, names if isinstance(names, Pool) else Pool(names)) for label, names in pools]
        self._everything: Pool | None = None

    @property
    def everything(self) -> Pool:
        """Every kind in one pool (for hints); the earlier kind's printed form wins."""
        if self._everything is None:
            merged: dict[str, str] = {}
            for _, pool in self.prepared:
                for k, v in pool.items():
                    merged.setdefault(k, v)
            self._everything = Pool(merged)
        return self._everything

    def without(self, label: str) -> Pools:
        return Pools([(lb, pool) for lb, pool in self.prepared if lb != label])


def resolve_in(query: str, pools: Sequence[tuple[str, Iterable[str]]] | Pools, *, fuzzy: bool = True) -> tuple[str | None, Resolution]:
    """Resolve against several kinds of name at once (departments, offices, budget rows …).

    Stronger evidence beats pool order: an exact row name beats a department that merely
    contains the query, but among equal evidence the earlier pool wins. Returns the pool
    name that answered (None when nothing matched) and the resolution."""
    q = normalize(query)
    prepared = pools if isinstance(pools, Pools) else Pools(pools)
    if len(q) < MIN_QUERY or not any(pool for _, pool in prepared.prepared):
        return None, Resolution(outcome="none", closest=_closest(q, prepared.everything))
    stages = _STAGES if fuzzy else _STAGES[:2]
    for stage in stages:
        for label, pool in prepared.prepared:
            if pool and (res := stage(q, pool)) is not None:
                return label, res
    return None, Resolution(outcome="none", closest=_closest(q, prepared.everything))


def resolve(query: str, names: Iterable[str], *, fuzzy: bool = True) -> Resolution:
    """Resolve ``query`` against one list of display names (duplicates by key collapse).

    Evidence, strongest first: the same name ignoring spacing and punctuation; the query
    inside exactly one name; a fuzzy score with a clear lead."""
    return resolve_in(query, [("name", names)], fuzzy=fuzzy)[1]


def _closest(q: str, pool: dict[str, str], limit: int = 3) -> list[str]:
    if not q or not pool:
        return []
    scored = _scored(q, pool, CLOSEST_CUTOFF)
    # WRatio lets any name containing a shared word score high; as a hint, the name most
    # like the whole query reads best ('뉴미디어과장' → 뉴미디어담당관 before 뉴미디어 전략 마케팅).
    scored.sort(key=lambda hit: (-fuzz.ratio(q, hit[0]), -hit[1]))
    return [pool[k] for k, _, _ in scored[:limit]]
