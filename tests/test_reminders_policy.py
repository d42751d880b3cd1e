"""The reminder policy: which days a milestone's reminders go out, before any channel."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import ReminderSettings
from bot.models import Milestone, Precision
from reminders.calendar import WorkCalendar
from reminders.policy import send_slots, slot_label

KR = WorkCalendar("KR")
DEFAULT = ReminderSettings()


def ms(start: date, end: date | None = None, precision: Precision = Precision.DAY, title: str = "행사") -> Milestone:
    return Milestone(title=title, start=start, end=end, precision=precision, dept="국제교류담당관")


def days(m: Milestone, settings: ReminderSettings = DEFAULT) -> list[tuple[str, date]]:
    return [(s.label, s.on) for s in send_slots(m, settings, KR)]


def test_day_milestone_on_a_weekday_gets_d7_d1_and_dday_at_their_own_dates():
    assert days(ms(date(2021, 10, 28))) == [
        ("d7", date(2021, 10, 21)),
        ("d1", date(2021, 10, 27)),
        ("d0", date(2021, 10, 28)),
    ]


def test_reminder_falling_on_a_sunday_moves_to_the_friday_before():
    # 2021-11-15 is a Monday: D-1 would be Sunday the 14th.
    assert days(ms(date(2021, 11, 15)))[1] == ("d1", date(2021, 11, 12))


def test_reminder_on_a_substitute_public_holiday_moves_to_the_working_day_before():
    # 2021-10-11 (Mon) is the substitute holiday for 한글날; D-1 of the 12th goes out Friday the 8th.
    assert ("d1", date(2021, 10, 8)) in days(ms(date(2021, 10, 12)))


def test_reminder_inside_chuseok_moves_back_past_the_holidays_and_the_weekend():
    # 9.20-22 Chuseok, 9.18-19 weekend: the D-1 of 9.23 goes out on Friday 9.17.
    slots = send_slots(ms(date(2021, 9, 23)), DEFAULT, KR)
    d1 = next(s for s in slots if s.label == "d1")
    assert d1.on == date(2021, 9, 17) and d1.nominal == date(2021, 9, 22)
    assert slot_label(ms(date(2021, 9, 23)), d1, d1.on) == "D-6"  # says what is true on the day


def test_saturday_event_gets_one_friday_reminder_not_both_d1_and_dday():
    m = ms(date(2021, 11, 20))  # a Saturday
    slots = send_slots(m, DEFAULT, KR)
    assert [s.on for s in slots] == [date(2021, 11, 12), date(2021, 11, 19)]
    friday = slots[-1]
    assert slot_label(m, friday, friday.on) == "D-1"


def test_month_precision_reminds_on_first_working_day_and_seven_days_before():
    m = ms(date(2021, 11, 1), precision=Precision.MONTH)
    assert days(m) == [("m7", date(2021, 10, 25)), ("m0", date(2021, 11, 1))]
    slots = send_slots(m, DEFAULT, KR)
    assert slot_label(m, slots[0], slots[0].on) == "다음 달"
    assert slot_label(m, slots[1], slots[1].on) == "이번 달 중"


def test_month_starting_on_a_holiday_weekend_uses_its_first_working_day():
    # 2022-01-01 is a Saturday and New Year's Day: first working day is Monday 1.3.
    assert days(ms(date(2022, 1, 1), precision=Precision.MONTH)) == [
        ("m7", date(2021, 12, 27)),
        ("m0", date(2022, 1, 3)),
    ]


def test_half_year_milestone_is_reminded_once_at_the_start_of_the_half():
    assert days(ms(date(2021, 7, 1), precision=Precision.HALF)) == [("p0", date(2021, 7, 1))]


def test_day_range_reminds_before_the_start_and_on_its_last_working_day():
    # 10.1(Fri)~10.10(Sun); 10.9 is 한글날 (Sat): the last-day reminder goes out Friday 10.8.
    m = ms(date(2021, 10, 1), date(2021, 10, 10))
    assert days(m) == [
        ("d7", date(2021, 9, 24)),
        ("d1", date(2021, 9, 30)),
        ("d0", date(2021, 10, 1)),
        ("end", date(2021, 10, 8)),
    ]
    end = send_slots(m, DEFAULT, KR)[-1]
    assert slot_label(m, end, end.on) == "종료 D-2"


def test_month_range_reminds_before_its_first_month_and_on_the_last_day_of_its_last_month():
    m = ms(date(2021, 8, 1), date(2021, 12, 1), Precision.MONTH)
    assert days(m) == [("m7", date(2021, 7, 26)), ("m0", date(2021, 8, 2)), ("end", date(2021, 12, 31))]


def test_offsets_come_from_the_config():
    settings = ReminderSettings(offsets_days=[3, 0])
    assert days(ms(date(2021, 10, 28)), settings) == [("d3", date(2021, 10, 25)), ("d0", date(2021, 10, 28))]


@pytest.mark.parametrize("d", [date(2021, 10, 3), date(2021, 10, 9), date(2021, 12, 25), date(2021, 10, 16)])
def test_calendar_knows_korean_holidays_and_weekends(d):
    assert not KR.is_working_day(d)
