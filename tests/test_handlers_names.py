"""Names typed loosely resolve to one name, a short list, or nothing — never a guess."""

from __future__ import annotations

from bot.lookups.names import MAX_CANDIDATES, normalize, resolve, resolve_in

DEPTS = ["시민소통담당관", "뉴미디어담당관", "도시브랜드담당관", "국제교류담당관", "시민봉사담당관"]
ROWS = ["서울세계도시문화축제", "뉴미디어 웹사이트 운영", "서울시 외국인명예시민 선정"]


def test_spacing_and_letter_spacing_are_ignored():
    assert resolve("뉴 미 디 어 담 당 관", DEPTS).value == "뉴미디어담당관"
    assert resolve("뉴 미디어 담당관", DEPTS).value == "뉴미디어담당관"


def test_partial_name_resolves_when_only_one_contains_it():
    assert resolve("뉴미디어", DEPTS).value == "뉴미디어담당관"


def test_common_typo_resolves_to_the_clear_winner():
    res = resolve("뉴미디어담당과", DEPTS)
    assert res.outcome == "one" and res.value == "뉴미디어담당관"


def test_full_width_characters_are_normalised():
    assert normalize("ＡＢＣ　뉴미디어") == "abc뉴미디어"


def test_ambiguous_partial_name_lists_candidates_and_answers_none():
    res = resolve("시민", DEPTS)
    assert res.outcome == "many" and res.value is None
    assert set(res.candidates) == {"시민소통담당관", "시민봉사담당관"}


def test_candidate_list_is_capped_at_five():
    names = [f"데이터 사업 {i}" for i in range(9)]
    res = resolve("데이터", names)
    assert res.outcome == "many" and len(res.candidates) == MAX_CANDIDATES and res.more == 4


def test_unknown_name_resolves_to_nothing():
    res = resolve("전혀없는이름", DEPTS)
    assert res.outcome == "none" and res.value is None


def test_one_syllable_is_too_short_to_be_a_name():
    assert resolve("뉴", DEPTS).outcome == "none"


def test_department_beats_a_row_that_also_contains_the_words():
    kind, res = resolve_in("뉴미디어", [("dept", DEPTS), ("row", ROWS)])
    assert (kind, res.value) == ("dept", "뉴미디어담당관")


def test_exact_row_name_beats_a_department_containing_it():
    kind, res = resolve_in("세계도시문화축제", [("dept", DEPTS), ("row", ROWS)])
    assert (kind, res.value) == ("row", "서울세계도시문화축제")


def test_closest_hint_for_an_unknown_name_puts_the_most_alike_whole_name_first() -> None:
    from bot.lookups.names import resolve

    res = resolve("뉴미디어과장", ["뉴미디어 전략 마케팅", "뉴미디어 웹사이트 운영", "뉴미디어담당관", "시민봉사담당관"])
    assert res.outcome == "none"
    assert res.closest[0] == "뉴미디어담당관"
