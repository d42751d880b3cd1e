"""The parser's fast paths read what the plain definitions read. Each shortcut taken for
speed (issue 14: ingest >= 2 MB/s) is checked against the straightforward code it
replaces, on generated text built from the tokens reports print: a shortcut that skipped a
date, a table row or a cheaper path that picked another owner would fail here."""

from __future__ import annotations

import math
import random
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bot.ingest import dates
from bot.ingest.lines import norm_title
from bot.ingest.numbers import amount_in_thousands
from bot.ingest.owners import (
    _TITLE_MARKS,
    BACK_PENALTY,
    FUNCTION_WEIGHTS,
    SKIP_PENALTY,
    STAY_BONUS,
    ProgramText,
    _best_path,
    _best_path_arrays,
    _bigrams,
    _Evidence,
    _penalties,
    _tokens,
)
from bot.models import BudgetLine, Department, Source

CHECKS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DATE_TOKENS = [
    "2021", "2021.", "'21.", "’21", "‘21", "`21", "21.", "9.", "10.", "6.", "3.26", "11", "12", "0", "1", "4", "7",
    "월", "일", "년", "도", "초", "말", "중순", "상반기", "하반기", "상", "하", "上", "下", "上半期", "下半期", "반기",
    "분기", "1/4분기", "2분기", "(월)", "(금)", "~", "～", "〜", " ~ ", "15:00", "9 : 30", ":", "/", ",", "·", ".", "(", ")",
    " ", "  ", "%", "1.5배", "3,974", "백만원", "행사", "개최", "예정", "字", "٣", "١٢", "①", "까지",
]
date_text = st.one_of(
    st.lists(st.sampled_from(DATE_TOKENS), max_size=30).map("".join),
    st.text(alphabet="0123456789'.~/월일년상하반기 ()-,:", max_size=40),
    st.text(max_size=40),
)


@CHECKS
@given(date_text)
@example("31.7.1 ~ 41.6~7월, 2031.1.1")  # years of '3x' and '4x' that begin with a digit other than 1 or 2
def test_date_points_are_found_where_the_plain_scan_finds_them(text: str) -> None:
    s = dates._normalise(text)

    def matched(m: re.Match[str]) -> dict[str, str]:
        return {k: v for k, v in m.groupdict().items() if v is not None}

    fast = [(m.span(), matched(m)) for m in dates._point_matches(s)]
    plain = [(m.span(), matched(m)) for m in dates._POINT.finditer(s)]
    assert fast == plain


@CHECKS
@given(date_text)
def test_a_date_point_is_read_as_the_alternative_that_matched(text: str) -> None:
    order = ["ymd", "yh", "yq", "ym", "y", "md", "m", "h", "q", "bare"]
    for m in dates._point_matches(dates._normalise(text)):
        assert m.lastgroup == next(k for k in order if m.groupdict().get(k))


@CHECKS
@given(date_text)
def test_date_normalisation_skips_only_lines_it_would_not_change(text: str) -> None:
    plain = dates._TIME.sub(lambda m: " " * len(m.group(0)), text.translate(dates._APOSTROPHES).translate(dates._TILDES))
    assert dates._normalise(text) == plain


label_line = st.builds(
    lambda label, colon, value: f"{label}{colon}{value}",
    st.one_of(date_text, st.sampled_from(["일 시", "2025년 예산 편성", "하반기 특별 프로그램", "‘21 계획", "장소", "추진"])),
    st.sampled_from([" : ", ":", "： ", " :"]),
    date_text,
)


@CHECKS
@given(label_line, st.sampled_from([None, 2021]))
def test_a_label_is_masked_only_where_masking_changes_the_dates_found(seg: str, year: int | None) -> None:
    from bot.ingest.milestone_rules import _mask_label
    from bot.ingest.milestone_titles import ANY_YEAR, LABEL

    m = LABEL.match(seg)
    plain = seg
    if m and dates.find_dates(m.group("value"), ANY_YEAR):
        plain = " " * m.start("value") + seg[m.start("value") :]
    assert dates.find_dates(_mask_label(seg), year) == dates.find_dates(plain, year)


def _plain_path(rows: list[list[float]]) -> list[int]:
    """The owner path as first written: every candidate path copied at every step."""
    names = list(range(len(rows[0])))
    best = {n: (rows[0][n], [n]) for n in names}
    for row in rows[1:]:
        nxt = {}
        for n in names:
            cands = []
            for prev, (total, path) in best.items():
                step = n - prev
                penalty = BACK_PENALTY if step < 0 else SKIP_PENALTY * max(0, step - 1) - STAY_BONUS * (step == 0)
                cands.append((total - penalty + row[n], path + [n]))
            nxt[n] = max(cands, key=lambda c: c[0])
        best = nxt
    return max(best.values(), key=lambda c: c[0])[1]


score = st.one_of(st.sampled_from([0.0, 0.1, 0.5, 0.7, 1.0, 2.0, 3.0, 0.3 + 0.6]), st.floats(0, 6, allow_nan=False))


@CHECKS
@given(st.integers(1, 9).flatmap(lambda d: st.lists(st.lists(score, min_size=d, max_size=d), min_size=1, max_size=8)))
def test_owner_path_search_picks_the_path_of_copying_every_candidate(rows: list[list[float]]) -> None:
    penalty = _penalties(len(rows[0]))
    want = _plain_path(rows)
    assert _best_path(rows, penalty) == want
    assert _best_path_arrays(rows, penalty) == want


def test_owner_path_search_on_arrays_agrees_for_a_volume_with_many_departments() -> None:
    rng = random.Random(14)
    for _ in range(20):
        d = rng.randint(40, 90)
        rows = [[rng.choice([0.0, 0.0, 0.0, rng.random() * 4, round(rng.random(), 1)]) for _ in range(d)] for _ in range(rng.randint(1, 12))]
        penalty = _penalties(d)
        assert _best_path_arrays(rows, penalty) == _best_path(rows, penalty) == _plain_path(rows)
    assert math.isfinite(sum(map(sum, penalty)))


OWNER_WORDS = ["투자", "기관", "출연", "시민", "소통", "홍보", "응답소", "뉴미디어", "평가", "합동", "예산", "감사", "정책", "·", " ", "팀", "기획"]
owner_text = st.one_of(
    st.lists(st.sampled_from(OWNER_WORDS), max_size=12).map("".join),
    st.text(alphabet="가나다라 ", max_size=14),  # words of every likeness to each other
)
department = st.builds(
    lambda name, teams, functions: Department(
        name=name, teams=teams, functions=dict(zip(teams, functions, strict=False)), source=Source(report_id="r", doc="d")
    ),
    st.sampled_from(["시민소통과", "홍보기획관", "평가담당관", "뉴미디어담당관", "투자기관과", "감사과"]),
    st.lists(owner_text, max_size=3),
    st.lists(owner_text, max_size=3),
)
program_text = st.builds(ProgramText, owner_text, owner_text, owner_text, owner_text, st.none())


def _plain_function_scores(ev: _Evidence, p: ProgramText) -> dict[str, float]:
    """TF-IDF overlap as first written: every bigram of the program, every department's every bigram."""
    prog: dict[str, float] = {}
    for text, weight in zip((p.title, p.purpose, p.info, p.rest), FUNCTION_WEIGHTS, strict=True):
        counts: dict[str, int] = {}
        for g in _bigrams(text):
            counts[g] = counts.get(g, 0) + 1
        for g, c in counts.items():
            prog[g] = prog.get(g, 0.0) + weight * math.log1p(c)
    raw = {name: sum(prog[g] * idf for g, idf in pairs if g in prog) / norm for name, pairs, norm in ev.gram_weights}
    best = max(raw.values(), default=0.0)
    return {name: (2.0 * v / best if best > 0 else 0.0) for name, v in raw.items()}


@CHECKS
@given(st.lists(department, min_size=1, max_size=6, unique_by=lambda d: d.name), program_text)
def test_owner_scores_from_the_bigram_index_are_those_of_reading_every_department(
    departments: list[Department], p: ProgramText
) -> None:
    ev = _Evidence(departments, [])
    assert ev.function_scores(p) == _plain_function_scores(ev, p)


@CHECKS
@given(st.lists(department, min_size=1, max_size=6, unique_by=lambda d: d.name), owner_text)
@example([Department(name="가과", teams=["가나다라"], source=Source(report_id="r", doc="d"))], "가나다마")  # 0.75 exactly
def test_title_word_hits_with_a_cut_off_are_those_of_scoring_every_word(departments: list[Department], token: str) -> None:
    ev = _Evidence(departments, [])
    ratio = {u: fuzz.ratio(token, u) / 100.0 for u in ev.unique_words}
    best = {name: max((ratio[u] for u in us), default=0.0) for name, us in ev.words.items()}
    hits = [name for name, v in best.items() if v >= 0.75]
    got_best, got_hits = ev._hits(token)
    assert got_hits == hits
    assert {name: got_best[name] for name in got_hits} == {name: best[name] for name in hits}


budget_row = st.builds(
    lambda dept, name, figure: BudgetLine(
        table="t", unit="천원", dept=dept, level="unit", name=name, values={"예산": figure}, source=Source(report_id="r", doc="d")
    ),
    st.sampled_from(["시민소통과", "홍보기획관", "평가담당관"]),
    owner_text,
    st.sampled_from([0, 3974, 3974000, 120]),
)


@CHECKS
@given(st.lists(budget_row, max_size=8), owner_text, st.sampled_from([None, "3,974백만원", "120천원", "4억원"]))
@example([], "", None)
def test_budget_evidence_with_a_likeness_cut_off_is_that_of_scoring_every_row(
    rows: list[BudgetLine], title: str, budget: str | None
) -> None:
    ev = _Evidence([], rows)
    p = ProgramText(title, "", "", "", budget)
    body = p.body
    plain: dict[str, float] = {}  # as first written: every row's likeness scored
    amount = amount_in_thousands(p.budget_text)
    title_words = [w for w in _tokens(_TITLE_MARKS.sub(" ", p.title)) if len(w) >= 4]
    for dept, scaled, name, core, row in ev.rows:
        if amount is not None and scaled is not None and abs(scaled - amount[0]) <= amount[1]:
            plain[dept] = plain.get(dept, 0.0) + 3.0
        sim = fuzz.ratio(norm_title(p.title), name) / 100.0
        if sim >= 0.6:
            plain[dept] = plain.get(dept, 0.0) + 2.0 * sim
        if core and core in body:
            plain[dept] = plain.get(dept, 0.0) + 1.0
        if any(w in row for w in title_words):
            plain[dept] = plain.get(dept, 0.0) + 1.0
    assert ev.budget_scores(p, body) == plain


LAYOUT_TOKENS = [
    "합  계", "부  서  별", "  주차장특별회계", "1,234", "-", "△", "△ 12", "103,358 (28.9%)", "(28.9%)", "61.3%", "14건",
    "76조 2,131", "０", "٣", "①", "예산", "집행", " ", "  ", "   ", "\u3000", "\u00a0", "\f", "가", "A", "(", ")",
]
layout_line = st.one_of(
    st.lists(st.sampled_from(LAYOUT_TOKENS), max_size=14).map("".join),
    st.text(alphabet="0123456789,.-△%() 가나\u3000\u00a0", max_size=40),
)


@CHECKS
@given(layout_line)
def test_aligned_rows_are_skipped_only_when_no_two_words_stand_apart(line: str) -> None:
    from bot.ingest.shapes import layout

    fast = layout._body(3, line)
    gap = layout._GAP
    layout._GAP = re.compile("")  # the plain reading: split every line into chunks
    try:
        plain = layout._body(3, line)
    finally:
        layout._GAP = gap
    assert fast == plain


@CHECKS
@given(st.one_of(st.text(max_size=40), st.text(alphabet=" \t\u3000\u00a0\u2003\u200b\n\x1c\x85가a", max_size=30)))
def test_line_spacing_is_squeezed_as_the_whitespace_pattern_would(text: str) -> None:
    from bot.ingest.text import squeeze

    assert squeeze(text) == re.sub(r"\s+", " ", text).strip()


@CHECKS
@given(st.one_of(st.text(max_size=40), st.text(alphabet=" \t\u3000\u00a0\u2003\u200b\n\x1c\x85가a", max_size=30)))
def test_a_label_loses_its_spaces_as_the_whitespace_pattern_would(text: str) -> None:
    from bot.ingest.lines import squash_spaces

    assert squash_spaces(text) == re.sub(r"\s+", "", text)
