"""Moved: the catalogue's lookups are queries and live in ``bot.lookups.catalog``; this
name stays until every command imports them from there."""

from bot.lookups.catalog import (
    audit_items_of_dept,
    audit_pools,
    audit_report_ids,
    budget_lines_of_dept,
    budget_pools,
    budget_rows_named,
    compare_pools,
    name_origins,
    org_names,
    program_pools,
    programs_of_dept,
    programs_titled,
    reports_with_budget,
)
from bot.lookups.departments import department_names, department_pool
from bot.lookups.summaries import names_in_order

__all__ = [
    "audit_items_of_dept", "audit_pools", "audit_report_ids", "budget_lines_of_dept", "budget_pools",
    "budget_rows_named", "compare_pools", "department_names", "department_pool", "name_origins",
    "names_in_order", "org_names", "program_pools", "programs_of_dept", "programs_titled", "reports_with_budget",
]  # fmt: skip
