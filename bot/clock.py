"""What "now" is. Everything that asks for today takes a ``Clock`` so tests and
demonstrations on the 2016–2021 corpus can pin the date."""

from __future__ import annotations

import time as _time
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Wall-clock time in Asia/Seoul."""

    def now(self) -> datetime:
        return datetime.now(SEOUL)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock pinned to a date (``--as-of``) or an exact moment (tests).

    ``set`` lets tests move time forward without sleeping."""

    def __init__(self, moment: datetime | date) -> None:
        if isinstance(moment, datetime):
            self._now = moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)
        else:
            self._now = datetime.combine(moment, time(9, 0), tzinfo=SEOUL)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.astimezone(SEOUL).date()

    def set(self, moment: datetime) -> None:
        self._now = moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)


class RunningClock:
    """A demo clock (``run --as-of``): starts at a pinned moment and moves forward with
    the wall clock from there, so a bot "on 2021-10-27 08:59" reaches 09:00 a minute
    later and its scheduled sends fire. A date alone starts at 09:00, like ``FixedClock``."""

    def __init__(self, start: datetime | date) -> None:
        self._start = FixedClock(start).now()
        self._t0 = _time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=_time.monotonic() - self._t0)

    def today(self) -> date:
        return self.now().astimezone(SEOUL).date()


class AsOfClock:
    """Runs like the wall clock but on a pinned calendar day: the time of day moves,
    the date stays at ``as_of``. Used when the config pins ``clock.as_of`` for a demo
    bot that is otherwise live."""

    def __init__(self, as_of: date) -> None:
        self._as_of = as_of

    def now(self) -> datetime:
        real = datetime.now(SEOUL)
        return datetime.combine(self._as_of, real.timetz())

    def today(self) -> date:
        return self._as_of


def clock_for(as_of: date | None) -> Clock:
    return AsOfClock(as_of) if as_of else SystemClock()
