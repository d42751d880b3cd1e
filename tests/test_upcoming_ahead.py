"""/upcoming's list of what is ahead is built once a day and cut by date and name: every
cut lists what a scan of every milestone lists, in the same order."""

from __future__ import annotations

from datetime import date, timedelta

from bot.events import same_event
from bot.keys import name_key
from bot.lookups.upcoming import milestones_ahead
from bot.models import Milestone, last_day


def _scan(store, today: date, end: date | None) -> list[Milestone]:
    """Every milestone that may still happen and starts by ``end``, each event once."""
    alive = [m for m in store.milestones() if last_day(m.start, m.end, m.precision) >= today and (end is None or m.start <= end)]
    alive.sort(key=lambda m: (m.start, m.end or m.start, len(m.title), m.title))
    out: list[Milestone] = []
    for m in alive:
        if not any(same_event(m, kept) for kept in out):
            out.append(m)
    out.sort(key=lambda m: (m.start, m.end or m.start, m.title))
    return out


def test_every_window_of_the_upcoming_list_is_what_a_full_scan_finds(corpus) -> None:
    for today in (date(2021, 9, 6), date(2021, 3, 2), date(2019, 1, 1)):
        ahead = milestones_ahead(corpus, today)
        for days in (0, 7, 30, 365, None):
            end = today + timedelta(days=days) if days is not None else None
            assert ahead.until(end) == _scan(corpus, today, end)


def test_a_departments_upcoming_list_is_its_share_of_the_whole(corpus) -> None:
    today = date(2021, 9, 6)
    ahead = milestones_ahead(corpus, today)
    depts = {m.dept for m in ahead.items if m.dept}
    assert depts
    for dept in depts:
        for end in (today + timedelta(days=30), None):
            assert ahead.named("dept", dept, end) == [m for m in ahead.until(end) if m.dept and name_key(m.dept) == name_key(dept)]
