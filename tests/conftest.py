"""Shared fixtures: the bundled corpus and the golden answer keys."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"

# The golden keys name the reports by their original corpus file names.
GOLDEN_DOCS = {
    "000_71e6d28c51e5f0ea": "2021-09-06_시민소통기획관_주요업무보고.txt",
    "003_a77447f6520c32fb": "2021-04_기획조정실_주요업무보고.txt",
}

REPORT_FILES = {
    "2021_simin": REPORTS / "2021-09-06_시민소통기획관_주요업무보고.txt",
    "2016_simin": REPORTS / "2016-04-26_시민소통기획관_2016_주요업무보고.txt",
    "2018_settlement": REPORTS / "2019-06-17_시민소통기획관_2018회계연도_결산업무보고.txt",
    "2021_gijo": REPORTS / "2021-04_기획조정실_주요업무보고.txt",
    "2020_secretary": REPORTS / "2020-04_시장비서실_주요업무보고.txt",
}


@pytest.fixture(scope="session")
def parsed_reports():
    """Each bundled report parsed once per test session."""
    from bot.ingest import parse_file

    return {key: parse_file(path) for key, path in REPORT_FILES.items()}


def load_golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


# -- stores for handler tests (one per module: some tests record audit statuses) --------
# On TinyDB, or on each backend in modules marked ``both_backends`` (tests/pg.py).
from tests.pg import pg_server, pg_url, store_backend  # noqa: E402,F401  (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run the module's stores on TinyDB and on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    from tests.pg import parametrize_backends

    parametrize_backends(metafunc)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, store_backend, request):
    """The bundled corpus as the bot builds it on first start."""
    from tests.handmade import corpus_store
    from tests.pg import backend_location

    with backend_location(store_backend, tmp_path_factory.mktemp("corpus") / "db.json", request) as where:
        store = corpus_store(where)
        yield store
        store.close()


@pytest.fixture()
def made(tmp_path, store_backend, request):
    """A small made-up office (tests/handmade.py), fresh for each test."""
    from tests.handmade import build_store
    from tests.pg import backend_location

    with backend_location(store_backend, tmp_path / "db.json", request) as where:
        store = build_store(where)
        yield store
        store.close()


@pytest.fixture(scope="session")
def corpus_store_file(tmp_path_factory) -> Path:
    """The bundled corpus ingested once per session into a store file. Read-only:
    a test whose bot may write copies it first."""
    from datetime import date

    from bot.clock import FixedClock
    from bot.runtime import build_store_from_corpus
    from bot.store import Store

    path = tmp_path_factory.mktemp("corpus-store") / "store.json"
    store = Store(path, clock=FixedClock(date(2021, 9, 6)))
    build_store_from_corpus(store, REPORTS)
    store.close()
    return path


@pytest.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeTelegram]:
    """A local fake Telegram Bot API on 127.0.0.1 for the module's ``TOKEN`` (each
    Telegram test module names its own, so a token leaking between them would show)."""
    f = FakeTelegram(request.module.TOKEN)
    await f.start()
    yield f
    await f.stop()
