"""``PgStore``: the store's interface (``bot.store.api.StoreAPI``) on PostgreSQL.

Selected by a ``postgresql://`` store location (``REPORTBOT_DB``, ``--db`` or
``[store] url``); a path keeps the TinyDB store. Same models, same errors
(``IngestShrinkError``), same re-ingest, edit and delivery semantics — the store-level
and command tests run against both. Several bot replicas may share one database."""

from __future__ import annotations

from bot.pgstore.corpus import PgCorpus
from bot.pgstore.delivery import PgDelivery


class PgStore(PgCorpus, PgDelivery):
    """The PostgreSQL store: catalogue and records (``PgCorpus``), delivery state
    (``PgDelivery``) over one connection pool (``PgBase``).

    Synchronous on purpose: the bot calls its store from a worker thread (commands run
    off the event loop), from scheduler jobs and from the CLI, so psycopg's sync API with
    a ``psycopg_pool.ConnectionPool`` serves them all without a loop hop per lookup."""

    @property
    def file_writes(self) -> int:
        """TinyDB counts file replaces; a database has none."""
        return 0
