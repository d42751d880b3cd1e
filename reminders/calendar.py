"""Working days in Korea: weekends and public holidays (the ``holidays`` package knows
KR, including substitute holidays), so a reminder never lands on a day nobody reads it."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import holidays

log = logging.getLogger(__name__)


class WorkCalendar:
    """Which days are working days. ``country=None`` keeps only the weekend rule
    (tests and offices without a holiday calendar)."""

    def __init__(self, country: str | None = "KR", weekends: bool = True) -> None:
        self._holidays: holidays.HolidayBase | dict[date, str] = {}
        if country:
            try:
                self._holidays = holidays.country_holidays(country)
            except NotImplementedError:  # an unknown country code in the config
                log.warning("no public holiday calendar for %r: only weekends are skipped", country)
        self._weekends = weekends

    def is_working_day(self, d: date) -> bool:
        if self._weekends and d.weekday() >= 5:
            return False
        return d not in self._holidays

    def on_or_before(self, d: date) -> date:
        """The working day itself, or the last working day before it."""
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def on_or_after(self, d: date) -> date:
        """The working day itself, or the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d
