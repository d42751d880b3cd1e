"""The PostgreSQL store backend (``PgStore``), beside the TinyDB store (``bot.store``).

``open_store(location)`` picks one: a ``postgresql://`` URL opens ``PgStore``, a path the
TinyDB store. psycopg loads only when a PostgreSQL store is opened."""

from bot.pgstore.choose import StoreUnreachableError, is_pg_url, open_store, redact_url, store_location

__all__ = ["StoreUnreachableError", "is_pg_url", "open_store", "redact_url", "store_location"]
