"""/help, the /reportbot umbrella, free-text mentions and bad input: always a Korean answer."""

from __future__ import annotations

import re

import pytest

from bot.replies import Reply, ReplyKind
from handlers.commands import build_registry
from handlers.dispatch import handle
from handlers.mention import interpret, to_command
from handlers.registry import command
from handlers.render_text import render
from tests.handmade import ask, context

_ENGLISH_ERROR = re.compile(r"Traceback|Error|Exception|None|undefined", re.I)


def test_help_lists_every_registered_command_with_a_korean_summary(made):
    ctx = context(made)
    reply = handle("/help", ctx)
    listed = {row[0] for row in reply.table.rows}
    assert {f"/{spec.name}" for spec in ctx.commands.specs()} <= listed
    assert all(re.search("[가-힣]", row[1]) for row in reply.table.rows)


def test_a_command_added_to_one_bots_registry_is_answered_and_listed_there_only(made):
    @command("hello", "테스트: 인사")
    def hello(args: str, ctx: object) -> Reply:
        return Reply(title=f"안녕하세요 {args}".strip())

    mine, other = context(made), context(made)
    mine.commands = build_registry(extra=[hello])
    assert handle("/hello 여러분", mine).title == "안녕하세요 여러분"
    assert "/hello" in {row[0] for row in handle("/help", mine).table.rows}
    assert handle("/hello", other).kind == ReplyKind.NOT_FOUND  # the other bot never heard of it
    assert "/hello" not in {row[0] for row in handle("/help", other).table.rows}


def test_help_for_one_command_shows_usage_with_examples(made):
    reply = handle("/help budget", context(made))
    assert reply.kind == ReplyKind.HELP
    examples = next(s for s in reply.sections if s.heading == "예시").lines
    assert "/budget 뉴미디어 2018" in examples
    assert handle("/help 예산", context(made)).title == reply.title


def test_help_for_unknown_command_says_so_and_lists_commands(made):
    reply = handle("/help nosuch", context(made))
    assert reply.kind == ReplyKind.NOT_FOUND and "nosuch" in reply.summary[0] and reply.table


def test_reportbot_umbrella_runs_the_named_command(made):
    assert ask(made, "/reportbot budget 데이터정책담당관") == ask(made, "/budget 데이터정책담당관")


def test_reportbot_alone_is_help(made):
    assert handle("/reportbot", context(made)).kind == ReplyKind.HELP


def test_reportbot_with_free_text_is_read_like_a_mention(made):
    assert ask(made, "/reportbot 데이터정책담당관 예산") == ask(made, "/budget 데이터정책담당관")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("뉴미디어담당관 예산", "/budget 뉴미디어담당관"),
        ("명예시민 사업", "/program 명예시민"),
        ("<@U024BE7LH> 뉴미디어담당관의 예산 알려줘", "/budget 뉴미디어담당관"),
        ("2018 결산 뉴미디어", "/budget 뉴미디어 2018"),
        ("도시브랜드담당관 감사 현황", "/audit 도시브랜드담당관"),
        ("다가오는 일정", "/upcoming"),
        ("예산 도움말", "/help budget"),
        ("/budget 그대로", "/budget 그대로"),
    ],
)
def test_mention_free_text_maps_onto_a_command(text, command):
    assert interpret(text) == command


def test_mention_without_a_keyword_is_answered_with_examples(made):
    assert interpret("안녕하세요") is None
    reply = handle(to_command("안녕하세요"), context(made))
    assert reply.kind == ReplyKind.USAGE and "예산" in reply.summary[0]


@pytest.mark.parametrize(
    "text",
    [
        "/nosuch 명령",
        "/budget " + "가" * 250,
        "/budget \x00\x07뉴미디어\x1b[31m",
        "/budget <script>alert(1)</script>",
        "/budget **굵게** _기울임_ `코드`",
        "/audit ' OR 1=1 --",
        "/upcoming -5",
        "/audit done 999999",
        "/budget p0",
        "/program \u202e거꾸로",
        "그냥 문장",
        "   ",
        "/",
    ],
)
def test_bad_input_gets_a_polite_korean_reply_never_a_traceback(made, text):
    reply = handle(text, context(made, is_admin=True))
    shown = render(reply)
    assert re.search("[가-힣]", reply.title)
    assert not _ENGLISH_ERROR.search(shown)
    assert reply.kind != ReplyKind.ERROR


def test_unknown_command_hints_at_help(made):
    reply = handle("/nosuch", context(made))
    assert reply.kind == ReplyKind.NOT_FOUND and "/help" in reply.summary[0]


def test_empty_argument_gets_usage(made):
    assert handle("/program", context(made)).kind == ReplyKind.USAGE


def test_overlong_input_is_refused_politely(made):
    reply = handle("/budget " + "뉴" * 300, context(made))
    assert reply.kind == ReplyKind.USAGE and "200자" in reply.summary[0]


def test_markup_is_treated_as_plain_text(made):
    reply = handle("/budget <b>데이터정책담당관</b>", context(made))
    assert "<b>" not in reply.title


def test_help_for_a_command_from_another_module_shows_its_usage_lines(made):
    reply = handle("/help digest", context(made))
    assert reply.kind == ReplyKind.HELP
    usage = next(s for s in reply.sections if s.heading == "사용법").lines
    assert any(line.startswith("/digest") for line in usage)
