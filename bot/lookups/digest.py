"""What the weekly digest reads: the milestones of the next days, each office's open audit
follow-ups, the programs whose 집행률 lags most, and when a channel last got one.

Queries only; the digest's wording is bot/replies/digest.py. The /digest command, the
scheduler and ``reportbot digest`` all read these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.lookups.budget import fund_operations, rate_of
from bot.models import AuditItem, AuditStatus, BudgetLine, Milestone, Precision, Report, last_day
from bot.store.api import StoreAPI

_BUDGET_COLS = ("예산현액", "예산액")


def last_digest_meta_key(platform: str, channel: str) -> str:
    """Where the scheduler notes when a channel last received its digest."""
    return f"digest.last|{platform}:{channel}"


def last_digest_at(store: StoreAPI, platform: str, channel: str) -> datetime | None:
    raw = store.get_meta(last_digest_meta_key(platform, channel))
    try:
        return datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def digest_milestones(store: StoreAPI, as_of: date, days: int) -> tuple[list[Milestone], list[Milestone]]:
    """(starting in the window, ranges or periods ending in it). A month item whose month
    ends inside the window counts as 'ending': it may still happen any day now."""
    end = as_of + timedelta(days=days)
    starting: list[Milestone] = []
    ending: list[Milestone] = []
    # the store's window ignores precision ('10월' ends on 10.31): ask from a year and a day
    # before, which holds every period that may still run (by bisect, not a scan)
    for m in store.milestones(as_of - timedelta(days=366), end):
        if as_of <= m.start <= end:
            starting.append(m)
        elif as_of <= last_day(m.start, m.end, m.precision) <= end and (m.end or m.precision is not Precision.DAY):
            ending.append(m)
    return starting, ending


def open_audit_items(store: StoreAPI, as_of: date) -> list[tuple[Report, AuditItem]]:
    """The unfinished follow-ups of each office's newest report that has any."""
    out: list[tuple[Report, AuditItem]] = []
    done: set[str] = set()
    for r in store.reports():  # newest first: each office's newest report with follow-ups
        if r.report_date > as_of or r.org in done or not _count(store, r, "audit_items"):
            continue
        items = store.audit_items(r.id)
        if items:
            done.add(r.org)
            out += [(r, a) for a in items if a.status is not AuditStatus.DONE]
    return out


def _count(store: StoreAPI, r: Report, table: str) -> int:
    """How many records of ``table`` the report's summary counts (no file read; one table
    per store state, not a summary lookup per report and digest)."""
    counts: dict[str, int] = store.cached(("digest_counts", table), dict)  # filled per report (the same in any as-of view)
    if r.id not in counts:
        counts[r.id] = int((store.report_summary(r.id).get("counts") or {}).get(table) or 0)
    return counts[r.id]


def _budget_of(b: BudgetLine) -> float:
    for k, v in b.values.items():
        if any(c in k.replace(" ", "") for c in _BUDGET_COLS) and isinstance(v, (int, float)):
            return float(v)
    return 0.0


def lagging_programs(store: StoreAPI, as_of: date, limit: int) -> list[tuple[Report, BudgetLine, float]]:
    """Program rows with the lowest 집행률 in each office's newest execution table
    (rows with no budget to spend are left out). Each report's rows are ranked once per
    report file (``_ranked``): a digest then reads a few rows per office, not every table."""
    rated: set[str] = set()
    rows: list[tuple[Report, BudgetLine, float]] = []
    for r in store.reports():  # newest first: only each office's newest rated table is read
        if r.report_date > as_of or r.org in rated or not _count(store, r, "budget_lines"):
            continue
        ranked = _ranked(store, r.id)
        if ranked.latest is not None and ranked.latest > as_of:  # figures dated after the day asked: filter
            ranked = _rank_rows(store, r.id, as_of)
        if ranked.any_rated:
            rated.add(r.org)
            rows += [(r, b, rate) for rate, _, b in ranked.lowest[:limit]]
    rows.sort(key=lambda t: (t[2], t[1].name))
    return rows[:limit]


@dataclass
class _Ranked:
    """One report's program rows by 집행률, lowest first; ``latest``: its newest as_of."""

    any_rated: bool
    lowest: list[tuple[float, str, BudgetLine]]
    latest: date | None


def _ranked(store: StoreAPI, report_id: str) -> _Ranked:
    return store.report_cached(report_id, "digest_lowest", lambda: _rank_rows(store, report_id, None))


def _rated_by(lines: list[BudgetLine], as_of: date | None) -> list[tuple[BudgetLine, float]]:
    """Rows with a 집행률, printed on or before ``as_of`` (any date without one)."""
    out = []
    for b in lines:
        rate = rate_of(b)
        if rate is not None and (as_of is None or b.as_of is None or b.as_of <= as_of):
            out.append((b, rate))
    return out


def _rank_rows(store: StoreAPI, report_id: str, as_of: date | None) -> _Ranked:
    everything = store.budget_lines(report_id)
    rated = _rated_by(everything, as_of)
    latest = max((b.as_of for b, _ in rated if b.as_of is not None), default=None)
    if not rated:
        return _Ranked(False, [], latest)
    level = "unit" if any(b.level == "unit" for b, _ in rated) else "policy"
    funds = fund_operations(everything)  # 여유자금 예치, 전출금: not programs
    out = [(rate, b.name, b) for b, rate in rated if b.level == level and _budget_of(b) > 0 and id(b) not in funds]
    out.sort(key=lambda t: (t[0], t[1]))
    return _Ranked(True, out, latest)
