"""Slack as its users know it (issue 15), end to end: signed HTTP into the real Bolt app,
answers and API calls going to the fake Slack Web API (tests/fakes/slack_api.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages as M
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, SlackMessage, limits_problems, render_reply
from bot.adapters.slack_delivery import RESPONSE_URL_POSTS, SlackSender
from bot.adapters.slack_home import ACTION_HOME_UNSUBSCRIBE
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, ParsedReport, Precision, Report, Source, Subscription
from bot.replies import Reply, Section, Table
from bot.runtime import Runtime
from bot.store import Store
from handlers.registry import command
from reminders.calendar import WorkCalendar
from reminders.service import ReminderService
from tests.fakes.slack_api import FakeSlackApi, block_action, mention_event
from tests.test_slack_http import ADMIN, Slack, blocks_json, buttons, corpus_store, fake, runtime, slack  # noqa: F401 (fixtures)

USER = "U0USER01"
HERE = "C0CHAN01"


def texts(calls: list[Any]) -> str:
    return "\n".join(str(c.params.get("text", "")) + blocks_json(c) for c in calls)


def public_lines(fake: FakeSlackApi, channel: str = HERE) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel and not c.params.get("blocks")]


# -- where reminders can go -------------------------------------------------------------


async def test_subscribe_in_a_private_channel_without_the_bot_is_refused_with_the_invite_hint(slack: Slack) -> None:
    slack.fake.add_conversation("G0PRIV01", private=True, member=False)
    assert (await slack.slash("/subscribe", "국제교류담당관", channel_id="G0PRIV01"))[0] == 200
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "/invite @reportbot" in texts([answer])
    assert [s for s in slack.adapter.rt.store.subscriptions(include_paused=True) if s.channel == "G0PRIV01"] == []
    await slack.fake.settle(0.2)
    assert public_lines(slack.fake, "G0PRIV01") == []


async def test_subscribe_in_someone_elses_direct_message_is_refused(slack: Slack) -> None:
    slack.fake.add_conversation("D0OTHERS", im=True, member=False)  # a DM between two people
    assert (await slack.slash("/digest", "subscribe", channel_id="D0OTHERS"))[0] == 200
    (answer,) = await slack.fake.wait_for("response_url")
    assert M.SLACK_DM_HINT.split(".")[0] in texts([answer])
    assert slack.adapter.rt.store.subscriptions(include_paused=True) == []


async def test_subscribe_in_a_private_channel_the_bot_was_invited_to_works(slack: Slack) -> None:
    slack.fake.add_conversation("G0TEAM01", private=True, member=True)
    assert (await slack.slash("/subscribe", "국제교류담당관", channel_id="G0TEAM01"))[0] == 200
    await slack.fake.wait_for("response_url")
    assert [s.target for s in slack.adapter.rt.store.subscriptions() if s.channel == "G0TEAM01"] == ["국제교류담당관"]


def _festival_report() -> ParsedReport:
    src = Source(report_id="r1", doc="r.txt", line=10)
    return ParsedReport(
        report=Report(id="r1", doc="r.txt", title="주요업무보고", org="국제교류담당관", report_date=date(2021, 9, 6)),
        milestones=[Milestone(title="통합위원회 전체회의", start=date(2021, 10, 28), precision=Precision.DAY, dept="국제교류담당관", source=src)],
    )


async def test_a_delivery_refused_with_not_in_channel_pauses_the_subscription_and_tells_the_subscriber_once(tmp_path: Path) -> None:
    fake_api = await FakeSlackApi().start()
    try:
        clock = FixedClock(datetime(2021, 10, 27, 9, 0, 5, tzinfo=SEOUL))  # just after the D-1 send
        store = Store(tmp_path / "db.json", clock=clock)
        store.ingest(_festival_report())
        for target in ("국제교류담당관", "all"):
            store.add_subscription(Subscription(platform="slack", channel="G0GONE01", target=target, created_at=datetime(2021, 10, 1, tzinfo=SEOUL), created_by=USER))
        fake_api.kicked.add("G0GONE01")  # the bot was removed from the private channel
        rt = Runtime(settings=Settings(), store=store, clock=clock)
        rt.add_sender(SlackSender(AsyncWebClient(token=fake_api.bot_token, base_url=fake_api.base_url)))
        service = ReminderService(rt, WorkCalendar("KR"))
        await service.start()
        await service.catch_up()  # a second pass (a restart, a retry) must not ask Slack again
        await service.stop()

        refused = [c for c in fake_api.calls_to("chat.postMessage") if c.params.get("channel") == "G0GONE01"]
        assert len(refused) == 1  # tried once, not retried for a day
        dms = [c for c in fake_api.calls_to("chat.postMessage") if str(c.params.get("channel", "")).startswith("D")]
        assert len(dms) == 1  # told once, for both subscriptions
        assert "<#G0GONE01>" in dms[0].params["text"] and "not_in_channel" in dms[0].params["text"]
        assert fake_api.calls_to("conversations.open")[0].params["users"] == USER
        assert store.subscriptions() == []  # paused: nothing is planned for the channel
        assert len(store.subscriptions(include_paused=True)) == 2
        assert store.claims() == []  # no claim left open
    finally:
        await fake_api.stop()


async def test_subscribing_again_after_inviting_the_bot_resumes_a_paused_channel(slack: Slack) -> None:
    store = slack.adapter.rt.store
    store.add_subscription(Subscription(platform="slack", channel=HERE, target="국제교류담당관", created_at=datetime(2021, 9, 1, tzinfo=SEOUL), created_by=USER))
    assert len(store.pause_subscriptions("slack", HERE, "not_in_channel")) == 1
    assert store.pause_subscriptions("slack", HERE, "not_in_channel") == []  # once
    assert (await slack.slash("/subscriptions", ""))[0] == 200
    (listing,) = await slack.fake.wait_for("response_url")
    assert "멈춤" in texts([listing])
    assert (await slack.slash("/subscribe", "국제교류담당관", rid="r2"))[0] == 200
    await slack.fake.wait_for("response_url", count=2)
    assert [s.target for s in store.subscriptions()] == ["국제교류담당관"]


# -- channel-visible changes ------------------------------------------------------------


async def test_subscribe_posts_one_public_line_and_the_details_stay_ephemeral(slack: Slack) -> None:
    assert (await slack.slash("/subscribe", "국제교류담당관"))[0] == 200
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "09:00" in texts([answer])  # the details: when reminders come
    await slack.fake.wait_for("chat.postMessage")
    assert public_lines(slack.fake) == [f"<@{USER}>님이 이 채널에 국제교류담당관 일정 알림을 구독했습니다."]
    # subscribing again changes nothing: no second line
    assert (await slack.slash("/subscribe", "국제교류담당관", rid="r2"))[0] == 200
    await slack.fake.wait_for("response_url", count=2)
    await slack.fake.settle(0.2)
    assert len(public_lines(slack.fake)) == 1


async def test_digest_subscribe_milestone_add_and_audit_done_each_tell_the_channel(slack: Slack) -> None:
    assert (await slack.slash("/digest", "subscribe"))[0] == 200
    await slack.fake.wait_for("chat.postMessage")
    assert (await slack.slash("/milestone", "add 2021-10-15 자매도시 대표단 방문 국제교류담당관", rid="r2", user_id=ADMIN))[0] == 200
    await slack.fake.wait_for("chat.postMessage", count=2)
    assert (await slack.slash("/audit", "done 7 2021 완료", rid="r3", user_id=ADMIN))[0] == 200
    await slack.fake.wait_for("chat.postMessage", count=3)
    lines = public_lines(slack.fake)
    assert lines[0] == f"<@{USER}>님이 이 채널에 주간 요약을 구독했습니다."
    assert lines[1].startswith(f"<@{ADMIN}>님이 일정을 추가했습니다") and "자매도시 대표단 방문" in lines[1]
    assert lines[2] == f"<@{ADMIN}>님이 감사 후속조치 7번을 완료로 기록했습니다."
    for call in slack.fake.calls_to("response_url"):
        assert call.params["response_type"] == "ephemeral"


# -- shared answers, threads ------------------------------------------------------------


async def test_a_button_under_a_shared_answer_opens_a_new_ephemeral_page_and_leaves_the_shared_one(slack: Slack) -> None:
    payload = block_action(f"{ACTION_RUN_PREFIX}0", "/budget 뉴미디어담당관 p2", slack.fake.response_url("shared"), ephemeral=False)
    from urllib.parse import urlencode

    assert (await slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"))[0] == 200
    (page,) = await slack.fake.wait_for("response_url")
    assert page.params["response_type"] == "ephemeral"
    assert page.params["replace_original"] is False  # the public answer (and its "shared by" line) stays
    assert "2/2" in texts([page])
    await slack.fake.settle(0.2)
    assert slack.fake.calls_to("chat.update") == [] and public_lines(slack.fake) == []


async def test_a_button_under_ones_own_answer_still_turns_the_page_in_place(slack: Slack) -> None:
    assert (await slack.click(f"{ACTION_RUN_PREFIX}0", "/budget 뉴미디어담당관 p2"))[0] == 200
    (page,) = await slack.fake.wait_for("response_url")
    assert page.params["replace_original"] is True and page.params["response_type"] == "ephemeral"


async def test_a_top_level_mention_is_answered_in_a_thread_under_it(slack: Slack) -> None:
    assert (await slack.event(mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="EvTHREAD1")))[0] == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1630000002.000300"  # the mention's own ts


async def test_mentions_are_answered_inline_when_threads_are_switched_off(slack: Slack) -> None:
    slack.adapter.rt.settings.slack.mention_in_thread = False
    assert (await slack.event(mention_event("<@UBOT0001> /budget 뉴미디어담당관", event_id="EvINLINE1")))[0] == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert "thread_ts" not in post.params


# -- tables on a phone --------------------------------------------------------------------


async def test_a_budget_table_comes_as_slacks_native_table_block(slack: Slack) -> None:
    assert (await slack.slash("/budget", "뉴미디어담당관"))[0] == 200
    (answer,) = await slack.fake.wait_for("response_url")
    tables = [b for b in answer.params["blocks"] if b["type"] == "table"]
    assert len(tables) == 1 and "```" not in blocks_json(answer)
    rows = tables[0]["rows"]
    assert rows[0][0]["text"].startswith("사업") and len(rows) == 11  # header + 10 programs a page
    assert any(c["text"] == "32.7%" for r in rows for c in r)
    assert tables[0]["column_settings"][-1] == {"align": "right"}
    assert Block.parse(tables[0]).to_dict()["type"] == "table"  # slack_sdk's TableBlock model reads it
    assert limits_problems(SlackMessage(answer.params["text"], answer.params["blocks"])) == []


def test_without_native_tables_a_narrow_table_is_fields_and_a_wide_one_a_code_block() -> None:
    narrow = Reply(title="t", table=Table(columns=["사업", "집행률"], rows=[["축제", "48.3%"], ["명예시민", "73.6%"]], align_right=[False, True]))
    (msg,) = render_reply(narrow)
    fields = [b for b in msg.blocks if b.get("fields")]
    assert fields and "*축제*\n집행률 48.3%" in [f["text"] for f in fields[0]["fields"]]
    wide = Reply(title="t", table=Table(columns=["a", "b", "c", "d", "e"], rows=[["가" * 30, "1", "2", "3", "4"]]))
    (msg,) = render_reply(wide)
    assert "```" in json.dumps(msg.blocks, ensure_ascii=False)
    big = Reply(title="t", table=Table(columns=["a", "b"], rows=[[str(i), "x"] for i in range(150)]))
    assert all(b["type"] != "table" for m in render_reply(big, native_tables=True) for b in m.blocks)  # over 100 rows


# -- response_url budget -------------------------------------------------------------------


@pytest.fixture
def long_command(runtime: Runtime) -> Iterator[None]:
    @command("slackeight", "테스트: 여덟 메시지")
    def _eight(args: str, ctx: Any) -> Reply:
        sections = [Section(heading=f"추진실적 {j}", lines=[f"{j}-{k} 세부 내용 " + "가" * 200 for k in range(40)]) for j in range(12)]
        return Reply(title="아주 긴 답", sections=sections)  # 12 messages

    runtime.registry.add(_eight)
    yield


async def test_a_long_answer_never_posts_a_sixth_time_to_its_response_url(slack: Slack, long_command: None) -> None:
    assert (await slack.slash("/slackeight", "", rid="long"))[0] == 200
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.fake.settle(0.3)
    to_url = [c for c in slack.fake.calls_to("response_url") if c.path.endswith("/long")]
    rest = slack.fake.calls_to("chat.postEphemeral")
    assert len(to_url) == RESPONSE_URL_POSTS == 5
    assert rest and all(c.params["user"] == USER and c.params["channel"] == HERE for c in rest)
    assert "11-39 세부 내용" in texts(rest)  # nothing lost


async def test_the_sixth_click_on_one_message_is_not_sent_to_its_response_url(slack: Slack) -> None:
    for n in range(6):
        # back and forth between the pages (distinct clicks: an identical signed body is a replay)
        assert (await slack.click(f"{ACTION_RUN_PREFIX}0", f"/budget 뉴미디어담당관 p{2 - n % 2}" + " " * n, rid="same"))[0] == 200
        await slack.fake.wait_for("response_url" if n < 5 else "chat.postEphemeral", count=min(n + 1, 5) if n < 5 else 1)
    await slack.fake.settle(0.2)
    assert len(slack.fake.calls_to("response_url")) == 5
    assert len(slack.fake.calls_to("chat.postEphemeral")) == 1


# -- App Home ---------------------------------------------------------------------------------


def home_opened(user: str, event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME01", "tab": "home", "event_ts": "1630000005.000100"},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1630000005,
    }


async def test_app_home_shows_the_persons_subscriptions_what_is_coming_and_reports(slack: Slack) -> None:
    store = slack.adapter.rt.store
    store.add_subscription(Subscription(platform="slack", channel=HERE, target="국제교류담당관", created_at=datetime(2021, 9, 1, tzinfo=SEOUL), created_by=USER))
    store.add_subscription(Subscription(platform="slack", channel="C0OTHER1", target="시민소통담당관", created_at=datetime(2021, 9, 1, tzinfo=SEOUL), created_by="U0SOMEONE"))
    slack.adapter.rt.clock = FixedClock(date(2021, 9, 28))  # so the 축제 (10.1.) is within 14 days
    assert (await slack.event(home_opened(USER, "EvHOME1")))[0] == 200
    await slack.fake.wait_for("views.publish")
    view = slack.fake.views[USER][-1]
    text = json.dumps(view, ensure_ascii=False)
    assert f"<#{HERE}>" in text and "국제교류담당관" in text
    assert "C0OTHER1" not in text  # someone else's subscription
    assert "서울세계도시문화축제" in text  # the next 14 days of what they follow
    assert "주요업무보고" in text  # latest reports
    unsub = [b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == ACTION_HOME_UNSUBSCRIBE]
    assert len(unsub) == 1
    shortcuts = [e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "/upcoming" in shortcuts and "/budget" in shortcuts
    # 해지 on the Home tab removes it and the tab is published again without it
    payload = {
        "type": "block_actions",
        "user": {"id": USER},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0001"},
        "trigger_id": "1.2.5",
        "team": {"id": "T0001"},
        "view": {"id": "V0001", "type": "home"},
        "actions": [{"action_id": ACTION_HOME_UNSUBSCRIBE, "block_id": "b", "value": unsub[0]["value"], "type": "button", "action_ts": "1"}],
    }
    from urllib.parse import urlencode

    assert (await slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"))[0] == 200
    await slack.fake.wait_for("views.publish", count=2)
    assert [s.created_by for s in store.subscriptions()] == ["U0SOMEONE"]
    assert M.HOME_SUBS_EMPTY.split(".")[0] in json.dumps(slack.fake.views[USER][-1], ensure_ascii=False)
