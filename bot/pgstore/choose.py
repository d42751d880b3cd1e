"""Which store a location names: ``postgresql://…`` opens ``PgStore``, anything else is a
TinyDB store file. The one place the CLI and the runtime open a store through."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bot.clock import Clock

if TYPE_CHECKING:
    from bot.config import Settings


_PG_SCHEMES = ("postgresql://", "postgres://")


def is_pg_url(location: object) -> bool:
    """Whether a store location names a PostgreSQL database (else it is a TinyDB path)."""
    return isinstance(location, str) and location.startswith(_PG_SCHEMES)


def redact_url(url: str) -> str:
    """The URL with any password masked: what logs, notices and ``store.path`` show."""
    parts = urlsplit(url)
    if parts.password is None:
        netloc = parts.netloc
    else:
        userinfo, _, host = parts.netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class StoreUnreachableError(Exception):
    """No PostgreSQL answers at the store URL; ``message`` is Korean (the password masked)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message



def store_location(settings: Settings, db: str | Path | None = None) -> str | Path:
    """``--db``/``REPORTBOT_DB`` first, then ``[store] url``, then ``[store] path``."""
    if db is not None and str(db):
        return db
    return settings.store.url or settings.store.path


def open_store(location: str | Path, clock: Clock | None = None, backups: int = 5) -> Any:
    """A ``PgStore`` for a PostgreSQL URL, else the TinyDB ``Store`` at that path.
    Raises ``StoreUnreachableError`` / ``StoreLocationError`` (Korean messages)."""
    if is_pg_url(location):
        from bot.pgstore.store import PgStore

        return PgStore(str(location), clock=clock)
    from bot.store import Store

    return Store(Path(location), clock=clock, backups=backups)


def exists(location: str | Path) -> bool:
    """Whether a store is there already (a database always is: its tables are made on open)."""
    return is_pg_url(location) or Path(location).exists()
