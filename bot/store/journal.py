"""The change log (what was ingested or edited, for the digest) and small settings the
bot keeps for itself (``meta``: when the digest last went out, …)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tinydb import Query

from bot.models import ChangeEvent
from bot.store.files import StoreFile


class Journal:
    def __init__(self, file: StoreFile, now: Callable[[], datetime]) -> None:
        self.file = file
        self.now = now
        # (tree, changes table, events by doc id): the log read as models once, then only
        # what was added (events are never edited; a re-read tree is read again in full)
        self._read: tuple[object, object, dict[str, ChangeEvent]] | None = None
        self._log: list[ChangeEvent] = []  # in order
        self._times: list[datetime] | None = None  # their times, when they never go back (for bisect)

    def log_change(self, kind: str, summary: str) -> None:
        with self.file.write("changes"):
            self.record(kind, summary)

    def record(self, kind: str, summary: str) -> None:
        """One change event, inside a write the caller holds."""
        ev = ChangeEvent(at=self.now(), kind=kind, summary=summary)
        self.file.table("changes").insert(ev.model_dump(mode="json"))

    def record_many(self, events: list[tuple[str, str]]) -> None:
        """Several change events (kind, summary) in one insert, inside a write the caller holds."""
        if events:
            now = self.now()
            docs = [ChangeEvent(at=now, kind=k, summary=s).model_dump(mode="json") for k, s in events]
            self.file.table("changes").insert_multiple(docs)

    def changes_since(self, since: datetime | None) -> list[ChangeEvent]:
        self.file.catch_up()
        events = self._events()
        if since is None:
            return list(events)
        if self._times is not None:
            return events[bisect.bisect_right(self._times, since):]
        return [e for e in events if e.at > since]

    def _events(self) -> list[ChangeEvent]:
        """Every change event, in order: validated once each (the digest asks on every
        answer; 5,000 events at 1,000x were 170 ms of pydantic and TinyDB documents)."""
        tree, raw = self.file.storage.read(), self.file.raw("changes")
        read = self._read
        if read is not None and read[0] is tree and read[1] is raw:
            return self._log
        known = read[2] if read is not None and read[0] is tree else {}
        events: dict[str, ChangeEvent] = {}
        for doc_id, doc in raw.items():
            event = known.get(doc_id) or self.file.valid("changes", doc, ChangeEvent, doc_id=doc_id)
            if event is not None:
                events[doc_id] = event
        self._read = (tree, raw, events)
        self._log = list(events.values())
        times = [e.at for e in self._log]
        try:
            self._times = times if all(a <= b for a, b in itertools.pairwise(times)) else None
        except TypeError:  # times with and without a zone: compared one by one as before
            self._times = None
        return self._log

    def get_meta(self, key: str) -> Any:
        self.file.catch_up()
        docs = self.file.table("meta").search(Query().key == key)
        return docs[0]["value"] if docs else None

    def set_meta(self, key: str, value: Any) -> None:
        with self.file.write("meta"):
            self.file.table("meta").upsert({"key": key, "value": value}, Query().key == key)
