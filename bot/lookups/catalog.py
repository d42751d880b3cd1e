"""What the commands look up by, built once per state of the store from the catalogue.

Every name a command resolves against comes from the reports' summaries (their names in
printed order, ``bot.store.reportfiles.ordered_names``), newest report first — the same names, in
the same order, as scanning every record, without reading a report file. The prepared
pools and lookup tables are kept with ``Store.cached`` until the store changes, so a
question costs the normalising of the question and one pass of rapidfuzz, and the
records read are those of the reports the answer comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.lookups.departments import department_pool
from bot.lookups.fiscal import is_year_label
from bot.lookups.names import Pool, Pools, normalize
from bot.lookups.summaries import names_in_order, report_ids
from bot.models import AuditItem, BudgetLine, Program, Report

if TYPE_CHECKING:
    from bot.store.api import StoreAPI


def org_names(store: StoreAPI) -> list[str]:
    return store.cached("org_names", lambda: [r.org for r in store.reports()])


def nameable_row_names(store: StoreAPI) -> list[str]:
    """Budget rows a person can ask for by name (not totals, not a year's label)."""
    return store.cached("nameable_rows", lambda: [n for n in names_in_order(store, "rows") if not is_year_label(n)])


def budget_pools(store: StoreAPI) -> Pools:
    """/budget's kinds of name, in the order that breaks ties: department, office, row, program."""
    return store.cached(
        "budget_pools",
        lambda: Pools(
            [
                ("dept", department_pool(store)),
                ("org", Pool(org_names(store))),
                ("row", Pool(nameable_row_names(store))),
                ("program", Pool(names_in_order(store, "programs"))),
            ]
        ),
    )


def compare_pools(store: StoreAPI) -> Pools:
    return store.cached("compare_pools", lambda: budget_pools(store).without("org"))


def program_pools(store: StoreAPI) -> Pools:
    return store.cached("program_pools", lambda: Pools([("program", budget_pools(store).prepared[3][1]), ("dept", department_pool(store))]))


def audit_pools(store: StoreAPI) -> Pools:
    return store.cached("audit_pools", lambda: Pools([("dept", department_pool(store))]))


# -- records by key -------------------------------------------------------------------------
def budget_lines_of_dept(store: StoreAPI, dept: str) -> list[BudgetLine]:
    """Budget lines whose department is ``dept`` (as ``normalize`` matches), newest report first."""
    key = normalize(dept)
    return [b for rid in report_ids(store, "budget_dept", dept) for b in lines_by_dept(store, rid).get(key, ())]


def lines_by_dept(store: StoreAPI, report_id: str) -> dict[str, list[BudgetLine]]:
    """One report's budget lines by department key, in the store's order (built once per
    report file): a department printed by a hundred reports costs a hundred dict lookups,
    not ten thousand ``normalize`` calls."""

    def build() -> dict[str, list[BudgetLine]]:
        out: dict[str, list[BudgetLine]] = {}
        for b in store.budget_lines(report_id):
            if b.dept:
                out.setdefault(normalize(b.dept), []).append(b)
        return out

    return store.report_cached(report_id, "lines_by_dept", build)


def budget_rows_named(store: StoreAPI, name: str) -> list[BudgetLine]:
    """Budget rows (not totals) printed as ``name``, newest report first."""
    key = normalize(name)
    return [b for rid in report_ids(store, "row", name) for b in rows_by_name(store, rid).get(key, ())]


def rows_by_name(store: StoreAPI, report_id: str) -> dict[str, list[BudgetLine]]:
    """One report's budget rows (not totals) by name key, in the store's order (built once per report file)."""

    def build() -> dict[str, list[BudgetLine]]:
        out: dict[str, list[BudgetLine]] = {}
        for b in store.budget_lines(report_id):
            if b.level != "total":
                out.setdefault(normalize(b.name), []).append(b)
        return out

    return store.report_cached(report_id, "rows_by_name", build)


def programs_titled(store: StoreAPI, title: str) -> list[Program]:
    key = normalize(title)
    return [p for rid in report_ids(store, "program", title) for p in programs_by(store, rid, "title").get(key, ())]


def programs_of_dept(store: StoreAPI, dept: str) -> list[Program]:
    key = normalize(dept)
    return [p for rid in report_ids(store, "dept", dept) for p in programs_by(store, rid, "dept").get(key, ())]


def programs_by(store: StoreAPI, report_id: str, attr: str) -> dict[str, list[Program]]:
    """One report's programs by title or department key, in the store's order (built once per report file)."""

    def build() -> dict[str, list[Program]]:
        out: dict[str, list[Program]] = {}
        for p in store.programs(report_id):
            if value := getattr(p, attr):
                out.setdefault(normalize(value), []).append(p)
        return out

    return store.report_cached(report_id, ("programs_by", attr), build)


def reports_with_budget(store: StoreAPI) -> list[Report]:
    """Reports holding budget lines (from their summaries), newest first."""
    return store.cached("budget_reports", lambda: [r for r in store.reports() if (store.report_summary(r.id).get("counts") or {}).get("budget_lines")])


def audit_report_ids(store: StoreAPI) -> list[str]:
    """Reports holding follow-ups or a 총괄 (from their summaries), newest first."""
    return store.cached("audit_reports", lambda: [r.id for r in store.reports() if store.has_audit(r.id)])


def audit_items_of_dept(store: StoreAPI, dept: str) -> dict[str, list[AuditItem]]:
    """Report id → its follow-ups of ``dept``, for the reports whose follow-ups name it."""
    key = normalize(dept)
    out: dict[str, list[AuditItem]] = {}
    for rid in report_ids(store, "dept", dept):
        items = [x for x in store.audit_items(rid) if x.dept and normalize(x.dept) == key]
        if items:
            out[rid] = items
    return out


_ORIGIN_FIELDS = (
    "rows", "total_rows", "budget_depts", "programs", "program_depts", "dept_names",
    "ms_titles", "ms_programs", "ms_depts", "audit_depts",
)  # fmt: skip


def name_origins(store: StoreAPI) -> dict[str, list[str]]:
    """Normalised name → the reports printing it (any kind, or as the office), newest first."""

    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in store.reports():
            order = store.report_summary(r.id).get("order") or {}
            for f in _ORIGIN_FIELDS:
                for n in order.get(f, []):
                    rids = out.setdefault(normalize(n), [])
                    if not rids or rids[-1] != r.id:
                        rids.append(r.id)
            rids = out.setdefault(normalize(r.org), [])
            if not rids or rids[-1] != r.id:
                rids.append(r.id)
        return out

    return store.cached("name_origins", build)
