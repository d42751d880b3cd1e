"""The one department directory: every command and /subscribe know the same names.

A department is named wherever a report prints one — its organisation table, a budget
row's department, a program's owner, a milestone's or a follow-up's department — and
wherever staff added a milestone by hand. All of them are gathered here, newest report
first, in that order of sources, so the printed form seen first is the one shown
(organisation tables spell names most carefully). Built from the catalogue's summaries,
kept until the store changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.lookups.names import Pool, Resolution, resolve_in
from bot.lookups.summaries import names_in_order

if TYPE_CHECKING:
    from bot.store.api import StoreAPI

# Summary fields (``bot.store.reportfiles.ordered_names``) that print department names, in the order
# whose printed form wins when two spell one name differently.
SOURCES = ("dept_names", "budget_depts", "program_depts", "ms_depts", "audit_depts")


def department_names(store: StoreAPI) -> list[str]:
    """Every department name the store knows, newest report first within each source
    (duplicates kept: the pool keeps the first printed form of each)."""
    return store.cached("department_names", lambda: [n for f in SOURCES for n in names_in_order(store, f)] + _hand_added(store))


def _hand_added(store: StoreAPI) -> list[str]:
    """Departments of hand-added milestones (report id '' in the name index)."""
    index = store.name_index()
    return [n for n in index.names("dept") if "" in index.report_ids("dept", n)]


def department_pool(store: StoreAPI) -> Pool:
    """The directory prepared for matching (key → printed form), once per store state."""
    return store.cached("department_pool", lambda: Pool(department_names(store)))


def resolve_department(store: StoreAPI, query: str, *, fuzzy: bool = True) -> Resolution:
    """What a person typed → one department, a short list, or none (with the closest)."""
    return resolve_in(query, [("dept", department_pool(store))], fuzzy=fuzzy)[1]
