"""Renderers cannot hang: any reply — huge cells, many columns, long titles, hundreds of
buttons — comes out of every renderer quickly and within each platform's limits
(Slack: 50 blocks, 3,000 characters a section text; Telegram: 4,096 a message)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from bot.adapters import telegram_html
from bot.adapters.slack_blocks import MAX_BLOCKS, MAX_TEXT, limits_problems, render_reply
from bot.replies import Action, Reply, Section, Table
from handlers.render_text import GAP, MAX_CELL, MAX_COLUMNS, MAX_LAST_CELL, render, render_table
from tests.fakes.telegram_api import visible_text

# A render taking a second is already a bug (the slow ones took minutes or never ended);
# the guard is generous so a busy CI machine never trips it.
GUARD_S = 2.0
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# what reports and users put in text: Hangul, markup Slack and Telegram would read, entities
PIECES = ["가", "뉴미디어담당관", "&", "<", ">", "<!channel>", "&amp;", "*", "`", "```", " ", "\n", "\t", "|", "1,234", "%", "…", "😀", "\u0301"]


def _repeat(piece: str, n: int) -> str:
    return piece * n


plain_text = st.text(max_size=40)
huge_text = st.builds(_repeat, st.sampled_from(PIECES), st.integers(min_value=0, max_value=6_000))
mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), plain_text), max_size=12).map("".join)
any_text = st.one_of(plain_text, mixed_text, huge_text)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    ncols = draw(st.integers(min_value=0, max_value=40))
    columns = draw(st.lists(any_text, min_size=ncols, max_size=ncols))
    rows = draw(st.lists(st.lists(any_text, max_size=ncols + 3), max_size=25))
    align = draw(st.lists(st.booleans(), max_size=ncols + 2))
    return Table(columns=columns, rows=rows, align_right=align)


actions = st.builds(Action, label=any_text, command=st.one_of(st.just("/budget 뉴미디어"), any_text))


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    pages = draw(st.integers(min_value=1, max_value=3))
    return Reply(
        title=draw(any_text),
        summary=draw(st.lists(any_text, max_size=6)),
        fields=draw(st.lists(st.tuples(any_text, any_text), max_size=14)),
        table=draw(st.none() | tables()),
        sections=draw(st.lists(st.builds(Section, heading=any_text, lines=st.lists(any_text, max_size=12)), max_size=5)),
        footnote=draw(st.none() | any_text),
        actions=draw(st.lists(actions, max_size=90)),
        candidates=draw(st.lists(actions, max_size=30)),
        page=draw(st.integers(min_value=1, max_value=pages)),
        pages=pages,
    )


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    out = fn(*args, **kwargs)
    elapsed = time.monotonic() - t0
    assert elapsed < GUARD_S, f"{fn.__module__}.{fn.__name__} took {elapsed:.1f} s"
    return out


@PROPERTY
@given(replies())
def test_any_reply_renders_for_slack_quickly_and_within_slacks_limits(reply: Reply) -> None:
    messages = _timed(render_reply, reply, command="/budget 뉴미디어", share=True, shared_by="U0123ABC")
    assert messages
    for m in messages:
        assert limits_problems(m) == []
        assert len(m.blocks) <= MAX_BLOCKS
        for b in m.blocks:
            if b["type"] == "section" and "text" in b:
                assert len(b["text"]["text"]) <= MAX_TEXT


@PROPERTY
@given(replies())
def test_any_reply_renders_for_telegram_quickly_in_messages_telegram_accepts(reply: Reply) -> None:
    messages = _timed(telegram_html.render, reply)
    assert messages
    for m in messages:
        assert 0 < telegram_html.tg_len(m) <= telegram_html.MESSAGE_LIMIT
        visible_text(m)  # parsed like Telegram parses HTML: broken tags raise
    _timed(telegram_html.keyboard, reply, telegram_html.CallbackCommands().encode)


@PROPERTY
@given(replies())
def test_any_reply_renders_as_console_text_quickly_with_bounded_table_lines(reply: Reply) -> None:
    text = _timed(render, reply)
    assert text.startswith("■")
    if reply.table is not None:
        widest = (MAX_COLUMNS - 1) * (MAX_CELL + len(GAP)) + MAX_LAST_CELL
        assert all(cell_len(line) <= widest for line in _timed(render_table, reply.table, indent=""))


def test_a_last_column_of_1490_hangul_no_longer_hangs_the_slack_renderer() -> None:
    """The reported case: the last column was never shortened, its header rule overflowed a
    block and the splitter looped (killed at 23 GB)."""
    for n in (1_490, 1_500, 3_000, 100_000):
        reply = Reply(title="긴 칸", table=Table(columns=["사업", "내용"], rows=[["명예시민", "가" * n], ["축제", "나"]]))
        messages = _timed(render_reply, reply)
        assert [limits_problems(m) for m in messages] == [[]]
        assert "명예시민" in messages[0].blocks[1]["text"]["text"] and "축제" in messages[0].blocks[1]["text"]["text"]


def test_a_row_of_16000_cells_renders_as_one_short_line_everywhere() -> None:
    cells = [f"{i:,}" for i in range(16_000)]
    reply = Reply(title="넓은 표", table=Table(columns=cells, rows=[cells, cells]))
    slack = _timed(render_reply, reply)
    assert len(slack) == 1 and limits_problems(slack[0]) == []
    telegram = _timed(telegram_html.render, reply)
    assert len(telegram) == 1
    text = _timed(render, reply)
    assert max(len(line) for line in text.splitlines()) < MAX_COLUMNS * 50
    assert "…" in text  # the folded columns are shown as such, not silently dropped
