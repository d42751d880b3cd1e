"""Delivery state on PostgreSQL: subscriptions (and channels that refused the bot), the
sent-log, sends claimed but not yet confirmed, long Telegram button commands.

Several replicas share these tables, so what the TinyDB store gets from its one file
lock is a constraint here: a sent-log key is a primary key, and a claim inserts its keys
into ``claim_keys`` (primary key too) — of two replicas claiming the same reminder,
one insert wins. Claims and confirms also take turns on a transaction advisory lock,
so "neither sent nor claimed" is decided on one consistent view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from psycopg.types.json import Json

from bot.models import SentRecord, Subscription
from bot.pgstore.base import PgBase
from bot.pgstore.schema import LOCK_DELIVERY, LOCK_SQL

BUTTON_DAYS = 30  # a long Telegram button command is kept this long (as the TinyDB store)
ONCE_KEEP = "1 day"  # claims of one-time work older than this are pruned


class PgDelivery(PgBase):
    # -- subscriptions -----------------------------------------------------------------------
    def _subs(self, rows: list[tuple[Any, ...]]) -> list[Subscription]:
        subs = (self._valid("subscriptions", doc, Subscription, key=str(seq)) for seq, doc in rows)
        return [s for s in subs if s is not None]

    def subscriptions(self, kind: str | None = None, include_paused: bool = False) -> list[Subscription]:
        """Subscriptions that deliver; ``include_paused`` adds those paused because the
        platform refused the channel (``pause_subscriptions``)."""
        sql = "SELECT seq, doc FROM subscriptions WHERE (%(kind)s::text IS NULL OR kind = %(kind)s)"
        if not include_paused:
            sql += " AND paused_at IS NULL"
        with self._conn() as conn:
            rows = conn.execute(sql + " ORDER BY seq", {"kind": kind}).fetchall()
        return self._subs(rows)

    def paused_subscriptions(self) -> dict[tuple[str, str, str, str], tuple[str, str]]:
        """(platform, channel, target, kind) → (paused at, reason) of each paused subscription."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT platform, channel, target, kind, paused_at, coalesce(paused_reason, '') FROM subscriptions"
                " WHERE paused_at IS NOT NULL ORDER BY seq"
            ).fetchall()
        return {(p, c, t, k): (at, reason) for p, c, t, k, at, reason in rows}

    def pause_subscriptions(self, platform: str, channel: str, reason: str) -> list[Subscription]:
        """Stop delivering to ``channel`` (the platform refused it); returns those paused now."""
        with self._write("subscriptions", bump=False) as conn:
            rows = conn.execute(
                "UPDATE subscriptions SET paused_at = %s, paused_reason = %s"
                " WHERE platform = %s AND channel = %s AND paused_at IS NULL RETURNING seq, doc",
                (self.clock.now().isoformat(), reason, platform, channel),
            ).fetchall()
        return self._subs(sorted(rows, key=lambda r: r[0]))

    def resume_subscriptions(self, platform: str, channel: str) -> int:
        """Deliver to ``channel`` again (someone subscribed there after inviting the bot)."""
        with self._write("subscriptions", bump=False) as conn:
            n = conn.execute(
                "UPDATE subscriptions SET paused_at = NULL, paused_reason = NULL"
                " WHERE platform = %s AND channel = %s AND paused_at IS NOT NULL",
                (platform, channel),
            ).rowcount
        return n

    def add_subscription(self, sub: Subscription) -> bool:
        """False when the channel already has it (subscribing twice is harmless)."""
        with self._write("subscriptions", bump=False) as conn:
            n = conn.execute(
                "INSERT INTO subscriptions (platform, channel, target, kind, doc) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (platform, channel, target, kind) DO NOTHING",
                (sub.platform, sub.channel, sub.target, sub.kind, Json(sub.model_dump(mode="json"))),
            ).rowcount
        return n == 1

    def remove_subscription(self, platform: str, channel: str, target: str, kind: str = "reminder") -> bool:
        with self._write("subscriptions", bump=False) as conn:
            n = conn.execute(
                "DELETE FROM subscriptions WHERE platform = %s AND channel = %s AND target = %s AND kind = %s",
                (platform, channel, target, kind),
            ).rowcount
        return n > 0

    # -- long button commands ------------------------------------------------------------------
    def remember_button(self, key: str, command: str) -> None:
        """Keep ``key`` → ``command``; entries older than ``BUTTON_DAYS`` are dropped."""
        now = self.clock.now()
        with self._write("buttons", bump=False) as conn:
            conn.execute("DELETE FROM buttons WHERE at < %s", ((now - timedelta(days=BUTTON_DAYS)).isoformat(),))
            conn.execute(
                "INSERT INTO buttons (key, command, at) VALUES (%s, %s, %s)"
                " ON CONFLICT (key) DO UPDATE SET command = EXCLUDED.command, at = EXCLUDED.at",
                (key, command, now.isoformat()),
            )

    def button_command(self, key: str) -> str | None:
        """The command behind a stored button key, or None when unknown or expired."""
        with self._conn() as conn:
            row = conn.execute("SELECT command, at FROM buttons WHERE key = %s", (key,)).fetchone()
        if row is None:
            return None
        cutoff = (self.clock.now() - timedelta(days=BUTTON_DAYS)).isoformat()
        return str(row[0]) if str(row[1]) >= cutoff else None

    # -- the sent-log --------------------------------------------------------------------------
    def sent(self, key: str, *also: str) -> SentRecord | None:
        """The sent-log record of ``key`` (or of an older key of the same send)."""
        with self._conn() as conn:
            rows = conn.execute("SELECT key, doc FROM sent_log WHERE key = ANY(%s) ORDER BY seq", ([key, *also],)).fetchall()
        recs = [r for r in (self._valid("sent_log", doc, SentRecord, key=k) for k, doc in rows) if r is not None]
        return recs[0] if recs else None

    def _insert_sent(self, conn: psycopg.Connection[Any], recs: list[SentRecord]) -> int:
        new = 0
        for r in recs:
            new += conn.execute(
                "INSERT INTO sent_log (key, doc) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                (r.key, Json(r.model_dump(mode="json"))),
            ).rowcount
        return new

    def record_sent(self, rec: SentRecord) -> bool:
        """Record a send; False if the key was already recorded (then do not send again)."""
        with self._write("sent_log", bump=False) as conn:
            return self._insert_sent(conn, [rec]) == 1

    def record_sent_many(self, recs: list[SentRecord]) -> int:
        """Record several sends in one transaction; keys already recorded are left alone."""
        with self._write("sent_log", bump=False) as conn:
            return self._insert_sent(conn, recs)

    def sent_records(self) -> list[SentRecord]:
        with self._conn() as conn:
            rows = conn.execute("SELECT key, doc FROM sent_log ORDER BY seq").fetchall()
        return [r for r in (self._valid("sent_log", doc, SentRecord, key=k) for k, doc in rows) if r is not None]

    # -- claim, send, confirm ------------------------------------------------------------------
    def claim_send(self, claim: dict[str, Any]) -> list[str]:
        """Record, before a send, that it is about to happen. Returns the keys claimed now:
        those neither sent nor claimed already (by this replica or another). A key waiting
        to be sent again (``mark_resend``) is claimed anew, still marked."""
        wanted = list(dict.fromkeys(claim["keys"]))
        with self._write("send_claims", bump=False) as conn:
            conn.execute(LOCK_SQL, (LOCK_DELIVERY,))
            sent = {k for (k,) in conn.execute("SELECT key FROM sent_log WHERE key = ANY(%s)", (wanted,))}
            held: dict[str, tuple[int, bool]] = {
                k: (cid, resend)
                for k, cid, resend in conn.execute(
                    "SELECT k.key, c.id, c.resend FROM claim_keys k JOIN send_claims c ON c.id = k.claim_id WHERE k.key = ANY(%s)",
                    (wanted,),
                )
            }
            keys = [k for k in wanted if k not in sent and not (k in held and not held[k][1])]
            if not keys:
                return []
            again = {held[k][0] for k in keys if k in held}
            if again:
                conn.execute("DELETE FROM send_claims WHERE id = ANY(%s)", (list(again),))
            doc = {**claim, "keys": keys, "resend": bool(again)}
            row = conn.execute(
                "INSERT INTO send_claims (resend, doc) VALUES (%s, %s) RETURNING id", (bool(again), Json(doc))
            ).fetchone()
            assert row is not None
            won = [
                k
                for k in keys
                if conn.execute(
                    "INSERT INTO claim_keys (key, claim_id) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", (k, row[0])
                ).rowcount
            ]
            if won != keys:  # only under a lock not held by every writer: keep what this claim won
                doc["keys"] = won
                conn.execute("UPDATE send_claims SET doc = %s WHERE id = %s", (Json(doc), row[0]))
        return won

    def mark_resend(self, keys: list[str]) -> None:
        """A claim the platform cannot vouch for: to be sent again, marked as possibly
        repeated — kept in the store, so a second crash does not lose the mark."""
        with self._write("send_claims", bump=False) as conn:
            conn.execute(
                "UPDATE send_claims SET resend = true, doc = (doc::jsonb || '{\"resend\": true}')::json"
                " WHERE id IN (SELECT claim_id FROM claim_keys WHERE key = ANY(%s))",
                (list(keys),),
            )

    def claims(self) -> list[dict[str, Any]]:
        """Sends claimed but never confirmed (the bot stopped between the two)."""
        with self._conn() as conn:
            rows = conn.execute("SELECT id, doc FROM send_claims ORDER BY id").fetchall()
        out = []
        for cid, doc in rows:
            if isinstance(doc, dict) and isinstance(doc.get("keys"), list) and doc.get("platform") and doc.get("channel"):
                out.append(dict(doc))
            else:
                self.skipped.setdefault(("send_claims", str(cid)), "claim without keys")
        return out

    def resend_keys(self) -> set[str]:
        """Keys to be sent again, marked (see ``mark_resend``)."""
        return {k for c in self.claims() if c.get("resend") for k in c["keys"]}

    def claimed_keys(self) -> set[str]:
        """Keys claimed by a send under way (or cut short); not those waiting to be resent."""
        return {k for c in self.claims() if not c.get("resend") for k in c["keys"]}

    def confirm_send(self, keys: list[str], recs: list[SentRecord]) -> int:
        """After the platform accepted: the sent-log records and the claim's end, in one
        transaction."""
        with self._write("sent_log", bump=False) as conn:
            conn.execute(LOCK_SQL, (LOCK_DELIVERY,))
            conn.execute("DELETE FROM send_claims WHERE id IN (SELECT claim_id FROM claim_keys WHERE key = ANY(%s))", (list(keys),))
            return self._insert_sent(conn, recs)

    def release_claim(self, keys: list[str]) -> None:
        """The send failed (or is to be made again): forget the claim."""
        with self._write("send_claims", bump=False) as conn:
            conn.execute("DELETE FROM send_claims WHERE id IN (SELECT claim_id FROM claim_keys WHERE key = ANY(%s))", (list(keys),))

    # -- one-time work ----------------------------------------------------------------------
    def claim_once(self, key: str) -> bool:
        """True for the first caller, in any replica, to claim ``key`` (a Slack retry's
        event id, say): an INSERT on a primary key, so exactly one wins. Claims older
        than a day are pruned on the way."""
        with self._conn() as conn, conn.transaction():
            if hash(key) % 64 == 0:
                conn.execute(f"DELETE FROM once_keys WHERE at < now() - interval '{ONCE_KEEP}'")
            return conn.execute("INSERT INTO once_keys (key) VALUES (%s) ON CONFLICT (key) DO NOTHING", (key,)).rowcount == 1
