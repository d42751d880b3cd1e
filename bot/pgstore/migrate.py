"""``reportbot store migrate --from data/reportbot.json --to postgresql://…``: copy a
TinyDB store into an empty PostgreSQL store — reports with their records, people's
edits, subscriptions (paused ones too), the sent-log, open claims, the change log, meta
values and button commands — and count both sides, table by table.

Records are copied as stored, not re-parsed: ``ingested_at`` and the catalogue order
(which printed form of a name answers first) stay as they were."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg.types.json import Json

from bot.models import Milestone, Report
from bot.pgstore.schema import NOTIFY_SQL
from bot.pgstore.store import PgStore
from bot.store.reportfiles import summarize

# What is counted on both sides, in the order the count table prints.
TABLES = (
    "reports",
    "report_records",
    "audit_status",
    "manual_milestones",
    "subscriptions",
    "sent_log",
    "send_claims",
    "changes",
    "meta",
    "buttons",
)


@dataclass
class MigrationResult:
    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)

    @property
    def mismatched(self) -> list[str]:
        return [t for t in TABLES if self.source.get(t, 0) != self.target.get(t, 0)]


class TargetNotEmptyError(Exception):
    def __init__(self, reports: int) -> None:
        super().__init__(reports)
        self.reports = reports


def _raw(src: Any, table: str) -> list[dict[str, Any]]:
    """A TinyDB table's documents as stored (tables no public method lists whole:
    audit statuses, meta values, button commands)."""
    for attr in ("_file", "file", "_db"):
        holder = getattr(src, attr, None)
        if holder is not None and hasattr(holder, "table"):
            return [dict(d) for d in holder.table(table).all()]
    raise TypeError(f"cannot read the {table} table of {type(src).__name__}")


def _catalogue(src: Any) -> list[Report]:
    """The source's reports in catalogue (ingest) order — ties in lookups keep it."""
    for attr in ("_corpus", "corpus"):
        corpus = getattr(src, attr, None)
        reports = getattr(getattr(corpus, "fresh", lambda: None)(), "reports", None)
        if isinstance(reports, dict):
            return list(reports.values())
    return list(reversed(src.reports()))  # newest first, reversed: the order a corpus build ingests


def _records(src: Any, report_id: str) -> dict[str, list[dict[str, Any]]]:
    """One report's records as the JSON documents of a report file; audit items as
    parsed (people's status changes are copied apart, as ``audit_status``)."""
    loader = None
    for attr in ("_corpus", "corpus"):
        corpus = getattr(src, attr, None)
        if corpus is not None and hasattr(corpus, "load_records"):
            loader = corpus.load_records
    if loader is None and hasattr(src, "load_records"):
        loader = src.load_records
    recs = loader(report_id) if loader is not None else None
    if recs is not None and all(hasattr(recs, a) for a in ("departments", "budget_lines", "programs", "audit_items", "slots", "audit_summaries")):
        tables = {t: [r.model_dump(mode="json") for r in getattr(recs, t)] for t in ("departments", "budget_lines", "programs", "audit_items")}
        tables["milestones"] = [m.model_dump(mode="json") for m in recs.slots if m is not None]
        tables["audit_summaries"] = [recs.audit_summaries.model_dump(mode="json")] if recs.audit_summaries else []
        return tables
    summary = src.audit_summary(report_id)
    return {
        "departments": [d.model_dump(mode="json") for d in src.departments(report_id)],
        "budget_lines": [b.model_dump(mode="json") for b in src.budget_lines(report_id)],
        "programs": [p.model_dump(mode="json") for p in src.programs(report_id)],
        "audit_items": [a.model_dump(mode="json") for a in src.audit_items(report_id)],
        "audit_summaries": [summary.model_dump(mode="json")] if summary else [],
        "milestones": [m.model_dump(mode="json") for m in src.milestones_of(report_id)],
    }


def target_counts(dst: PgStore) -> dict[str, int]:
    with dst.pool.connection() as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]


def migrate_store(src: Any, dst: PgStore) -> MigrationResult:
    """Copy ``src`` (a TinyDB ``Store``) into ``dst`` (an empty ``PgStore``) in one
    transaction, then count both sides. Raises ``TargetNotEmptyError``."""
    reports = _catalogue(src)
    manual = [m for m in src.milestones() if m.manual_id is not None]
    paused = src.paused_subscriptions()
    subs = src.subscriptions(include_paused=True)
    sent = src.sent_records()
    claims = src.claims()
    changes = src.changes_since(None)
    audit_status = _raw(src, "audit_status")
    meta = _raw(src, "meta")
    buttons = [b for b in _raw(src, "buttons") if isinstance(b.get("key"), str) and isinstance(b.get("command"), str)]
    result = MigrationResult()
    result.source = {
        "reports": len(reports),
        "report_records": 0,  # counted as they are copied (one report in memory at a time)
        "audit_status": len(audit_status),
        "manual_milestones": len(manual),
        "subscriptions": len(subs),
        "sent_log": len(sent),
        "send_claims": len(claims),
        "changes": len(changes),
        "meta": len(meta),
        "buttons": len(buttons),
    }
    with dst.pool.connection() as conn, conn.transaction():
        row = conn.execute("SELECT count(*) FROM reports").fetchone()
        if row and row[0]:
            raise TargetNotEmptyError(int(row[0]))
        conn.execute("UPDATE store_state SET version = version + 1 WHERE id = 1")
        for r in reports:
            tables = _records(src, r.id)
            result.source["report_records"] += sum(len(docs) for docs in tables.values())
            conn.execute(
                "INSERT INTO reports (id, identity, report_date, doc, summary) VALUES (%s, %s, %s, %s, %s)",
                (r.id, r.identity, r.report_date, Json(r.model_dump(mode="json")), Json(summarize(tables))),
            )
            dst._copy_records(conn, r.id, tables)
        for d in audit_status:
            conn.execute(
                "INSERT INTO audit_status (report_identity, kind, number, identity, doc) VALUES (%s, %s, %s, %s, %s)",
                (d["report_identity"], d.get("kind"), d["number"], d.get("identity"), Json(d)),
            )
        for m in manual:
            conn.execute("INSERT INTO manual_milestones (manual_id, doc) VALUES (%s, %s)", (m.manual_id, Json(_milestone_doc(m))))
        for s in subs:
            at, reason = paused.get((s.platform, s.channel, s.target, s.kind), (None, None))
            conn.execute(
                "INSERT INTO subscriptions (platform, channel, target, kind, paused_at, paused_reason, doc) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (s.platform, s.channel, s.target, s.kind, at, reason, Json(s.model_dump(mode="json"))),
            )
        dst._insert_sent(conn, sent)
        for c in claims:
            cid = conn.execute(
                "INSERT INTO send_claims (resend, doc) VALUES (%s, %s) RETURNING id", (bool(c.get("resend")), Json(c))
            ).fetchone()
            for k in c["keys"]:
                conn.execute("INSERT INTO claim_keys (key, claim_id) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", (k, cid[0]))  # type: ignore[index]
        for ev in changes:
            conn.execute("INSERT INTO changes (at, doc) VALUES (%s, %s)", (ev.at, Json(ev.model_dump(mode="json"))))
        for d in meta:
            conn.execute("INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", (d["key"], Json(d.get("value"))))
        for b in buttons:
            conn.execute(
                "INSERT INTO buttons (key, command, at) VALUES (%s, %s, %s) ON CONFLICT (key) DO NOTHING",
                (b["key"], b["command"], str(b.get("at", ""))),
            )
        conn.execute(NOTIFY_SQL, ("reports",))
    dst.notice_change("reports")
    result.target = target_counts(dst)
    return result


def _milestone_doc(m: Milestone) -> dict[str, Any]:
    return m.model_dump(mode="json")


def with_schema(url: str, schema: str) -> str:
    """``url`` with ``search_path`` set to ``schema`` (libpq ``options``)."""
    from urllib.parse import quote

    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


def copy_into_schema(src_path: Any, server: str, schema: str, expect_reports: int) -> str:
    """A PostgreSQL copy of the TinyDB store at ``src_path`` in ``schema`` of ``server``
    (the bench's scaled stores): kept when it already holds ``expect_reports`` reports,
    else made anew. Returns the schema's URL."""
    import psycopg

    from bot.store import Store

    url = with_schema(server, schema)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = 'reports'", (schema,)
        ).fetchone()
        if row and row[0]:
            n = conn.execute(f'SELECT count(*) FROM "{schema}".reports').fetchone()
            if n and n[0] == expect_reports:
                return url
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    src = Store(src_path)
    dst = PgStore(url)
    try:
        result = migrate_store(src, dst)
    finally:
        src.close()
        dst.close()
    if result.mismatched:
        raise RuntimeError(f"copy into {schema} lost records: {result.mismatched}")
    return url
