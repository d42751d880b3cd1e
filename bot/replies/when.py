"""Dates as staff write them, with the precision the report gave and no more.

A milestone printed as "'21. 10월" is "2021년 10월 중", not 2021-10-01: inventing a day
would put a wrong D-day in someone's calendar. These helpers turn a (start, end,
precision) triple into text, into the last day it may still happen, and into D-day
wording — shared by the commands and the reminder messages."""

from __future__ import annotations

from datetime import date

from bot.models import Precision, last_day, period_end

WEEKDAYS = "월화수목금토일"
__all__ = ["WEEKDAYS", "d_day", "describe", "dot_date", "last_day", "month_date", "period_end"]  # last_day, period_end: from bot.models


def dot_date(d: date, weekday: bool = False) -> str:
    """2021.11.19. — the reports' own style (optionally with the weekday)."""
    text = f"{d.year}.{d.month}.{d.day}."
    return f"{text}({WEEKDAYS[d.weekday()]})" if weekday else text


def month_date(d: date) -> str:
    return f"{d.year}.{d.month}."


def _half(d: date) -> str:
    return "상반기" if d.month <= 6 else "하반기"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _point(d: date, precision: Precision) -> str:
    if precision == Precision.MONTH:
        return f"{d.year}년 {d.month}월"
    if precision == Precision.QUARTER:
        return f"{d.year}년 {_quarter(d)}분기"
    if precision == Precision.HALF:
        return f"{d.year}년 {_half(d)}"
    if precision == Precision.YEAR:
        return f"{d.year}년"
    return dot_date(d, weekday=True)


def describe(start: date, end: date | None, precision: Precision) -> str:
    """'2021.11.19.(금)', '2021.10.1.(금) ~ 10.10.(일)', '2021년 10월 중', '2021년 8월 ~ 12월'."""
    if end is None or end == start:
        if precision == Precision.DAY:
            return dot_date(start, weekday=True)
        return _point(start, precision) + " 중"
    if precision == Precision.DAY:
        tail = f"{end.month}.{end.day}.({WEEKDAYS[end.weekday()]})"
        if end.year != start.year:
            tail = dot_date(end, weekday=True)
        return f"{dot_date(start, weekday=True)} ~ {tail}"
    left = _point(start, precision)
    right = _point(end, precision)
    if end.year == start.year:
        right = right.split(" ", 1)[1] if " " in right else right
    return f"{left} ~ {right}"


def d_day(today: date, start: date, end: date | None, precision: Precision) -> str:
    """D-day wording that never claims more precision than the date has."""
    last = last_day(start, end, precision)
    if precision == Precision.DAY:
        if start > today:
            return f"D-{(start - today).days}"
        if start == today:
            return "D-day"
        return "진행 중" if last >= today else f"D+{(today - start).days}"
    first = start
    if first > today:
        months = (first.year - today.year) * 12 + first.month - today.month
        if precision == Precision.MONTH:
            return "다음 달" if months == 1 else f"{months}개월 뒤"
        return f"약 {months}개월 뒤" if months >= 1 else f"D-{(first - today).days} 이후"
    if last >= today:
        if end:
            return "진행 중"
        return {Precision.MONTH: "이번 달 중", Precision.QUARTER: "이번 분기 중", Precision.HALF: "이번 반기 중"}.get(
            precision, "올해 중"
        )
    return "지남"

