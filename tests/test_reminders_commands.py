"""/milestone, /subscribe, /unsubscribe, /subscriptions as staff type them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Precision
from bot.replies import Reply, ReplyKind
from bot.store import Store
from handlers.commands import build_registry
from handlers.context import Context
from handlers.dispatch import handle

pytestmark = pytest.mark.both_backends  # the same replies and records on the TinyDB and the PostgreSQL store


@pytest.fixture
def store(tmp_path: Path, parsed_reports, store_backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    from bot.pgstore import open_store
    from tests.pg import backend_location

    with backend_location(store_backend, tmp_path / "db.json", request) as where:
        s = open_store(where, clock=FixedClock(datetime(2021, 10, 20, 10, tzinfo=SEOUL)))
        s.ingest(parsed_reports["2021_simin"])
        yield s
        s.close()


def ask(store: Store, text: str, admin: bool = False, platform: str = "console", channel: str | None = "ops") -> Reply:
    ctx = Context(store=store, clock=store.clock, settings=Settings(), platform=platform, channel_id=channel, is_admin=admin, user_id="U1", commands=build_registry())
    return handle(text, ctx)


def text_of(reply: Reply) -> str:
    return "\n".join([reply.title, *reply.summary, *(f"{k}: {v}" for k, v in reply.fields)])


def test_admin_adds_a_milestone_with_a_trailing_department(store):
    reply = ask(store, "/milestone add 2026-12-03 명예시민증 수여식 국제교류담당관", admin=True)
    assert reply.kind == ReplyKind.DONE
    [m] = [m for m in store.milestones() if m.manual_id is not None]
    assert (m.title, m.start, m.precision, m.dept, m.added_by) == ("명예시민증 수여식", date(2026, 12, 3), Precision.DAY, "국제교류담당관", "U1")
    assert "#1" in reply.title and "2026.12.3.(목)" in text_of(reply)


def test_department_typed_with_a_space_is_still_the_department(store):
    ask(store, "/milestone add 2026-12-03 수여식 국제교류 담당관", admin=True)
    [m] = [m for m in store.milestones() if m.manual_id is not None]
    assert (m.title, m.dept) == ("수여식", "국제교류담당관")


def test_a_title_ending_in_an_ordinary_word_keeps_it(store):
    ask(store, "/milestone add 2026-12-03 명예시민증 수여식", admin=True)
    [m] = [m for m in store.milestones() if m.manual_id is not None]
    assert (m.title, m.dept) == ("명예시민증 수여식", None)


@pytest.mark.parametrize(
    "typed, start, end, precision",
    [
        ("2026.12.3.", date(2026, 12, 3), None, Precision.DAY),
        ("2026-12", date(2026, 12, 1), None, Precision.MONTH),
        ("2026-12-01~2026-12-05", date(2026, 12, 1), date(2026, 12, 5), Precision.DAY),
        ("2026-12-01~05", date(2026, 12, 1), date(2026, 12, 5), Precision.DAY),
        ("2026-10~12", date(2026, 10, 1), date(2026, 12, 1), Precision.MONTH),
    ],
)
def test_milestone_dates_keep_the_precision_they_were_typed_with(store, typed, start, end, precision):
    assert ask(store, f"/milestone add {typed} 행사", admin=True).kind == ReplyKind.DONE
    [m] = [m for m in store.milestones() if m.manual_id is not None]
    assert (m.start, m.end, m.precision) == (start, end, precision)


def test_a_range_typed_with_spaces_around_the_tilde_is_one_date(store):
    ask(store, "/milestone add 2026-12-01 ~ 2026-12-05 축제 기간", admin=True)
    [m] = [m for m in store.milestones() if m.manual_id is not None]
    assert (m.title, m.end) == ("축제 기간", date(2026, 12, 5))


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "내일", "2026-12-05~2026-12-01"])
def test_bad_milestone_dates_get_a_korean_usage_reply(store, typed):
    reply = ask(store, f"/milestone add {typed} 행사", admin=True)
    assert reply.kind == ReplyKind.USAGE
    assert "날짜" in reply.title or "기간" in " ".join(reply.summary)
    assert not [m for m in store.milestones() if m.manual_id is not None]


def test_milestone_without_a_title_is_refused(store):
    reply = ask(store, "/milestone add 2026-12-03", admin=True)
    assert reply.kind == ReplyKind.USAGE and "이름" in reply.title


def test_only_admins_add_or_remove_milestones(store):
    assert ask(store, "/milestone add 2026-12-03 행사").kind == ReplyKind.DENIED
    ask(store, "/milestone add 2026-12-03 행사", admin=True)
    assert ask(store, "/milestone remove 1").kind == ReplyKind.DENIED
    assert ask(store, "/milestone list").kind == ReplyKind.ANSWER


def test_removing_a_milestone_by_its_number(store):
    ask(store, "/milestone add 2026-12-03 행사", admin=True)
    assert ask(store, "/milestone remove 1", admin=True).kind == ReplyKind.DONE
    assert ask(store, "/milestone remove 1", admin=True).kind == ReplyKind.NOT_FOUND
    assert ask(store, "/milestone remove 하나", admin=True).kind == ReplyKind.USAGE


def test_hand_added_milestones_survive_reingesting_the_report(store, parsed_reports):
    ask(store, "/milestone add 2026-12-03 수여식 국제교류담당관", admin=True)
    report = parsed_reports["2021_simin"]
    changed = report.model_copy(update={"report": report.report.model_copy(update={"id": "corrected-copy"})})
    assert store.ingest(changed).status == "replaced"
    assert [m.title for m in store.milestones() if m.manual_id is not None] == ["수여식"]


def test_milestone_list_for_a_loosely_typed_department(store):
    ask(store, "/milestone add 2021-12-03 수여식 국제교류담당관", admin=True)
    ask(store, "/milestone add 2021-12-04 다른 부서 행사 시민봉사담당관", admin=True)
    reply = ask(store, "/milestone list 국제 교류")
    assert reply.kind == ReplyKind.ANSWER and "국제교류담당관" in reply.title
    assert any("#1" in line and "수여식" in line for line in reply.summary)
    assert not any("다른 부서" in line for line in reply.summary)


def test_milestone_without_a_verb_explains_itself(store):
    reply = ask(store, "/milestone")
    assert reply.kind == ReplyKind.USAGE and any("/milestone add" in line for line in reply.summary)


def test_subscribing_a_channel_to_a_loosely_typed_department(store):
    reply = ask(store, "/subscribe 국제 교류")
    assert reply.kind == ReplyKind.DONE
    [sub] = store.subscriptions()
    assert (sub.platform, sub.channel, sub.target, sub.kind) == ("console", "ops", "국제교류담당관", "reminder")
    assert "7일 전·1일 전·당일 09:00" in text_of(reply)
    again = ask(store, "/subscribe 국제교류담당관")
    assert again.title.startswith("이미") and len(store.subscriptions()) == 1


def test_an_ambiguous_target_asks_instead_of_guessing(store):
    reply = ask(store, "/subscribe 시민")
    assert reply.kind == ReplyKind.CANDIDATES
    assert {"/subscribe 시민소통담당관", "/subscribe 시민봉사담당관"} <= {a.command for a in reply.candidates}
    assert store.subscriptions() == []


def test_subscribing_to_a_program_by_part_of_its_name(store):
    program = next(p.title for p in store.programs() if "명예시민" in p.title)
    assert ask(store, "/subscribe 명예시민").kind == ReplyKind.DONE
    assert [s.target for s in store.subscriptions()] == [program]


def test_unknown_target_gets_a_korean_not_found(store):
    reply = ask(store, "/subscribe 우주항공청")
    assert reply.kind == ReplyKind.NOT_FOUND and store.subscriptions() == []


def test_subscribe_all_and_unsubscribe_all(store):
    assert ask(store, "/subscribe 전체").kind == ReplyKind.DONE
    assert [s.target for s in store.subscriptions()] == ["all"]
    assert ask(store, "/unsubscribe all").kind == ReplyKind.DONE
    assert store.subscriptions() == []
    assert ask(store, "/unsubscribe all").kind == ReplyKind.NOT_FOUND


def test_subscriptions_belong_to_the_channel_they_were_asked_in(store):
    ask(store, "/subscribe 국제교류담당관", channel="C1")
    ask(store, "/digest subscribe", channel="C1")
    ask(store, "/subscribe all", channel="C2")
    c1 = ask(store, "/subscriptions", channel="C1")
    assert len(c1.summary) == 2 and any("국제교류담당관" in s for s in c1.summary) and any("주간 요약" in s for s in c1.summary)
    assert ask(store, "/unsubscribe 국제교류", channel="C2").kind == ReplyKind.NOT_FOUND
    assert ask(store, "/unsubscribe 국제교류", channel="C1").kind == ReplyKind.DONE
    assert ask(store, "/subscriptions", channel="C3").summary[0].startswith("이 채널에는 구독이 없습니다")


def test_a_platform_message_without_a_channel_cannot_subscribe(store):
    reply = ask(store, "/subscribe all", platform="slack", channel=None)
    assert reply.kind == ReplyKind.ERROR and store.subscriptions() == []


def test_subscribe_without_a_target_shows_how(store):
    reply = ask(store, "/subscribe")
    assert reply.kind == ReplyKind.USAGE and any("/subscribe all" in line for line in reply.summary)
