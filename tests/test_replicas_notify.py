"""A replica hears the others' writes: the change notices (LISTEN/NOTIFY) of its store,
not of another store in the same database, and "anything may have changed" after its
listening connection was cut."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from bot.pgstore.notify import CHANNEL, EVERYTHING, ChangeListener, parse_notice
from tests.pg import schema_url


class Heard:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, what: str) -> None:
        with self.lock:
            self.items.append(what)

    def wait_for(self, expected: list[str], timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.items == expected:
                    return list(self.items)
            time.sleep(0.05)
        return list(self.items)


@pytest.fixture
def schema(pg_server: str) -> Iterator[str]:
    name = f"test_notify_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def notify(server: str, payload: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])


def test_a_notice_names_its_store_and_what_changed() -> None:
    assert parse_notice("s1|subscriptions", "s1") == "subscriptions"
    assert parse_notice("s2|subscriptions", "s1") is None
    assert parse_notice("s1|", "s1") == EVERYTHING
    assert parse_notice("reports", "s1") == "reports"  # no schema: taken as ours


def test_a_subscription_made_on_another_replica_reaches_this_one(pg_server: str, schema: str) -> None:
    heard = Heard()
    listener = ChangeListener(schema_url(pg_server, schema), heard, retry_every=0.2).start()
    try:
        assert listener.connected.wait(10)
        notify(pg_server, f"{schema}|subscriptions")
        notify(pg_server, f"other_{schema}|reports")  # another store in the same database
        notify(pg_server, f"{schema}|reports")
        assert heard.wait_for(["subscriptions", "reports"]) == ["subscriptions", "reports"]
    finally:
        listener.stop()


def test_after_its_connection_is_cut_a_replica_assumes_anything_changed(pg_server: str, schema: str) -> None:
    heard = Heard()
    listener = ChangeListener(schema_url(pg_server, schema), heard, retry_every=0.2).start()
    try:
        assert listener.connected.wait(10)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [listener.backend_pid])
        assert heard.wait_for([EVERYTHING]) == [EVERYTHING]
        assert listener.connected.wait(10)
        notify(pg_server, f"{schema}|milestones")
        assert heard.wait_for([EVERYTHING, "milestones"]) == [EVERYTHING, "milestones"]
    finally:
        listener.stop()
