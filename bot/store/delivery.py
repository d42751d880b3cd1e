"""Delivery state: who subscribed to what (and which channels refused the bot), what was
sent (the sent-log, so nothing is sent twice), sends claimed but not yet confirmed, and
long Telegram button commands kept across restarts."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from tinydb import Query

from bot.models import SentRecord, Subscription
from bot.store.files import StoreFile

PAUSED_AT = "paused_at"  # on a subscription document: the platform refused the channel then
PAUSED_REASON = "paused_reason"
BUTTON_DAYS = 30  # a long Telegram button command is kept this long


def _without_pause(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in (PAUSED_AT, PAUSED_REASON)}


def _unpause(doc: MutableMapping[str, Any]) -> None:
    doc.pop(PAUSED_AT, None)
    doc.pop(PAUSED_REASON, None)


class Delivery:
    def __init__(self, file: StoreFile, now: Callable[[], datetime]) -> None:
        self.file = file
        self.now = now

    # -- subscriptions -----------------------------------------------------------------
    def _subs(self, docs: list[Any]) -> list[Subscription]:
        return [s for s in (self.file.valid("subscriptions", _without_pause(d), Subscription) for d in docs) if s is not None]

    def subscriptions(self, kind: str | None = None, include_paused: bool = False) -> list[Subscription]:
        self.file.catch_up()
        docs = self.file.table("subscriptions").all()
        if not include_paused:
            docs = [d for d in docs if not d.get(PAUSED_AT)]
        return [s for s in self._subs(docs) if kind is None or s.kind == kind]

    def paused_subscriptions(self) -> dict[tuple[str, str, str, str], tuple[str, str]]:
        self.file.catch_up()
        return {
            (d["platform"], d["channel"], d["target"], d.get("kind", "reminder")): (d[PAUSED_AT], d.get(PAUSED_REASON, ""))
            for d in self.file.table("subscriptions").all()
            if d.get(PAUSED_AT) and all(isinstance(d.get(k), str) for k in ("platform", "channel", "target"))
        }

    def pause_subscriptions(self, platform: str, channel: str, reason: str) -> list[Subscription]:
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & ~(q[PAUSED_AT].exists())
        with self.file.write("subscriptions"):
            table = self.file.table("subscriptions")
            docs = table.search(cond)
            if docs:
                table.update({PAUSED_AT: self.now().isoformat(), PAUSED_REASON: reason}, cond)
        return self._subs(docs)

    def resume_subscriptions(self, platform: str, channel: str) -> int:
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & q[PAUSED_AT].exists()
        with self.file.write("subscriptions"):
            table = self.file.table("subscriptions")
            docs = table.search(cond)
            if docs:
                table.update(_unpause, cond)
        return len(docs)

    def add_subscription(self, sub: Subscription) -> bool:
        q = Query()
        cond = (q.platform == sub.platform) & (q.channel == sub.channel) & (q.target == sub.target) & (q.kind == sub.kind)
        with self.file.write("subscriptions"):
            table = self.file.table("subscriptions")
            if table.contains(cond):
                return False
            table.insert(sub.model_dump(mode="json"))
        return True

    def remove_subscription(self, platform: str, channel: str, target: str, kind: str = "reminder") -> bool:
        q = Query()
        cond = (q.platform == platform) & (q.channel == channel) & (q.target == target) & (q.kind == kind)
        with self.file.write("subscriptions"):
            table = self.file.table("subscriptions")
            if not table.contains(cond):
                return False
            table.remove(cond)
        return True

    # -- long button commands ----------------------------------------------------------
    def remember_button(self, key: str, command: str) -> None:
        now = self.now()
        cutoff = (now - timedelta(days=BUTTON_DAYS)).isoformat()
        q = Query()
        with self.file.write("buttons"):
            table = self.file.table("buttons")
            table.remove(q.at < cutoff)
            table.upsert({"key": key, "command": command, "at": now.isoformat()}, q.key == key)

    def button_command(self, key: str) -> str | None:
        self.file.catch_up()
        docs = self.file.table("buttons").search(Query().key == key)
        if not docs or not isinstance(docs[0].get("command"), str):
            return None
        cutoff = (self.now() - timedelta(days=BUTTON_DAYS)).isoformat()
        return docs[0]["command"] if str(docs[0].get("at", "")) >= cutoff else None

    # -- the sent-log ------------------------------------------------------------------
    def sent(self, key: str, *also: str) -> SentRecord | None:
        self.file.catch_up()
        docs = self.file.table("sent_log").search(Query().key.one_of((key, *also)))
        recs = [r for r in (self.file.valid("sent_log", d, SentRecord) for d in docs) if r is not None]
        return recs[0] if recs else None

    def record_sent(self, rec: SentRecord) -> bool:
        with self.file.write("sent_log"):
            table = self.file.table("sent_log")
            if table.contains(Query().key == rec.key):
                return False
            table.insert(rec.model_dump(mode="json"))
        return True

    def record_sent_many(self, recs: list[SentRecord]) -> int:
        with self.file.write("sent_log"):
            table = self.file.table("sent_log")
            known = {d["key"] for d in table.all()}
            new: list[SentRecord] = []
            for r in recs:
                if r.key not in known:
                    known.add(r.key)
                    new.append(r)
            if new:
                table.insert_multiple([r.model_dump(mode="json") for r in new])
        return len(new)

    def sent_records(self) -> list[SentRecord]:
        self.file.catch_up()
        docs = self.file.table("sent_log").all()
        return [r for r in (self.file.valid("sent_log", d, SentRecord) for d in docs) if r is not None]

    # -- claim, send, confirm ----------------------------------------------------------
    def claim_send(self, claim: dict[str, Any]) -> list[str]:
        with self.file.write("send_claims"):
            sent = {d.get("key") for d in self.file.table("sent_log").all()}
            table = self.file.table("send_claims")
            held = {k for d in table.all() if not d.get("resend") for k in d.get("keys", [])}
            again = {k for d in table.all() if d.get("resend") for k in d.get("keys", [])}
            keys = [k for k in claim["keys"] if k not in sent and k not in held]
            if keys:
                if again & set(keys):
                    table.remove(Query().resend.exists() & Query().keys.any(keys))
                table.insert({**claim, "keys": keys, "resend": bool(again & set(keys))})
        return keys

    def mark_resend(self, keys: list[str]) -> None:
        with self.file.write("send_claims"):
            self.file.table("send_claims").update({"resend": True}, Query().keys.any(keys))

    def claims(self) -> list[dict[str, Any]]:
        self.file.catch_up()
        out = []
        for d in self.file.table("send_claims").all():
            if isinstance(d.get("keys"), list) and d.get("platform") and d.get("channel"):
                out.append(dict(d))
            else:
                self.file.skipped.setdefault(("send_claims", str(d.doc_id)), "claim without keys")
        return out

    def confirm_send(self, keys: list[str], recs: list[SentRecord]) -> int:
        with self.file.write("sent_log"):
            self.file.table("send_claims").remove(Query().keys.any(keys))
            table = self.file.table("sent_log")
            known = {d.get("key") for d in table.all()}
            new = [r.model_dump(mode="json") for r in recs if r.key not in known]
            if new:
                table.insert_multiple(new)
        return len(new)

    def release_claim(self, keys: list[str]) -> None:
        with self.file.write("send_claims"):
            self.file.table("send_claims").remove(Query().keys.any(keys))
