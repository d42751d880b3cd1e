"""Who owns a program: the department whose tables and functions its text matches.

Evidence comes from the report's own tables: a budget row with the program's amount or
name, the department's teams and 주요기능 words in the title and body, its name in the
title. Reports list a group's programs department by department, in the order of the
인력/주요기능 tables, so a group's owners are the best-scoring sequence down that table.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.ingest.lines import norm_title, squash_spaces
from bot.ingest.numbers import UNIT_IN_THOUSANDS, amount_in_thousands
from bot.models import BudgetLine, Department

_NOT_WORDS = re.compile(r"[^가-힣A-Za-z0-9]+")

_DEPT_SUFFIX = re.compile(r"(담당관|기획관|과|실|국|본부|단|팀)$")
_STOP_TOKENS = frozenset(
    ["및", "위한", "통한", "강화", "추진", "활성화", "제고", "운영", "등", "관련", "업무", "총괄", "사항", "관한", "서울시", "서울", "시정", "지원", "구현", "확대"]
)


def _bigrams(s: str) -> list[str]:
    t = _NOT_WORDS.sub("", s)
    return list(map(operator.add, t, t[1:]))  # t[i : i + 2] for each i, without the slicing


def _tokens(s: str) -> list[str]:
    s = s.replace("·", "").replace("ㆍ", "")
    return [t for t in _NOT_WORDS.split(s) if len(t) >= 2 and t not in _STOP_TOKENS]


def _dept_core(name: str) -> str:
    return _DEPT_SUFFIX.sub("", name)


def _dept_text(d: Department) -> str:
    return " ".join([_dept_core(d.name), *d.teams, *d.functions.values()])


@dataclass
class ProgramText:
    """The parts of a body the owner is guessed from, by weight: title, purpose line,
    the INFO sections (개요, 방향, 추진내용) and the rest."""

    title: str
    purpose: str
    info: str
    rest: str
    budget_text: str | None

    @property
    def body(self) -> str:
        return " ".join((self.purpose, self.info, self.rest))


_NEAR_SCORE = 74.9  # below any fuzz.ratio that divides to 0.75 or more
_ALIKE_SCORE = 59.9  # below any fuzz.ratio that divides to 0.6 or more
FUNCTION_WEIGHTS = (3.0, 3.0, 1.0, 0.5)  # title, purpose line, 개요/방향 sections, the rest
TITLE_WORD_WEIGHT = 0.7


def _budget_column(b: BudgetLine) -> float | None:
    """The row's budget figure: the 예산현액/예산 column, else its first figure."""
    numeric = [(k, v) for k, v in b.values.items() if isinstance(v, (int, float)) and "률" not in k and "수" not in k]
    for k, v in numeric:
        if "현액" in k:
            return float(v)
    for k, v in numeric:
        if "예산" in k:
            return float(v)
    return float(numeric[0][1]) if numeric else None


def _program_level(budget_lines: list[BudgetLine]) -> str:
    """The level whose rows are programs: 'unit' rows (단위사업), or in a table of only
    departments and their rows, the 'policy' rows under each department."""
    return "unit" if any(b.level == "unit" for b in budget_lines) else "policy"


_TITLE_MARKS = re.compile(r"[「」『』()'‘’]")
_ROW_NOISE = re.compile(r"\(.*?\)|운영|관리|제공|추진|지원|활성화|사업|및")
_QUOTED = re.compile(r"['‘「](.{2,20}?)['’」]")


class DeptEvidence:
    """What owner scoring reads from the departments (the same for every volume of one
    report): words, bigrams, marks, and each title word's likeness to them once seen."""

    def __init__(self, departments: list[Department]) -> None:
        self.departments = departments
        described = [d for d in departments if d.functions or d.teams]
        # 주요기능 text only speaks when the report gives it for most departments
        self.use_functions = bool(described) and len(described) * 2 >= len(departments)
        # title words: each department's words, and each word's best likeness per title token
        self.words = {d.name: _tokens(_dept_text(d)) for d in departments}
        self.unique_words = list(dict.fromkeys(u for us in self.words.values() for u in us))
        self.title_log = math.log(1 + len(departments)) if departments else 0.0
        self.token_hits: dict[str, tuple[dict[str, float], list[str]]] = {}
        self.cores = [(d.name, core) for d in departments if len(core := _dept_core(d.name)) >= 2]
        self.gram_weights = _gram_weights(departments)
        # each bigram's departments, with its place in their list: a program's bigrams find
        # the departments that share them without reading every department's every bigram
        self.gram_index: dict[str, list[tuple[int, int, float]]] = {}
        for d_i, (_name, pairs, _norm) in enumerate(self.gram_weights):
            for place, (g, idf) in enumerate(pairs):
                self.gram_index.setdefault(g, []).append((d_i, place, idf))
        self.marks = [(d.name, _marks(d)) for d in departments]


def _gram_weights(departments: list[Department]) -> list[tuple[str, list[tuple[str, float]], float]]:
    """Each department's function bigrams with their IDF, and its norm. The department's
    own name is left out (a renamed department must not change owners)."""
    grams = {d.name: set(_bigrams(" ".join([*d.teams, *d.functions.values()]))) for d in departments}
    df: dict[str, int] = {}
    for gs in grams.values():
        for g in gs:
            df[g] = df.get(g, 0) + 1
    total = len(grams)
    return [(name, [(g, math.log(total / df[g])) for g in gs], math.sqrt(len(gs) or 1)) for name, gs in grams.items()]


def _marks(d: Department) -> list[str]:
    """Units a body may name for ``d``: a team ('응답소' of 응답소팀) or a quoted service of
    its 주요기능."""
    marks = [squash_spaces(t)[:-1] for t in d.teams if squash_spaces(t).endswith("팀")]
    for text in d.functions.values():
        marks += [squash_spaces(q) for q in _QUOTED.findall(text)]
    return [m for m in marks if len(m) >= 3]


class _Evidence:
    """What owner scoring reads from one volume's departments and budget rows, prepared
    once for all its programs (preparing it per program made a compiled volume of many
    offices' reports cubic). Every score is the same arithmetic as reading the tables
    afresh for each program."""

    def __init__(
        self, departments: list[Department], budget_lines: list[BudgetLine], depts: DeptEvidence | None = None
    ) -> None:
        d = depts if depts is not None and depts.departments is departments else DeptEvidence(departments)
        self.departments = departments
        known = {dep.name for dep in departments}
        self.names = [dep.name for dep in departments] + sorted({b.dept for b in budget_lines if b.dept} - known)
        self.use_functions, self.words, self.unique_words = d.use_functions, d.words, d.unique_words
        self.title_log, self._token_hits, self.cores = d.title_log, d.token_hits, d.cores
        self.gram_weights, self.gram_index, self.marks = d.gram_weights, d.gram_index, d.marks
        # budget rows at the level whose rows are programs
        level = _program_level(budget_lines)
        self.rows: list[tuple[str, float | None, str, str, str]] = []
        for b in budget_lines:
            if not b.dept or b.level != level:
                continue
            figure = _budget_column(b)
            scaled = figure * UNIT_IN_THOUSANDS.get(b.unit, 1.0) if figure is not None and figure > 0 else None
            core = squash_spaces(_ROW_NOISE.sub(" ", b.name))
            self.rows.append((b.dept, scaled, norm_title(b.name), core if len(core) >= 4 else "", squash_spaces(b.name)))
        self.row_names = [name for _, _, name, _, _ in self.rows]

    def scores(self, p: ProgramText, body: str, budget: dict[str, float]) -> dict[str, float]:
        """Each candidate owner's score; ``body`` is the squashed body, ``budget`` the
        program's :meth:`budget_scores`."""
        score = dict.fromkeys(self.names, 0.0)
        parts = [budget, self.title_scores(p)]
        if self.use_functions:
            parts.append(self.function_scores(p))
        for part in parts:
            for name, v in part.items():
                score[name] = score.get(name, 0.0) + v
        return score

    def function_scores(self, p: ProgramText) -> dict[str, float]:
        """TF-IDF overlap of character bigrams between the program and each department's
        teams and 주요기능, scaled so the best department scores 2."""
        index = self.gram_index
        prog: dict[str, float] = {}  # only bigrams some department's text has: the rest add nothing
        for text, weight in zip((p.title, p.purpose, p.info, p.rest), FUNCTION_WEIGHTS, strict=True):
            t = _NOT_WORDS.sub("", text)
            counts = Counter(map(operator.add, t, t[1:]))  # the bigrams of _bigrams, uncollected
            for g in counts.keys() & index.keys():  # in any order: each department sums in its own
                prog[g] = prog.get(g, 0.0) + weight * math.log1p(counts[g])
        # per department, the products of the bigrams it shares with the program, summed in
        # the order of its own list (so the same floats as a walk over that list)
        shared: list[list[tuple[int, float]]] = [[] for _ in self.gram_weights]
        for g, v in prog.items():
            for d_i, place, idf in index[g]:
                shared[d_i].append((place, v * idf))
        raw: dict[str, float] = {}
        for (name, _pairs, norm), terms in zip(self.gram_weights, shared, strict=True):
            terms.sort()
            raw[name] = sum(t for _, t in terms) / norm
        best = max(raw.values(), default=0.0)
        return {name: (2.0 * v / best if best > 0 else 0.0) for name, v in raw.items()}

    def _hits(self, token: str) -> tuple[dict[str, float], list[str]]:
        """The departments one of whose words the title token resembles (likeness ≥ 0.75),
        with that likeness."""
        hit = self._token_hits.get(token)
        if hit is None:
            # only a likeness of 0.75 or more makes a hit, so words well below it are not scored
            # (the cut-off lets rapidfuzz skip them; the scores it returns are fuzz.ratio's)
            near = {
                u: score / 100.0
                for u, score, _ in process.extract(
                    token, self.unique_words, scorer=fuzz.ratio, limit=None, score_cutoff=_NEAR_SCORE
                )
            }
            best: dict[str, float] = {}
            if near:
                for name, us in self.words.items():
                    v = max((near[u] for u in us if u in near), default=0.0)
                    if v >= 0.75:
                        best[name] = v
            hit = self._token_hits[token] = (best, list(best))
        return hit

    def title_scores(self, p: ProgramText) -> dict[str, float]:
        """Title words that a department's 주요기능 words resemble ('투자기관' ~ '투자·출연기관'),
        weighted by how few departments share them; and the department's own name in the
        title ('합동평가' for 평가담당관)."""
        out = dict.fromkeys((d.name for d in self.departments), 0.0)
        if not self.departments:
            return out
        total = len(self.departments)
        for t in _tokens(p.title):
            best, hits = self._hits(t)
            for name in hits:
                out[name] += TITLE_WORD_WEIGHT * best[name] * math.log(1 + total / len(hits)) / self.title_log
        title = squash_spaces(p.title)
        for name, core in self.cores:
            if core in title:
                out[name] += 0.5
        return out

    def budget_scores(self, p: ProgramText, body: str) -> dict[str, float]:
        """Evidence from the budget tables: a unit row with the program's budget amount, a
        unit row named like the program, unit rows whose names the program's text repeats."""
        out: dict[str, float] = {}
        amount = amount_in_thousands(p.budget_text)
        title_words = [t for t in _tokens(_TITLE_MARKS.sub(" ", p.title)) if len(t) >= 4]
        title = norm_title(p.title)
        # rows named like the program (likeness 0.6 or more); rapidfuzz skips the rest
        alike = {
            i: score / 100.0
            for _, score, i in process.extract(title, self.row_names, scorer=fuzz.ratio, limit=None, score_cutoff=_ALIKE_SCORE)
        }
        for i, (dept, scaled, _name, core, row) in enumerate(self.rows):
            if amount is not None and scaled is not None:
                value, tolerance = amount
                if abs(scaled - value) <= tolerance:
                    out[dept] = out.get(dept, 0.0) + 3.0
            sim = alike.get(i, 0.0)
            if sim >= 0.6:
                out[dept] = out.get(dept, 0.0) + 2.0 * sim
            if core and core in body:
                out[dept] = out.get(dept, 0.0) + 1.0
            if any(t in row for t in title_words):
                out[dept] = out.get(dept, 0.0) + 1.0
        return out

    def units_named(self, body: str) -> set[str]:
        """Departments whose own units the body names: a team ('응답소' of 응답소팀,
        '홈페이지' of 홈페이지 팀) or a quoted service in their 주요기능 ("'내 손안에 서울'")."""
        return {name for name, marks in self.marks if any(m in body for m in marks)}


SKIP_PENALTY = 0.6  # per department skipped between consecutive programs of a group
BACK_PENALTY = 2.0  # for going back up the department table
STAY_BONUS = 0.1  # neighbours in a group usually share a department
_VECTOR_FROM = 40  # candidate owners from which the path search runs on arrays


def assign_depts(
    texts: list[ProgramText],
    groups: list[str],
    departments: list[Department],
    budget_lines: list[BudgetLine],
    depts: DeptEvidence | None = None,
) -> list[str | None]:
    """Owner of each program. Reports list a group's programs department by department,
    in the order of the 인력/주요기능 tables, so within a group the choice is the
    best-scoring sequence that moves down the table (a soft rule: strong budget evidence
    overrides it). A program whose body names units of several departments and has no
    budget row of its own is left without an owner."""
    if not departments and not any(b.dept for b in budget_lines):
        return [None] * len(texts)
    ev = _Evidence(departments, budget_lines, depts)
    bodies = [squash_spaces(t.body) for t in texts]
    budget = [ev.budget_scores(t, body) for t, body in zip(texts, bodies, strict=True)]
    scores = [ev.scores(t, body, b) for t, body, b in zip(texts, bodies, budget, strict=True)]
    names = list(scores[0]) if scores else []
    shared = [
        len(ev.units_named(body)) >= 2 and max(b.values(), default=0.0) < 2.0 for body, b in zip(bodies, budget, strict=True)
    ]
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        members = by_group.setdefault(g, [])
        if not shared[i]:
            members.append(i)
    out: list[str | None] = [None] * len(texts)
    penalty: list[list[float]] | None = None
    for idx in by_group.values():
        if not any(max(scores[i].values(), default=0.0) > 0 for i in idx):
            continue
        if penalty is None:
            penalty = _penalties(len(names))
        rows = [[scores[i][n] for n in names] for i in idx]
        path = (_best_path_arrays if len(names) >= _VECTOR_FROM else _best_path)(rows, penalty)
        for i, j in zip(idx, path, strict=True):
            out[i] = names[j]
    return out


def _penalties(count: int) -> list[list[float]]:
    """penalty[a][b]: the cost of moving from the department at table position a to b."""
    out = []
    for a in range(count):
        row = []
        for b in range(count):
            step = b - a
            row.append(BACK_PENALTY if step < 0 else SKIP_PENALTY * max(0, step - 1) - STAY_BONUS * (step == 0))
        out.append(row)
    return out


def _best_path(rows: list[list[float]], penalty: list[list[float]]) -> list[int]:
    """The best-scoring sequence of department positions, one per row of scores (Viterbi
    with back-pointers; ties go to the earlier department, as a left-to-right ``max``)."""
    count = len(rows[0])
    total = list(rows[0])
    back: list[list[int]] = []
    for row in rows[1:]:
        new_total: list[float] = []
        pointers: list[int] = []
        for b in range(count):
            s = row[b]
            best_v = total[0] - penalty[0][b] + s
            best_a = 0
            for a in range(1, count):
                v = total[a] - penalty[a][b] + s
                if v > best_v:
                    best_v, best_a = v, a
            new_total.append(best_v)
            pointers.append(best_a)
        total = new_total
        back.append(pointers)
    return _trace(total, back)


def _best_path_arrays(rows: list[list[float]], penalty: list[list[float]]) -> list[int]:
    """:func:`_best_path` on arrays, for volumes with many departments: the same sums in
    the same order (so the same floats), and argmax keeps the first of equal maxima."""
    import numpy as np  # only a volume with many departments pays for the import

    if not all(math.isfinite(v) for row in rows for v in row):
        return _best_path(rows, penalty)
    pen = np.array(penalty, dtype=np.float64)
    total = np.array(rows[0], dtype=np.float64)
    cols = np.arange(len(rows[0]))
    back: list[list[int]] = []
    for row in rows[1:]:
        cand = (total[:, None] - pen) + np.array(row, dtype=np.float64)[None, :]
        pointers = cand.argmax(axis=0)
        total = cand[pointers, cols]
        back.append(pointers.tolist())
    return _trace(total.tolist(), back)


def _trace(total: list[float], back: list[list[int]]) -> list[int]:
    end = 0
    for b in range(1, len(total)):
        if total[b] > total[end]:
            end = b
    path = [end]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    path.reverse()
    return path
