"""Two bot processes on one PostgreSQL store (#16's "several replicas, one truth").

Two real ``reportbot run --platform slack --http`` processes share a store (a schema of
their own) and one fake Slack, with clocks pinned to the same moment just before a
reminder is due:

1. the reminder goes out exactly once — one replica holds the scheduler lock;
2. the holder is killed (SIGKILL, the moment its post reached Slack): the other replica
   takes over, sends the digest that came due meanwhile, and sends nothing twice;
3. the killed replica is started again; a report uploaded and saved through one replica
   is answered by the other, whose caches knew the store without it;
4. a Slack retry of one event, delivered to both replicas, is answered once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import psycopg
import pytest

from bot.clock import SEOUL, FixedClock
from bot.ingest import parse_file
from bot.models import Milestone, Precision, Subscription
from bot.pgstore.leader import APPLICATION_NAME, lock_key
from tests.conftest import REPORT_FILES
from tests.fakes.slack_api import FakeSlackApi, block_action, file_share_event, mention_event, signed_headers, slash_command
from tests.pg import fresh_schema

REPORTBOT = Path(sys.executable).with_name("reportbot")
SECRET = "replica-signing-secret"
TOKEN = "xoxb-replicas"
ADMIN = "UADMIN01"
REMINDERS = "CREMIND1"  # a channel subscribed to the test department's milestones
DIGESTS = "CDIGEST1"  # a channel subscribed to the weekly digest
DAY = date(2021, 10, 27)  # a Wednesday
START = datetime(2021, 10, 27, 8, 59, 52, tzinfo=SEOUL)  # the pinned clocks start here: 8 s to start up
DIGEST_AT = "09:00:06"  # due after the reminder, when the first holder is already dead
TITLE = "복제시험 수여식"
DEPT = "복제시험담당관"
GUARD_SECONDS = 90  # ~25 s as a rule; a kill between a post and its record adds the 20 s handover


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shared_store(pg_server: str) -> Iterator[tuple[str, str]]:
    """A store URL of this test's own and the name of its schema."""
    with fresh_schema(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
        assert row is not None
        yield str(row[0]), url


@dataclass
class Replica:
    """One bot process and its Slack endpoint."""

    name: str
    port: int
    proc: asyncio.subprocess.Process
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def ready(self, session: aiohttp.ClientSession, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.returncode is None, f"{self.name} exited: {self.log.read_text(errors='replace')[-2000:]}"
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(self.url) as r:  # any answer: the endpoint is up
                    if r.status:
                        return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} did not start: {self.log.read_text(errors='replace')[-2000:]}")

    async def post(self, session: aiohttp.ClientSession, body: str, content_type: str) -> int:
        async with session.post(self.url, data=body.encode(), headers=signed_headers(SECRET, body, content_type)) as r:
            return r.status

    async def slash(self, session: aiohttp.ClientSession, fake: FakeSlackApi, command: str, text: str, rid: str) -> int:
        form = slash_command(command, text, fake.response_url(rid))
        form["trigger_id"] = f"trigger-{rid}"
        return await self.post(session, urlencode(form), "application/x-www-form-urlencoded")

    async def click(self, session: aiohttp.ClientSession, fake: FakeSlackApi, action_id: str, value: str, rid: str) -> int:
        payload = block_action(action_id, value, fake.response_url(rid), user_id=ADMIN, channel_id="D0DM0001", ephemeral=False)
        payload["trigger_id"] = f"trigger-{rid}"
        return await self.post(session, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def event(self, session: aiohttp.ClientSession, payload: dict[str, Any]) -> int:
        return await self.post(session, json.dumps(payload), "application/json")


class Cluster:
    """Starts replicas whose pinned clocks agree: each starts at ``START`` plus the time
    since the first one started."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.t0: float | None = None
        self.replicas: list[Replica] = []

    async def start(self, name: str) -> Replica:
        if self.t0 is None:
            self.t0 = time.monotonic()
        as_of = START + timedelta(seconds=time.monotonic() - self.t0)
        port = free_port()
        log = self.logs / f"{name}.log"
        out = log.open("wb")
        proc = await asyncio.create_subprocess_exec(
            str(REPORTBOT), "run", "--platform", "slack", "--http", "--port", str(port),
            "--as-of", as_of.replace(tzinfo=None).isoformat(timespec="milliseconds"),
            env=self.env, stdout=out, stderr=asyncio.subprocess.STDOUT,
        )
        out.close()
        replica = Replica(name, port, proc, log)
        self.replicas.append(replica)
        return replica

    async def stop_all(self) -> None:
        for r in self.replicas:
            if r.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    r.proc.send_signal(signal.SIGTERM)
        for r in self.replicas:
            try:
                await asyncio.wait_for(r.proc.wait(), 10)
            except TimeoutError:
                r.proc.kill()
                await r.proc.wait()


def scheduler_holder(url: str, schema: str) -> int | None:
    """The OS process id of the replica holding the scheduler lock, as an operator finds
    it: ``pg_locks`` joined with the lock session's ``application_name``."""
    with psycopg.connect(url, autocommit=True) as conn:
        db = conn.execute("SELECT current_database()").fetchone()
        key = lock_key(f"{db[0] if db else ''}.{schema}")
        row = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE l.locktype = 'advisory' AND l.granted"
            " AND ((l.classid::bigint << 32) | l.objid::bigint) = (%s::bigint & x'ffffffffffffffff'::bigint)",
            [key],
        ).fetchone()
    if not row or not str(row[0]).startswith(APPLICATION_NAME + "-"):
        return None
    return int(str(row[0]).rsplit("-", 1)[1])


def posts_to(fake: FakeSlackApi, channel: str) -> list[str]:
    return [json.dumps(c.params, ensure_ascii=False) for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def answers(fake: FakeSlackApi, rid: str) -> list[str]:
    """What the bot posted to one slash command's response_url."""
    return [json.dumps(c.params, ensure_ascii=False) for c in fake.calls_to("response_url") if c.path.endswith(f"/{rid}")]


def button(fake: FakeSlackApi, channel: str, label: str) -> dict[str, Any]:
    for call in fake.calls_to("chat.postMessage"):
        if call.params.get("channel") != channel:
            continue
        blocks = call.params.get("blocks", [])
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        for b in blocks:
            for el in b.get("elements", []) if b.get("type") == "actions" else []:
                if el["text"]["text"] == label:
                    return dict(el)
    raise AssertionError(f"no {label} button in {channel}")


def has_button(fake: FakeSlackApi, channel: str, label: str) -> bool:
    try:
        button(fake, channel, label)
    except AssertionError:
        return False
    return True


async def until(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    slack = await FakeSlackApi(bot_token=TOKEN).start()
    for channel in (REMINDERS, DIGESTS):
        slack.add_conversation(channel)
    yield slack
    await slack.stop()


async def test_two_replicas_send_each_reminder_once_take_over_from_a_dead_holder_and_see_each_others_ingests(
    shared_store: tuple[str, str], fake: FakeSlackApi, tmp_path: Path
) -> None:
    from bot.pgstore.store import PgStore

    started = time.monotonic()
    schema, url = shared_store
    store = PgStore(url, clock=FixedClock(date(2021, 10, 1)))
    store.ingest(parse_file(REPORT_FILES["2020_secretary"]))
    store.add_manual_milestone(Milestone(title=TITLE, start=DAY, precision=Precision.DAY, dept=DEPT))
    created = datetime(2021, 10, 20, tzinfo=SEOUL)
    store.add_subscription(Subscription(platform="slack", channel=REMINDERS, target=DEPT, created_at=created))
    store.add_subscription(Subscription(platform="slack", channel=DIGESTS, target="all", kind="digest", created_at=created))
    store.close()

    empty = tmp_path / "no-reports"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "REPORTBOT_"))}
    env.update(
        REPORTBOT_DB=url,
        REPORTBOT_STORE__REPORTS_DIR=str(empty),
        REPORTBOT_REMINDERS__OFFSETS_DAYS="[0]",
        REPORTBOT_DIGEST__WEEKDAY=str(DAY.weekday()),
        REPORTBOT_DIGEST__SEND_TIME=DIGEST_AT,
        REPORTBOT_SLACK__ADMIN_USERS=json.dumps([ADMIN]),
        REPORTBOT_UPLOAD__SPOOL_DIR=str(tmp_path / "uploads"),  # shared by the replicas, as on a shared volume
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        PYTHONUNBUFFERED="1",
    )
    cluster = Cluster(env, tmp_path)
    try:
        async with aiohttp.ClientSession() as session:
            a, b = await cluster.start("a"), await cluster.start("b")
            await asyncio.gather(a.ready(session), b.ready(session))

            # -- 1. the reminder at 09:00 goes out once -------------------------------------
            await until(lambda: posts_to(fake, REMINDERS), 30, "the 09:00 reminder")
            holder_pid = scheduler_holder(url, schema)
            holder, other = (a, b) if holder_pid == a.proc.pid else (b, a)
            assert holder_pid == holder.proc.pid, "the sender holds the scheduler lock"

            # -- 2. the holder dies the moment its post reached Slack --------------------
            holder.proc.send_signal(signal.SIGKILL)
            await holder.proc.wait()
            await until(lambda: scheduler_holder(url, schema) == other.proc.pid, 15, "the other replica to take the lock")
            # (up to 20 s later when the kill left the reminder's claim open: ReplicaDuties' handover)
            await until(lambda: posts_to(fake, DIGESTS), 40, "the digest due after the kill")
            await asyncio.sleep(1.5)  # anything sent twice would arrive now
            reminders, digests = posts_to(fake, REMINDERS), posts_to(fake, DIGESTS)
            assert len(reminders) == 1 and TITLE in reminders[0]
            assert len(digests) == 1

            # -- 3. an ingest through one replica is answered by the other ----------------
            again = await cluster.start("a2")
            await again.ready(session)
            assert await again.slash(session, fake, "/budget", "뉴미디어담당관", "before") == 200
            await until(lambda: answers(fake, "before"), 15, "the answer before the upload")
            assert "44.2%" not in " ".join(answers(fake, "before"))

            report = REPORT_FILES["2021_simin"]
            shared = fake.user_file(report.name, report.read_bytes())
            assert await other.event(session, file_share_event([shared], "EvReplicaUpload", user_id=ADMIN)) == 200
            # the preview (with its 저장 button) may follow a first "reading it" post
            await until(lambda: has_button(fake, "D0DM0001", "저장"), 20, "the upload preview")
            save = button(fake, "D0DM0001", "저장")
            assert await other.click(session, fake, save["action_id"], save["value"], "save") == 200
            await until(lambda: any("저장했습니다" in a for a in answers(fake, "save")), 20, "the upload saved")

            assert await again.slash(session, fake, "/budget", "뉴미디어담당관", "after") == 200
            await until(lambda: answers(fake, "after"), 15, "the answer after the upload")
            assert "44.2%" in " ".join(answers(fake, "after"))

            # -- 4. Slack retries one event to both replicas: one answer -----------------
            mentions = len(fake.calls_to("chat.postMessage"))
            event = mention_event("<@UBOT0001> 뉴미디어담당관 예산", "EvReplicaRetry")
            assert await other.event(session, event) == 200
            assert await again.event(session, event) == 200  # the retry, landing elsewhere
            await until(lambda: len(fake.calls_to("chat.postMessage")) > mentions, 15, "the mention's answer")
            for n, replica in enumerate((other, again)):  # each answers in arrival order: then the retry was handled
                assert await replica.slash(session, fake, "/help", "", f"drain{n}") == 200
            await until(lambda: answers(fake, "drain0") and answers(fake, "drain1"), 15, "both replicas to drain")
            assert len(fake.calls_to("chat.postMessage")) == mentions + 1
    finally:
        await cluster.stop_all()
    assert time.monotonic() - started < GUARD_SECONDS
