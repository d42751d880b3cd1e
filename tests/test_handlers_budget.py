"""/budget: a department's, a row's and the office's figures, with 기준일 and source."""

from __future__ import annotations

import pytest

from bot.replies import ReplyKind
from handlers.dispatch import handle
from tests.handmade import ask, context

pytestmark = pytest.mark.both_backends  # the same answers from the TinyDB and the PostgreSQL store


# -- the bundled corpus (done-when checks) --------------------------------------------------
def test_budget_lookup_by_department_name_shows_figures_basis_date_and_source(corpus):
    text = ask(corpus, "/budget 뉴미디어담당관")
    assert "79억 914만원" in text
    assert "34억 9,885만원" in text
    assert "44.2%" in text
    assert "기준 2021.7.31" in text
    assert "시민소통기획관 주요업무보고(2021.9.6.)" in text


def test_budget_lookup_by_spaced_and_misspelt_department_name_resolves_the_same(corpus):
    assert ask(corpus, "/budget 뉴 미디어 담당과") == ask(corpus, "/budget 뉴미디어담당관")


def test_budget_lookup_with_year_answers_from_that_years_settlement(corpus):
    text = ask(corpus, "/budget 뉴미디어 2018")
    assert "2018 회계연도 결산" in text
    assert "결산 업무보고(2019.6.17.)" in text
    # 2018 결산: 예산현액 5,842,649천원, 집행액 5,623,262천원, 96.3%.
    assert "58억 4,265만원" in text and "56억 2,326만원" in text and "96.3%" in text
    assert "79억 914만원" not in text


def test_budget_rows_are_listed_lowest_execution_rate_first(corpus):
    reply = handle("/budget 뉴미디어담당관", context(corpus))
    rates = [float(row[-1].rstrip("%")) for row in reply.table.rows]
    assert rates == sorted(rates)
    assert reply.table.rows[0][0] == "뉴미디어 전략 마케팅"


def test_budget_lookup_names_other_years_as_actions(corpus):
    reply = handle("/budget 뉴미디어담당관", context(corpus))
    commands = [a.command for a in reply.actions]
    assert "/budget 뉴미디어담당관 2018" in commands and "/budget 뉴미디어담당관 2016" in commands


def test_budget_row_lookup_shows_its_line_and_department(corpus):
    text = ask(corpus, "/budget 서울세계도시문화축제")
    assert "국제교류담당관" in text and "4억원" in text and "48.3%" in text and "기준 2021.7.31" in text


def test_budget_without_name_shows_office_total_by_department(corpus):
    reply = handle("/budget", context(corpus))
    assert reply.title.startswith("시민소통기획관")
    names = [row[0] for row in reply.table.rows]
    assert "뉴미디어담당관" in names and "국제교류담당관" in names
    assert "1,023억 1,139만원" in reply.summary[0]


def test_budget_in_million_won_keeps_printed_unit(corpus):
    text = ask(corpus, "/budget 뉴미디어 2016")
    assert "4,331백만원" in text and "28.1%" in text and "기준 2016.4.8." in text


def test_budget_never_shows_a_bare_thousand_won_integer(corpus):
    for cmd in ("/budget", "/budget 뉴미디어담당관", "/budget 국제교류담당관", "/budget 2018", "/budget 서울세계도시문화축제"):
        text = ask(corpus, cmd)
        assert "7,909,143" not in text and "102,311,394" not in text and "5,842,649" not in text


# -- a made-up office: nothing tied to the sample ----------------------------------------------
def test_budget_department_pages_through_its_rows(made):
    first = handle("/budget 데이터정책담당관", context(made))
    assert (first.page, first.pages) == (1, 2) and len(first.table.rows) == 10
    nxt = next(a.command for a in first.actions if a.command.endswith("p2"))
    second = handle(nxt, context(made))
    assert second.page == 2 and len(second.table.rows) == 3
    assert {r[0] for r in first.table.rows}.isdisjoint({r[0] for r in second.table.rows})


def test_budget_partial_name_matching_several_departments_lists_candidates(made):
    reply = handle("/budget 시민", context(made))
    assert reply.kind == ReplyKind.CANDIDATES
    assert {c.command for c in reply.candidates} == {"/budget 시민참여담당관", "/budget 시민안전담당관"}
    assert reply.table is None and not reply.summary[0].startswith("예산현액")


def test_budget_unknown_name_says_not_found_with_help(made):
    reply = handle("/budget 완전히다른이름", context(made))
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "찾을 수 없습니다" in ask(made, "/budget 완전히다른이름", is_admin=False) and "/help" in ask(made, "/budget 완전히다른이름")


def test_budget_renamed_department_is_not_merged_across_years(made):
    reply = handle("/budget 데이터정책담당관 2021", context(made))
    assert reply.kind == ReplyKind.NOT_FOUND
    assert [c.command for c in reply.candidates] == ["/budget 데이터혁신담당관 2021"]
    old = ask(made, "/budget 데이터혁신담당관")
    assert "2021 회계연도 결산" in old and "56억 2,326만원" in old and "79억 914만원" not in old


def test_budget_settlement_year_names_the_fiscal_year(made):
    text = ask(made, "/budget 시민참여 2021")
    assert "2021 회계연도 결산" in text and "97.5%" in text and "(2022.6.10.)" in text


def test_budget_department_in_two_tables_shows_both(made):
    reply = handle("/budget 시민참여담당관", context(made))
    assert any("[2] 시민협력기금" in s for s in reply.summary)
    assert any(r[0] == "해외 연수 [2]" for r in reply.table.rows)


def test_budget_row_shared_by_departments_lists_each_line(made):
    reply = handle("/budget 기본경비(행정운영경비)", context(made))
    assert [r[0] for r in reply.table.rows] == ["데이터정책담당관", "시민참여담당관"]


def test_budget_program_without_a_budget_row_quotes_its_budget_sentence(made):
    text = ask(made, "/budget 명예시민")
    assert "45백만원" in text and "시민참여담당관" in text and "/program 외국인 명예시민 선정" in text


def test_budget_unknown_year_lists_the_years_there_are(made):
    text = ask(made, "/budget 2019")
    assert "2019" in text and "2023" in text and "2021 회계연도 결산" in text
