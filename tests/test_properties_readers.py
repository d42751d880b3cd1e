"""Property tests over the three readers of untrusted text: the command reader (what users
type), the date reader and the report parser (what reports hold). For any input: no
exception but our own, and no input that takes a second (a wall-clock guard far above what
any of them takes on this machine: the slowest generated input is a few tens of ms)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.dates import find_dates, parse_date
from bot.ingest.parse import parse_bytes
from bot.ingest.text import NotAReportError
from bot.replies import ReplyKind
from bot.store import Store
from handlers.commands import ALL_COMMANDS
from handlers.dispatch import handle
from tests.handmade import build_store, context

GUARD_S = 1.0  # the bound per input; generated inputs take well under a tenth of it
READERS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def within_guard(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    out = fn(*args)
    elapsed = time.monotonic() - t0
    assert elapsed < GUARD_S, f"{elapsed:.2f} s for {args[0]!r:.200}"
    return out


# -- vocabulary ----------------------------------------------------------------------------

HANGUL = ["미래전략실", "데이터정책담당관", "시민", "예산", "집행률", "사업", "축제", "완료", "추진중", "건의", "시정", "담당관", "과", "팀", "센터", "국", "결산", "행정사무감사", "처리결과", "향후", "계획", "연중", "상반기", "하", "년", "월", "일", "까지", "예정", "개최"]
DATES = ["2023.", "2023년", "'23.", "23.", "3.", "15.", "3월", "15일", "(수)", "(월)", "~", " ~ ", "2023-03-15", "3/15", "'21. 10. 1.(금) ~ 10. 10.(일)", "'21. 8~9월", "'21. 하", "2분기", "1/4분기", "12.31.", "13.45.", "0.0.", "99.99.99."]
NUMBERS = ["1,234", "79억 914만원", "4,082백만원", "△1,200", "12.5%", "0", "-", "100.0", "1" * 30, "천원", "백만원", "3건"]
MARKUP = ["|", " | ", "\t", "<td>", "</td>", "<tr>", "<table>", "</table>", "<br>", "<b>", "**", "#", "&amp;", "&", "<", ">", "[", "]", "【", "】", "□", "○", "-", "·", "ㆍ", "▶", "※", "(", ")", ":", "：", "1.", "가.", "Ⅰ.", "Ⅱ.", "①", " ", "  ", "\u3000", "…"]
TOKENS = HANGUL + DATES + NUMBERS + MARKUP


def _joined(parts: list[str]) -> str:
    return "".join(parts)


token_text = st.lists(st.sampled_from(TOKENS), max_size=25).map(_joined)
any_text = st.one_of(token_text, st.text(max_size=60), st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=30).map(_joined))


# -- the command reader --------------------------------------------------------------------


@pytest.fixture(scope="module")
def handmade_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = build_store(Path(tmp_path_factory.mktemp("props")) / "store.json")
    yield store
    store.close()


def commands() -> st.SearchStrategy[str]:
    names = sorted(name for spec in ALL_COMMANDS for name in (spec.name, *spec.aliases))
    verb = st.sampled_from(["", "add", "done", "subscribe", "open", "all", "30", "2021", "2023", "next", "삭제"])
    command = st.builds(lambda n, v, a: f"/{n} {v} {a}".strip(), st.sampled_from(names), verb, any_text)
    return st.one_of(command, any_text, st.builds(lambda t: "/" + t, any_text))


@READERS
@given(text=commands(), is_admin=st.booleans())
def test_the_command_reader_answers_anything_typed_without_failing(handmade_store: Store, text: str, is_admin: bool, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    ctx = context(handmade_store, today=date(2023, 9, 6), is_admin=is_admin)
    reply = within_guard(handle, text, ctx)
    assert reply.kind is not ReplyKind.ERROR, [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert reply.title


# -- the date reader -----------------------------------------------------------------------


@READERS
@given(text=any_text, year=st.none() | st.integers(min_value=1990, max_value=2040))
def test_the_date_reader_reads_any_text_into_spans_inside_it(text: str, year: int | None) -> None:
    spans = within_guard(find_dates, text, year)
    for sp in spans:
        assert 0 <= sp.pos <= sp.endpos <= len(text)
        assert sp.end is None or sp.start <= sp.end
    last = -1
    for sp in spans:  # left to right, as the milestone reader relies on
        assert sp.pos >= last
        last = sp.pos
    one = within_guard(parse_date, text, year)
    assert one is None or len(spans) == 1


# -- the report parser ---------------------------------------------------------------------

table_row = st.lists(st.one_of(st.sampled_from(HANGUL + NUMBERS + DATES), st.text(max_size=8)), min_size=1, max_size=12)
line = st.one_of(
    token_text,
    st.text(max_size=40),
    table_row.map("\t".join),
    table_row.map(lambda cells: "| " + " | ".join(cells) + " |"),
    table_row.map(lambda cells: "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"),
    table_row.map("     ".join),
    st.builds(lambda h, t: f"{h} {t}", st.sampled_from(["Ⅰ.", "Ⅱ.", "1.", "가.", "□", "○", "-", "▶ 조치결과 :", "【도로과】", "< 예산 현황 >", "2023 행정사무감사 처리결과"]), token_text),
)
COVER = "2023년 주요업무보고\n\n2023. 3. 2.\n\n미래전략실\n\n"


@READERS
@given(lines=st.lists(line, max_size=60), with_cover=st.booleans())
def test_the_report_parser_reads_any_document_or_says_why_not(lines: list[str], with_cover: bool) -> None:
    text = (COVER if with_cover else "") + "\n".join(lines)
    try:
        parsed = within_guard(parse_bytes, "generated.txt", text.encode("utf-8"))
    except NotAReportError as exc:
        assert exc.reason  # a Korean sentence for the user
        return
    for item in [*parsed.budget_lines, *parsed.audit_items]:
        assert item.source.line <= len(text.split("\n")) + 1
