"""PostgreSQL for the tests: the server, a schema of its own per store, and the
``store_backend`` switch that runs a test module against TinyDB and PostgreSQL alike.

The server is ``REPORTBOT_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``,
which these machines run). Where none answers, a throwaway one is started from the
installed PostgreSQL binaries (initdb/pg_ctl under /usr/lib/postgresql/*/bin, as the
``postgres`` user when run as root) in a temporary folder on a free port, and stopped at
the end of the session. Only where neither exists are the PostgreSQL tests skipped, with
that reason printed. Each store gets a uniquely named schema (``search_path`` set in its
URL), dropped afterwards, so tests — and other people's runs on the same server — never
see each other's tables.

A module runs against both backends with ``pytestmark = pytest.mark.both_backends``:
its ``made`` and ``corpus`` stores (tests/conftest.py) are then built on each."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ("tinydb", "postgresql")


def _answers(url: str) -> str | None:
    """None when a server answers at ``url``, else why not."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except psycopg.Error as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Throwaway:
    """A PostgreSQL cluster in a temporary folder, for one test session."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="reportbot-pg-"))
        self.port = _free_port()
        self.user: str | None = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        kw: dict[str, Any] = {"check": True, "capture_output": True, "timeout": 60}
        if self.user:
            pw = pwd.getpwnam(self.user)
            kw["user"], kw["group"] = pw.pw_uid, pw.pw_gid
        subprocess.run(cmd, **kw)

    def start(self) -> str:
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")
        base = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("CREATE DATABASE test")
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the tests (see the module doc)."""
    url = os.environ.get("REPORTBOT_TEST_PG", DEFAULT_PG)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed")
    why = _answers(url)
    if why is None:
        yield url
        return
    bindir = _binaries()
    if bindir is None:
        reason = f"PostgreSQL tests skipped: no server at {url} ({why}) and no initdb/pg_ctl installed"
        print(f"\n{reason}", file=sys.__stderr__)  # past pytest's capture: said even without -rs
        pytest.skip(reason)
    server = Throwaway(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


def schema_url(server: str, schema: str) -> str:
    """``server`` with ``search_path`` set to ``schema`` (libpq ``options``)."""
    sep = "&" if "?" in server else "?"
    return f"{server}{sep}options={quote(f'-csearch_path={schema}')}"


@contextlib.contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """A URL whose tables live in a new, uniquely named schema, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:
    """A PostgreSQL store URL of this test's own (empty schema)."""
    with fresh_schema(pg_server) as url:
        yield url


@pytest.fixture(scope="module")
def store_backend(request: pytest.FixtureRequest) -> str:
    """Which store a test's ``made``/``corpus`` stores are (``both_backends`` modules run
    once per backend; others on TinyDB)."""
    return str(getattr(request, "param", "tinydb"))


def parametrize_backends(metafunc: pytest.Metafunc) -> None:
    """``pytest_generate_tests``: modules marked ``both_backends`` run on each backend."""
    if "store_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("store_backend", BACKENDS, indirect=True, scope="module")


@contextlib.contextmanager
def backend_location(backend: str, path: Path, request: pytest.FixtureRequest) -> Iterator[str | Path]:
    """Where a store of ``backend`` lives for one fixture: the file path, or a fresh schema."""
    if backend == "tinydb":
        yield path
        return
    server = request.getfixturevalue("pg_server")
    with fresh_schema(server) as url:
        yield url


def open_any(location: str | Path, clock: Any) -> Any:
    """A store at ``location`` (TinyDB path or PostgreSQL URL)."""
    from bot.pgstore import open_store

    return open_store(location, clock=clock)
