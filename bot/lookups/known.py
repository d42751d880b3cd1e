"""The store as it was known on the clock's day: a report printed after it is not yet
known ('--as-of 2019-06-20' does not answer from the 2021 report).

A read-only view over ``StoreAPI``: the lookups handlers use are filtered by report date,
everything else (writes, subscriptions, the sent-log) passes straight through."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.store.api import StoreAPI


class KnownStore:
    def __init__(self, store: StoreAPI, today: date) -> None:
        self._store = store
        self._known = {r.id for r in store.reports() if r.report_date <= today}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def cached(self, key: Any, build: Any) -> Any:
        """A handler's index built over this view is this view's: keyed by the reports it
        knows, so it never answers for the whole store (or the other way round)."""
        return self._store.cached(("known", frozenset(self._known), key), build)

    def _ok(self, rec: Any) -> bool:
        src = getattr(rec, "source", None)
        return src is None or src.report_id in self._known

    def reports(self) -> list:
        return [r for r in self._store.reports() if r.id in self._known]

    def report(self, report_id: str) -> Any:
        return self._store.report(report_id) if report_id in self._known else None

    def departments(self, report_id: str | None = None) -> list:
        return [x for x in self._store.departments(report_id) if self._ok(x)]

    def budget_lines(self, report_id: str | None = None) -> list:
        return [x for x in self._store.budget_lines(report_id) if self._ok(x)]

    def budget_lines_for_dept(self, dept: str) -> list:
        return [x for x in self._store.budget_lines_for_dept(dept) if self._ok(x)]

    def programs(self, report_id: str | None = None) -> list:
        return [x for x in self._store.programs(report_id) if self._ok(x)]

    def programs_titled(self, title: str) -> list:
        return [x for x in self._store.programs_titled(title) if self._ok(x)]

    def audit_items(self, report_id: str | None = None) -> list:
        return [x for x in self._store.audit_items(report_id) if self._ok(x)]

    def audit_summary(self, report_id: str) -> Any:
        return self._store.audit_summary(report_id) if report_id in self._known else None

    def milestones(self, start: date | None = None, end: date | None = None) -> list:
        return [x for x in self._store.milestones(start, end) if self._ok(x)]


def known_store(store: StoreAPI, today: date) -> StoreAPI:
    """``store`` itself when every report is already printed (the usual case), else the view."""
    if all(r.report_date <= today for r in store.reports()):
        return store
    return KnownStore(store, today)
