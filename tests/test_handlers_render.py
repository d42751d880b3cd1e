"""The plain-text rendering of a reply (console output, Slack/Telegram fallback text)."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len

from bot.models import Precision
from bot.replies import Action, Reply, Section, Table
from bot.replies.when import d_day, describe
from handlers.render_text import render


def test_render_puts_title_figures_table_sections_source_and_actions_in_reading_order():
    reply = Reply(
        title="뉴미디어담당관 예산 (2021)",
        summary=["예산현액 79억 914만원"],
        fields=[("부서", "뉴미디어담당관")],
        table=Table(columns=["사업", "집행률"], rows=[["가", "1.0%"]], align_right=[False, True]),
        sections=[Section(heading="향후계획", lines=["수여식"])],
        footnote="기준 2021.7.31.",
        actions=[Action(label="다음 쪽", command="/budget 뉴미디어담당관 p2")],
        page=1,
        pages=2,
    )
    text = render(reply)
    order = ["■ 뉴미디어담당관 예산", "예산현액", "부서: 뉴미디어담당관", "사업", "[향후계획]", "(1/2쪽)", "※ 기준 2021.7.31.", "▸ 다음 쪽: /budget 뉴미디어담당관 p2"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)


def test_render_aligns_hangul_columns_by_display_width():
    table = Table(columns=["부서", "집행률"], rows=[["뉴미디어담당관", "44.2%"], ["가", "100.0%"]], align_right=[False, True])
    lines = render(Reply(title="t", table=table)).splitlines()
    body = [ln for ln in lines if "%" in ln]
    assert len({cell_len(ln) for ln in body}) == 1  # right edges line up


def test_render_lists_candidates_with_their_commands():
    reply = Reply(title="여럿", candidates=[Action(label="시민소통담당관", command="/budget 시민소통담당관")])
    assert "1. 시민소통담당관 → /budget 시민소통담당관" in render(reply)


def test_dates_are_described_with_the_precision_printed():
    assert describe(date(2021, 11, 19), None, Precision.DAY) == "2021.11.19.(금)"
    assert describe(date(2021, 10, 1), date(2021, 10, 10), Precision.DAY) == "2021.10.1.(금) ~ 10.10.(일)"
    assert describe(date(2021, 10, 1), None, Precision.MONTH) == "2021년 10월 중"
    assert describe(date(2021, 8, 1), date(2021, 12, 1), Precision.MONTH) == "2021년 8월 ~ 12월"
    assert describe(date(2021, 10, 1), date(2022, 5, 1), Precision.MONTH) == "2021년 10월 ~ 2022년 5월"
    assert describe(date(2021, 7, 1), None, Precision.HALF) == "2021년 하반기 중"


def test_d_day_counts_only_claim_the_precision_there_is():
    today = date(2021, 9, 6)
    assert d_day(today, date(2021, 11, 19), None, Precision.DAY) == "D-74"
    assert d_day(today, today, None, Precision.DAY) == "D-day"
    assert d_day(today, date(2021, 9, 1), date(2021, 9, 10), Precision.DAY) == "진행 중"
    assert d_day(today, date(2021, 10, 1), None, Precision.MONTH) == "다음 달"
    assert d_day(today, date(2021, 9, 1), None, Precision.MONTH) == "이번 달 중"
