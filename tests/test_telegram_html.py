"""How a reply reads in Telegram: escaped HTML, split between lines, short button data."""

from __future__ import annotations

import pytest

from bot.adapters.telegram_html import (
    CALLBACK_DATA_LIMIT,
    MESSAGE_LIMIT,
    CallbackCommands,
    keyboard,
    render,
    tg_len,
)
from bot.replies import Action, Reply, ReplyKind, Section, Table
from tests.fakes.telegram_api import EntityError, visible_text


def test_report_and_user_text_is_escaped_so_telegram_can_parse_it():
    reply = Reply(
        title="<script>alert(1)</script> & 기타",
        summary=["예산 <b>가짜 굵게</b> & 'quote' \"dq\""],
        fields=[("부서<>", "A&B")],
        table=Table(columns=["사업", "집행률"], rows=[["<사업>", "50%&"]]),
        footnote="출처: <보고서> & 기준일",
    )
    [text] = render(reply)
    shown = visible_text(text)  # the fake parses like Telegram; broken HTML raises
    assert "<script>alert(1)</script> & 기타" in shown
    assert "예산 <b>가짜 굵게</b> & 'quote' \"dq\"" in shown
    assert "예산 &lt;b&gt;가짜 굵게&lt;/b&gt; &amp;" in text  # a user's tags are text, not formatting
    assert "&lt;script&gt;" in text


def test_fake_rejects_what_telegram_rejects():
    with pytest.raises(EntityError):
        visible_text("<b>open")
    with pytest.raises(EntityError):
        visible_text("a & b")
    with pytest.raises(EntityError):
        visible_text("<table>x</table>")


def test_reply_parts_are_formatted_title_bold_footnote_italic_table_rows_as_lines():
    reply = Reply(
        title="뉴미디어담당관 예산",
        summary=["예산현액 79억 914만원", "집행률 45.3%"],
        table=Table(columns=["사업", "예산현액", "집행률"], rows=[["시민소통 사업", "1억원", "12.5%"], ["", "", ""]]),
        sections=[Section(heading="향후계획", lines=["10월 행사"])],
        footnote="기준일 2021-08-31 · 2021 주요업무보고",
    )
    [text] = render(reply)
    assert text.startswith("<b>뉴미디어담당관 예산</b>\n예산현액 79억 914만원\n집행률 45.3%")
    assert "• <b>시민소통 사업</b>\n   예산현액 1억원 · 집행률 12.5%" in text
    assert "<b>향후계획</b>\n10월 행사" in text
    assert text.endswith("<i>기준일 2021-08-31 · 2021 주요업무보고</i>")


def test_page_number_shows_in_the_title_when_there_are_several_pages():
    [text] = render(Reply(title="일정", page=2, pages=3))
    assert "(2/3쪽)" in visible_text(text)


def test_long_reply_is_split_at_line_boundaries_each_part_within_the_limit():
    lines = [f"{i:04d} 사업 & 집행 <현황> " + "가" * (i % 50) for i in range(400)]
    reply = Reply(title="긴 답", sections=[Section(heading="목록", lines=lines)])
    chunks = render(reply)
    assert len(chunks) > 1
    assert all(tg_len(c) <= MESSAGE_LIMIT for c in chunks)
    shown = "\n".join(visible_text(c) for c in chunks)  # every part parses on its own
    for line in lines:
        assert line in shown.split("\n")  # no line was cut in two
    assert not any(c.startswith("\n") or c.endswith("\n") for c in chunks)


def test_a_single_line_longer_than_a_message_is_cut_at_spaces():
    words = " ".join(["집행&잔액"] * 2000)  # ~12,000 characters escaped
    chunks = render(Reply(title="t", summary=[words]))
    assert len(chunks) >= 3
    assert all(tg_len(c) <= MESSAGE_LIMIT for c in chunks)
    shown = [visible_text(c) for c in chunks]
    assert shown[0].startswith("t")
    words_seen = " ".join(shown).split()
    assert words_seen.count("집행&잔액") == 2000  # nothing lost, no word cut in two


def test_limit_counts_utf16_units_like_telegram():
    emoji_lines = ["🎉" * 100 for _ in range(30)]  # 100 emoji = 200 UTF-16 units a line
    chunks = render(Reply(title="x", summary=emoji_lines))
    assert all(tg_len(c) <= MESSAGE_LIMIT for c in chunks)
    assert len(chunks) == 2


def test_short_button_commands_travel_as_themselves():
    cb = CallbackCommands()
    assert cb.encode("/budget 뉴미디어담당관") == "/budget 뉴미디어담당관"
    assert cb.decode("/budget 뉴미디어담당관") == "/budget 뉴미디어담당관"


def test_long_button_commands_travel_as_short_keys_and_come_back():
    cb = CallbackCommands()
    long_cmd = "/program " + "서울세계도시문화축제 개최 및 시민참여 확대" * 2
    key = cb.encode(long_cmd)
    assert len(key.encode("utf-8")) <= CALLBACK_DATA_LIMIT
    assert key != long_cmd
    assert cb.decode(key) == long_cmd
    assert cb.encode(long_cmd) == key  # stable: the same command, the same key


def test_forgotten_keys_decode_to_none_so_the_user_is_told_the_button_expired():
    cb = CallbackCommands(capacity=2)
    keys = [cb.encode("/program " + "가" * 30 + str(i)) for i in range(3)]
    assert cb.decode(keys[0]) is None
    assert cb.decode(keys[2]) is not None
    assert cb.decode("#unknown") is None
    assert cb.decode(None) is None


def test_candidates_become_one_button_per_row_and_actions_share_rows():
    cb = CallbackCommands()
    reply = Reply(
        kind=ReplyKind.CANDIDATES,
        title="여러 부서가 맞습니다",
        candidates=[Action(label="시민소통담당관", command="/budget 시민소통담당관"),
                    Action(label="시민봉사담당관", command="/budget 시민봉사담당관")],
        actions=[Action(label="다음", command="/upcoming 30 2"), Action(label="이전", command="/upcoming 30 1")],
    )
    markup = keyboard(reply, cb.encode)
    assert markup is not None
    rows = markup.inline_keyboard
    assert [len(r) for r in rows] == [1, 1, 2]
    assert rows[0][0].callback_data == "/budget 시민소통담당관"
    for row in rows:
        for button in row:
            assert len(button.callback_data.encode("utf-8")) <= CALLBACK_DATA_LIMIT


def test_reply_without_buttons_has_no_keyboard():
    assert keyboard(Reply(title="x"), CallbackCommands().encode) is None


def test_two_column_text_table_reads_as_name_dash_text_but_figures_keep_their_column():
    text_table = Table(columns=["명령", "하는 일"], rows=[["/budget", "부서·사업의 예산"]])
    [text] = render(Reply(title="도움말", table=text_table))
    assert "• <b>/budget</b> — 부서·사업의 예산" in text
    figure_table = Table(columns=["사업", "집행률"], rows=[["홍보", "12.5%"]], align_right=[False, True])
    [text] = render(Reply(title="예산", table=figure_table))
    assert "• <b>홍보</b>\n   집행률 12.5%" in text
