"""Names and report ids read from the catalogue's per-report summaries, without opening a
report file: the ground every other lookup builds its pools and indexes on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.models import Report

if TYPE_CHECKING:
    from bot.store.api import StoreAPI


def names_in_order(store: StoreAPI, field: str, reports: Iterable[Report] | None = None) -> list[str]:
    """The names of one summary field (a key of ``bot.store.reportfiles.ordered_names``, e.g. "budget_depts") of every report, newest first."""
    return store.cached(("names", field), lambda: _gather(store, field, store.reports())) if reports is None else _gather(store, field, reports)


def _gather(store: StoreAPI, field: str, reports: Iterable[Report]) -> list[str]:
    out: list[str] = []
    for r in reports:
        out += (store.report_summary(r.id).get("order") or {}).get(field, [])
    return out


def newest_rank(store: StoreAPI) -> dict[str, int]:
    """Report id → its place among the reports, newest first."""
    return store.cached("newest_rank", lambda: {r.id: i for i, r in enumerate(store.reports())})


def report_ids(store: StoreAPI, category: str, name: str) -> list[str]:
    """The reports printing ``name`` as ``category`` (dept, budget_dept, program, row: the store's name index), newest first."""
    rank = newest_rank(store)
    return sorted((rid for rid in store.name_index().report_ids(category, name) if rid in rank), key=rank.__getitem__)
