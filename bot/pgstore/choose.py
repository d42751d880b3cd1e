"""Which store a location names: ``postgresql://…`` opens ``PgStore``, anything else is a
TinyDB store file. The one place the CLI and the runtime open a store through."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.pgstore.url import is_pg_url

if TYPE_CHECKING:
    from bot.config import Settings


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
