"""When reminders for one milestone go out: the send days, before any channel is known.

The policy is the issue's, with the config's numbers:
- a day-precision milestone gets one reminder per offset (D-7, D-1, D-day by default);
- a month-precision one gets one on the first working day of its month and one
  ``max(offsets)`` days before that (a month has no D-day to count down to);
- quarter-, half- and year-precision ones get one, on the first working day of the period;
- a range also gets one on its last day (the last day of its last period).
A send day on a weekend or a Korean public holiday moves to the working day before;
when two sends land on the same day only the one closest to the event is kept, so a
Saturday event does not produce both a "D-1" and a "D-day" on Friday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot import messages as M
from bot.config import ReminderSettings
from bot.models import Milestone, Precision
from bot.replies.when import d_day, period_end
from bot.replies.when import last_day as printed_last_day
from reminders.calendar import WorkCalendar

About = Literal["start", "end"]


@dataclass(frozen=True)
class SendSlot:
    """One send day of one milestone. ``label`` is the stable part of the sent-log key."""

    label: str  # d7, d1, d0 (day offsets) · m7, m0 (month) · p0 (period start) · end
    on: date  # the working day it goes out
    nominal: date  # the day the policy named, before the weekend/holiday shift
    about: About  # counts down to the start, or announces the last day of a range


def period_first_day(d: date, precision: Precision) -> date:
    """First day of the period ``d`` stands for (the parser stores periods by their first day)."""
    if precision is Precision.DAY:
        return d
    if precision is Precision.MONTH:
        return d.replace(day=1)
    if precision is Precision.QUARTER:
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if precision is Precision.HALF:
        return date(d.year, 1 if d.month <= 6 else 7, 1)
    return date(d.year, 1, 1)


def is_range(m: Milestone) -> bool:
    return m.end is not None and period_first_day(m.end, m.precision) > period_first_day(m.start, m.precision)


def last_day(m: Milestone) -> date:
    """The milestone's last calendar day, honest to its precision."""
    return period_end(m.end if is_range(m) and m.end else m.start, m.precision)


def send_slots(m: Milestone, settings: ReminderSettings, cal: WorkCalendar) -> list[SendSlot]:
    """Every send day for ``m``, earliest first, at most one per day."""
    offsets = sorted({o for o in settings.offsets_days if o >= 0})
    candidates: list[SendSlot] = []  # in priority order: closest to the event first
    if m.precision is Precision.DAY:
        for off in offsets:
            nominal = m.start - timedelta(days=off)
            candidates.append(SendSlot(f"d{off}", cal.on_or_before(nominal), nominal, "start"))
    else:
        first = period_first_day(m.start, m.precision)
        first_working = cal.on_or_after(first)
        candidates.append(SendSlot(f"{_prefix(m.precision)}0", first_working, first, "start"))
        lead = max(offsets, default=0)
        if m.precision is Precision.MONTH and lead > 0:
            nominal = first_working - timedelta(days=lead)
            candidates.append(SendSlot(f"m{lead}", cal.on_or_before(nominal), nominal, "start"))
    if is_range(m):
        end = last_day(m)
        candidates.append(SendSlot("end", cal.on_or_before(end), end, "end"))
    kept: dict[date, SendSlot] = {}
    for slot in candidates:
        kept.setdefault(slot.on, slot)
    return sorted(kept.values(), key=lambda s: s.on)


def _prefix(precision: Precision) -> str:
    return "m" if precision is Precision.MONTH else "p"


def slot_label(m: Milestone, slot: SendSlot, send_day: date) -> str:
    """D-N as of the day it goes out (a D-day moved to Friday honestly says D-1)."""
    if slot.about == "start":
        return d_day(send_day, m.start, m.end, m.precision)
    end = printed_last_day(m.start, m.end, m.precision)
    if m.precision is not Precision.DAY and (end.year, end.month) == (send_day.year, send_day.month):
        return M.END_PERIOD.format(unit=M.PERIOD_UNITS.get(m.precision.value, "달"))
    n = (end - send_day).days
    if n == 0:
        return M.END_TODAY
    return M.END_N.format(n=n) if n > 0 else M.END_PAST.format(n=-n)
