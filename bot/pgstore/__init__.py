"""The PostgreSQL store backend (``PgStore``), beside the TinyDB store (``bot.store``).

``open_store(location)`` picks one: a ``postgresql://`` URL opens ``PgStore``, a path the
TinyDB store. psycopg loads only when a PostgreSQL store is opened."""

from bot.pgstore.choose import open_store, store_location
from bot.pgstore.url import StoreUnreachableError, is_pg_url, redact_url

__all__ = ["StoreUnreachableError", "is_pg_url", "open_store", "redact_url", "store_location"]
