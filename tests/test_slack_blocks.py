"""Reply → Block Kit: escaping, Slack's limits and where the buttons go."""

from __future__ import annotations

import json

from bot.adapters.slack_blocks import (
    ACTION_RUN_PREFIX,
    ACTION_SHARE,
    MAX_BLOCKS,
    MAX_HEADER,
    MAX_MESSAGE_CHARS,
    MAX_TEXT,
    blocks_size,
    limits_problems,
    render_reply,
)
from bot.adapters.slack_text import slack_to_plain, slash_to_command, strip_bot_mention
from bot.replies import Action, Reply, ReplyKind, Section, Table
from handlers.mention import to_command as mention_to_command

HOSTILE = "<!channel> <https://evil.example|클릭> & <@U999>"


def _all_text(messages: list) -> str:
    return json.dumps([[m.text, m.blocks] for m in messages], ensure_ascii=False)


def test_user_and_report_text_is_escaped_everywhere_it_appears() -> None:
    reply = Reply(
        title=f"'{HOSTILE}' 찾을 수 없음",
        summary=[HOSTILE],
        fields=[(HOSTILE, HOSTILE)],
        table=Table(columns=["이름", "값"], rows=[[HOSTILE, "1"]]),
        sections=[Section(heading=HOSTILE, lines=[HOSTILE])],
        footnote=HOSTILE,
        candidates=[Action(label=HOSTILE, command="/budget 뉴미디어")],
    )
    messages = render_reply(reply, command="/budget x", share=True)
    raw = _all_text(messages)
    for bad in ("<!channel>", "<https://", "<@U999>"):
        assert bad not in raw
    assert "&lt;!channel&gt;" in raw and "&amp;" in raw


def test_every_message_has_a_plain_text_fallback() -> None:
    reply = Reply(title="뉴미디어담당관 예산", summary=["예산현액 79억 914만원", "집행률 44.2%"], footnote="기준 2021.7.31")
    (msg,) = render_reply(reply)
    assert "뉴미디어담당관 예산" in msg.text and "79억 914만원" in msg.text
    assert msg.blocks[0]["type"] == "header"
    assert limits_problems(msg) == []


def test_many_long_fields_are_spread_over_sections_so_every_message_fits() -> None:
    # found by the render property test: ten fields of 2,000 characters made one section
    # block that no split could bring under the message budget
    fields = [(f"항목{i}", "가" * 2500) for i in range(9)]
    reply = Reply(title="긴 항목들", fields=fields, candidates=[Action(label="", command="/budget 뉴미디어")] * 4)
    messages = render_reply(reply, command="/budget 뉴미디어", share=True)
    for m in messages:
        assert limits_problems(m) == []
    sections = [b for m in messages for b in m.blocks if b["type"] == "section" and "fields" in b]
    assert sum(len(b["fields"]) for b in sections) == 9 and len(sections) > 1


def test_a_huge_reply_is_split_without_losing_rows_and_each_part_fits() -> None:
    rows = [[f"사업{i:04d} " + "나" * 30, f"{i:,}", "12.5%"] for i in range(2000)]
    long_line = "다" * (MAX_TEXT * 2 + 17)  # one line longer than a whole block
    reply = Reply(
        title="가" * 400,
        summary=[long_line],
        fields=[(f"항목{i}", "값 " * 50) for i in range(37)],
        table=Table(columns=["사업", "예산", "집행률"], rows=rows, align_right=[False, True, True]),
        sections=[Section(heading=f"절 {j}", lines=["라" * 200] * 40) for j in range(5)],
        actions=[Action(label="다음 ▶", command="/x p2")],
        page=1,
        pages=2,
    )
    messages = render_reply(reply, command="/x", share=True)
    assert len(messages) > 3
    for m in messages:
        assert limits_problems(m) == []
        assert len(m.blocks) <= MAX_BLOCKS and blocks_size(m.blocks) <= MAX_MESSAGE_CHARS
        assert m.text
    assert len(messages[0].blocks[0]["text"]["text"]) <= MAX_HEADER
    text = _all_text(messages)
    assert all(f"사업{i:04d}" in text for i in range(2000))
    assert text.count("다") >= len(long_line)  # the over-long line is cut into pieces, not dropped
    # buttons only on the last message
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m.blocks)
    assert any(b["type"] == "actions" for b in messages[-1].blocks)


def test_paging_and_candidates_become_buttons_carrying_their_command() -> None:
    reply = Reply(
        kind=ReplyKind.CANDIDATES,
        title="여러 부서가 맞습니다",
        candidates=[Action(label="시민소통담당관", command="/budget 시민소통담당관"), Action(label="시민봉사담당관", command="/budget 시민봉사담당관")],
        actions=[Action(label="다음 ▶", command="/budget 시민 p2")],
        page=1,
        pages=3,
    )
    (msg,) = render_reply(reply, command="/budget 시민", share=True)
    buttons = [e for b in msg.blocks if b["type"] == "actions" for e in b["elements"]]
    runs = {b["value"] for b in buttons if b["action_id"].startswith(ACTION_RUN_PREFIX)}
    assert runs == {"/budget 시민소통담당관", "/budget 시민봉사담당관", "/budget 시민 p2"}
    assert len({b["action_id"] for b in buttons}) == len(buttons)  # unique ids
    assert [b["value"] for b in buttons if b["action_id"] == ACTION_SHARE] == ["/budget 시민"]
    assert "1/3" in json.dumps(msg.blocks, ensure_ascii=False)


def test_no_share_button_unless_asked_or_when_reply_is_not_shareable() -> None:
    reply = Reply(title="t", summary=["s"], shareable=False)
    for share in (True, False):
        (msg,) = render_reply(reply, command="/x", share=share)
        assert ACTION_SHARE not in json.dumps(msg.blocks)


def test_slack_markup_in_incoming_text_becomes_plain_words() -> None:
    assert slack_to_plain("<!channel> &lt;b&gt; &amp; <https://a.example|링크> <#C1|general> <@U1|kim>") == "@channel <b> & 링크 #general @kim"
    assert strip_bot_mention("<@UBOT> 뉴미디어 예산", "UBOT").strip() == "뉴미디어 예산"


def test_slash_commands_and_mentions_map_onto_handler_commands() -> None:
    assert slash_to_command("/budget", "뉴미디어담당관 2018") == "/budget 뉴미디어담당관 2018"
    assert slash_to_command("/reportbot", "") == "/reportbot"
    assert slash_to_command("/reportbot", "help &lt;budget&gt;") == "/reportbot help <budget>"
    assert mention_to_command("/upcoming 30") == "/upcoming 30"
    assert mention_to_command("뉴미디어담당관 예산") == "/budget 뉴미디어담당관"


def test_help_hints_are_spelled_as_slack_users_type_them() -> None:
    from bot.adapters.slack_blocks import render_reply
    from bot.replies import Action, Reply

    reply = Reply(title="알 수 없는 명령입니다", summary=["/help 로 사용할 수 있는 명령을 확인해 주세요."],
                  actions=[Action(label="도움말", command="/help budget")])
    [msg] = render_reply(reply)
    assert "/reportbot help 로" in msg.text
    assert "/help 로" not in json.dumps(msg.blocks, ensure_ascii=False).replace("/reportbot help", "")
    assert "/help budget" in json.dumps(msg.blocks, ensure_ascii=False)  # the button's command is untouched
