"""The weekly digest: next two weeks' milestones, open audit follow-ups with their age,
lagging 집행률, what changed since the last digest — the same for /digest, the
scheduler and `reportbot digest`."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.clock import SEOUL, FixedClock
from bot.config import Settings
from bot.models import Milestone, Precision
from bot.replies import Reply, ReplyKind
from bot.replies.digest import build_digest
from bot.store import Store
from handlers.commands import build_registry
from handlers.context import Context
from handlers.dispatch import handle
from tests.conftest import load_golden

AS_OF = date(2021, 10, 25)
CLOCK = FixedClock(datetime(2021, 10, 25, 9, tzinfo=SEOUL))


@pytest.fixture
def corpus(tmp_path: Path, parsed_reports) -> Store:
    store = Store(tmp_path / "db.json", clock=FixedClock(datetime(2021, 9, 30, 9, tzinfo=SEOUL)))
    for parsed in parsed_reports.values():
        store.ingest(parsed)
    store.clock = CLOCK
    return store


def section(reply: Reply, starts: str) -> list[str]:
    return next(s.lines for s in reply.sections if s.heading.startswith(starts))


def test_digest_for_the_sample_corpus_lists_the_beijing_committee_and_the_open_audit_follow_ups(corpus):
    reply = build_digest(corpus, Settings(), AS_OF)
    upcoming = section(reply, "다가오는 일정")
    beijing = [line for line in upcoming if "서울-베이징 통합위원회" in line and "2021.10.28." in line]
    assert beijing, upcoming
    assert any(line.startswith("D-3") for line in beijing)

    golden = load_golden("000_71e6d28c51e5f0ea")
    open_by_dept = Counter(a["dept"] for a in golden["audit_items"] if a["status"] != "완료")
    audit = section(reply, "미완료 감사 후속조치")
    for dept, count in open_by_dept.items():
        assert f"{dept}: {count}건" in audit
    items = [line for line in audit if line.strip().startswith("·")]
    assert len(items) == sum(open_by_dept.values())
    assert all("49일째" in line for line in items)  # open since the 2021.9.6. report
    assert not any("[완료]" in line for line in items)


def test_digest_window_is_the_next_fourteen_days_honest_to_precision(tmp_path):
    store = Store(tmp_path / "db.json", clock=CLOCK)
    for title, start, end, precision in [
        ("기간 안 행사", date(2021, 11, 8), None, Precision.DAY),
        ("기간 밖 행사", date(2021, 11, 9), None, Precision.DAY),
        ("지난 행사", date(2021, 10, 22), None, Precision.DAY),
        ("10월 중 행사", date(2021, 10, 1), None, Precision.MONTH),
        ("곧 끝나는 축제", date(2021, 10, 20), date(2021, 10, 30), Precision.DAY),
        ("오래 가는 용역", date(2021, 8, 1), date(2022, 5, 1), Precision.MONTH),
    ]:
        store.add_manual_milestone(Milestone(title=title, start=start, end=end, precision=precision))
    lines = section(build_digest(store, Settings(), AS_OF), "다가오는 일정")
    text = "\n".join(lines)
    assert "기간 안 행사" in text and "기간 밖 행사" not in text and "지난 행사" not in text
    assert "오래 가는 용역" not in text
    assert any("10월 중 행사" in line and "2021.10.31.에 끝남" in line for line in lines)
    assert any("곧 끝나는 축제" in line and "2021.10.30.에 끝남" in line for line in lines)


def test_lagging_programs_come_lowest_rate_first_with_their_table_date(corpus):
    lines = section(build_digest(corpus, Settings(), AS_OF), "집행률이 낮은 사업")
    rows = [line for line in lines if "집행률" in line]
    assert len(rows) == Settings().digest.lagging_programs
    rates = [float(line.rsplit("집행률 ", 1)[1].rstrip("%")) for line in rows]
    assert rates == sorted(rates)
    assert any("기준일 2021.7.31." in line for line in lines)


def test_changes_since_the_last_digest(corpus):
    since = datetime(2021, 10, 18, 9, tzinfo=SEOUL)
    corpus.clock = FixedClock(datetime(2021, 10, 20, 15, tzinfo=SEOUL))
    corpus.add_manual_milestone(Milestone(title="명예시민증 수여식", start=date(2021, 11, 19), precision=Precision.DAY))
    corpus.clock = CLOCK
    changes = section(build_digest(corpus, Settings(), AS_OF, since), "지난 요약 이후 바뀐 점")
    assert changes == ["2021.10.20. 일정 추가: 2021-11-19 명예시민증 수여식"]
    later = section(build_digest(corpus, Settings(), AS_OF, datetime(2021, 10, 21, tzinfo=SEOUL)), "지난 요약 이후 바뀐 점")
    assert later == ["바뀐 점이 없습니다."]
    # reports ingested on 9.30 fall in a digest that looks back far enough, and never in one dated before them
    assert any("보고서 추가" in line for line in section(build_digest(corpus, Settings(), date(2021, 10, 4)), "지난 요약"))
    assert section(build_digest(corpus, Settings(), date(2021, 9, 27)), "지난 요약") == ["바뀐 점이 없습니다."]


def ask(store: Store, text: str, channel: str = "ops") -> Reply:
    return handle(text, Context(store=store, clock=store.clock, settings=Settings(), platform="console", channel_id=channel, commands=build_registry()))


def test_digest_command_now_subscribe_and_unsubscribe(corpus):
    now = ask(corpus, "/digest")
    assert now.kind == ReplyKind.ANSWER and now.title == "주간 요약 · 2021.10.25.(월)"
    assert ask(corpus, "/digest subscribe").kind == ReplyKind.DONE
    assert ask(corpus, "/digest subscribe").title.startswith("이미")
    assert [(s.kind, s.channel) for s in corpus.subscriptions()] == [("digest", "ops")]
    assert ask(corpus, "/digest unsubscribe").kind == ReplyKind.DONE
    assert ask(corpus, "/digest unsubscribe").kind == ReplyKind.NOT_FOUND
    assert ask(corpus, "/digest 아무거나").kind == ReplyKind.USAGE


def test_reportbot_digest_prints_the_same_digest_as_of_a_date(corpus):
    corpus.close()
    result = CliRunner().invoke(app, ["--db", str(corpus.path), "digest", "--as-of", "2021-10-25"])
    assert result.exit_code == 0, result.output
    assert "■ 주간 요약 · 2021.10.25.(월)" in result.output
    assert "서울-베이징 통합위원회" in result.output
    bad = CliRunner().invoke(app, ["--db", str(corpus.path), "digest", "--as-of", "10/25"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
