"""The PostgreSQL store's schema, created and migrated by the bot itself.

Each migration is a numbered list of statements; ``schema_migrations`` records which
ran. ``migrate`` applies the missing ones in one transaction under an advisory lock,
so two replicas starting at once do not both apply them (no hand-run SQL, ever).

Every table keeps the record as the TinyDB store does (``doc``: the model dumped to
JSON, as ``json`` — not ``jsonb``, which reorders keys: a budget line's columns print in
the report's order), so both backends return identical models; the columns beside it are what
lookups and constraints need, each with its index.

No ``pg_trgm``: loose names are resolved against the catalogue's name choice list in
memory (rapidfuzz, the same matching as on TinyDB). Measured on the 100x corpus (2,082
names): a trigram query took 0.07-0.5 ms against rapidfuzz's 1-2 ms, but found nothing for
partial names ("명예시민 위촉", "서울 도시외교 활성화") that the commands answer today — it
would change answers, add a round trip, and need a superuser for CREATE EXTENSION."""

from __future__ import annotations

import hashlib

import psycopg
import psycopg.sql


def lock_key(name: str) -> int:
    """A stable signed 32-bit advisory-lock key for ``name``; taken with the schema's hash
    as the second key (``LOCK_SQL``), so stores in other schemas of the database never wait."""
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:4], "big", signed=True)


LOCK_SQL = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"
LOCK_MIGRATE = lock_key("reportbot.migrate")
LOCK_DELIVERY = lock_key("reportbot.delivery")  # claims, confirms, the sent-log: one at a time
LOCK_CHANGES = lock_key("reportbot.changes")  # the change log: commits in seq order
NOTIFY_CHANNEL = "reportbot_changes"
# The notice other replicas hear at commit: "<schema>|<what>" (several stores may share a database).
NOTIFY_SQL = "SELECT pg_notify('reportbot_changes', current_schema() || '|' || %s)"

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial tables",
        [
            # One row; its version moves on every change of what the read indexes hold.
            """CREATE TABLE store_state (
                id int PRIMARY KEY CHECK (id = 1),
                version bigint NOT NULL DEFAULT 0
            )""",
            "INSERT INTO store_state (id, version) VALUES (1, 0)",
            # The catalogue: one row per stored report, in ingest order (seq).
            """CREATE TABLE reports (
                id text PRIMARY KEY,
                identity text NOT NULL UNIQUE,
                seq bigserial NOT NULL,
                report_date date NOT NULL,
                doc json NOT NULL,
                summary json NOT NULL
            )""",
            "CREATE INDEX reports_seq ON reports (seq)",
            # A report's parsed records (immutable: the report id is the content hash).
            """CREATE TABLE report_records (
                report_id text NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
                tbl text NOT NULL,
                pos int NOT NULL,
                doc json NOT NULL,
                PRIMARY KEY (report_id, tbl, pos)
            )""",
            # People's edits.
            """CREATE TABLE audit_status (
                seq bigserial PRIMARY KEY,
                report_identity text NOT NULL,
                kind text,
                number int NOT NULL,
                identity text,
                doc json NOT NULL
            )""",
            "CREATE UNIQUE INDEX audit_status_item ON audit_status (report_identity, coalesce(kind, ''), number)",
            "CREATE INDEX audit_status_identity ON audit_status (identity)",
            """CREATE TABLE manual_milestones (
                manual_id int PRIMARY KEY,
                seq bigserial NOT NULL,
                doc json NOT NULL
            )""",
            "CREATE INDEX manual_milestones_seq ON manual_milestones (seq)",
            # Delivery: subscriptions, the sent-log and claims of sends under way.
            """CREATE TABLE subscriptions (
                seq bigserial PRIMARY KEY,
                platform text NOT NULL,
                channel text NOT NULL,
                target text NOT NULL,
                kind text NOT NULL,
                paused_at text,
                paused_reason text,
                doc json NOT NULL,
                UNIQUE (platform, channel, target, kind)
            )""",
            "CREATE INDEX subscriptions_kind ON subscriptions (kind)",
            """CREATE TABLE sent_log (
                key text PRIMARY KEY,
                seq bigserial NOT NULL,
                doc json NOT NULL
            )""",
            "CREATE INDEX sent_log_seq ON sent_log (seq)",
            """CREATE TABLE send_claims (
                id bigserial PRIMARY KEY,
                resend boolean NOT NULL DEFAULT false,
                doc json NOT NULL
            )""",
            # A key is claimed by one send at a time: the claim is an INSERT only one process wins.
            """CREATE TABLE claim_keys (
                key text PRIMARY KEY,
                claim_id bigint NOT NULL REFERENCES send_claims (id) ON DELETE CASCADE
            )""",
            "CREATE INDEX claim_keys_claim ON claim_keys (claim_id)",
            # The change log, meta values and long Telegram button commands.
            """CREATE TABLE changes (
                seq bigserial PRIMARY KEY,
                at timestamptz NOT NULL,
                doc json NOT NULL
            )""",
            "CREATE INDEX changes_at ON changes (at)",
            "CREATE TABLE meta (key text PRIMARY KEY, value json)",
            "CREATE TABLE buttons (key text PRIMARY KEY, command text NOT NULL, at text NOT NULL)",
            "CREATE INDEX buttons_at ON buttons (at)",
        ],
    ),
    (
        2,
        "claims of one-time work (a Slack retry answered by one replica)",
        [
            "CREATE TABLE once_keys (key text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())",
            "CREATE INDEX once_keys_at ON once_keys (at)",
        ],
    ),
]

LATEST = MIGRATIONS[-1][0]


def migrate(conn: psycopg.Connection) -> list[int]:
    """Bring the schema of ``conn``'s search_path up to ``LATEST``; returns the versions
    applied now (empty when it was current). One transaction: all or nothing."""
    with conn.transaction():
        _ensure_schema(conn)
        conn.execute(LOCK_SQL, (LOCK_MIGRATE,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        applied: list[int] = []
        for version, name, statements in MIGRATIONS:
            if version in done:
                continue
            for sql in statements:
                conn.execute(sql)  # our own constant SQL
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
            applied.append(version)
    return applied


def _ensure_schema(conn: psycopg.Connection) -> None:
    """A URL naming a schema that is not there yet (``options=-csearch_path=reportbot``)
    gets it, so a new store needs no hand-run SQL at all."""
    row = conn.execute("SELECT current_schema()").fetchone()
    if row and row[0]:
        return
    path = conn.execute("SHOW search_path").fetchone()
    names = [n.strip().strip('"') for n in str(path[0] if path else "").split(",")]
    name = next((n for n in names if n and n != "$user"), None)
    if name:
        conn.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(psycopg.sql.Identifier(name)))

