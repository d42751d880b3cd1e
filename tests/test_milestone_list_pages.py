"""`/milestone list DEPT` pages like the other long answers: `p2` is the next page, and
the buttons carry the same command with the page token."""

from __future__ import annotations

from datetime import date

from handlers.dispatch import handle
from handlers.render_text import render
from tests.handmade import context

JAN = date(2021, 1, 1)


def test_a_departments_milestone_list_goes_on_to_page_two(corpus) -> None:
    ctx = context(corpus, JAN)
    first = handle("/milestone list 국제교류담당관", ctx)
    assert first.pages >= 2 and first.page == 1
    assert [a.command for a in first.actions] == ["/milestone list 국제교류담당관 p2"]
    second = handle("/milestone list 국제교류담당관 p2", ctx)
    assert second.page == 2 and "(2/" in render(second)
    assert "/milestone list 국제교류담당관 p1" in [a.command for a in second.actions]
    # page two continues page one: nothing repeated, every row the department's
    assert not set(first.summary) & set(second.summary)
    assert all("(국제교류담당관)" in row for row in first.summary + second.summary)


def test_the_festival_printed_three_times_is_listed_once(corpus) -> None:
    ctx = context(corpus, JAN)
    rows = [row for p in (1, 2) for row in handle(f"/milestone list 국제교류담당관 p{p}", ctx).summary]
    assert sum("서울세계도시문화축제」 개최" in row for row in rows) == 1


def test_a_loosely_typed_department_pages_under_its_full_name(corpus) -> None:
    reply = handle("/milestone list 국제 교류 p2", context(corpus, JAN))
    assert reply.page == 2 and "국제교류담당관" in reply.title
