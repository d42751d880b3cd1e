"""The "other years" line names every other report the answer has, each once, and is
made again when the reports change (it is kept between answers)."""

from __future__ import annotations

from datetime import date

from bot.lookups.reports import choose
from bot.models import Report
from bot.replies.years import other_years_line


def _report(rid: str, year: int, title: str = "주요업무보고", month: int = 4) -> Report:
    return Report(id=rid, doc=f"{rid}.txt", title=title, org="뉴미디어담당관", report_date=date(year, month, 1))


def test_other_years_line_lists_each_other_year_once_newest_first() -> None:
    reports = [_report(f"r{y}", y) for y in range(2021, 2011, -1)]
    line = other_years_line(choose(reports))
    assert line is not None
    assert line.endswith("2020, 2019, 2018, 2017, 2016, 2015, 2014, 2013, 2012")


def test_other_years_line_follows_a_report_retitled_under_the_same_id() -> None:
    first = [_report("a", 2021), _report("b", 2020, month=3), _report("c", 2020, month=9)]
    line = other_years_line(choose(first))
    assert line is not None and "주요업무보고" in line
    again = [_report("a", 2021), _report("b", 2020, "하반기 보고", 3), _report("c", 2020, month=9)]
    line = other_years_line(choose(again))
    assert line is not None and "하반기 보고" in line
    assert other_years_line(choose([_report("a", 2021)])) is None


def test_a_department_printed_by_many_offices_lists_ten_other_reports_and_counts_the_rest() -> None:
    """A city of districts: every 구청 prints its own 총무과, so the line would name them all."""
    reports = [
        Report(id=f"d{i}", doc=f"d{i}.txt", title="주요업무보고", org=f"{name}구청", report_date=date(2021, 4, 1 + i))
        for i, name in enumerate("가나다라마바사아자차카타파하")
    ]
    line = other_years_line(choose(reports))
    assert line is not None
    assert line.endswith("외 3건")
    assert sum(f"{name}구청" in line for name in "가나다라마바사아자차카타파하") == 10
