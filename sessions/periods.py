"""Weeks and months as a clinic counts them: pure date arithmetic, no database.

A week starts on Monday, a month on its first day, both on the clinic's wall calendar. Low in
the `sessions` app so that every series (measures, alignment, feedback) counts them the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the week (Monday) or month that `day` falls in."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"Unknown period {period!r}: 'week' or 'month'")


def next_period(start: dt.date, period: Period) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_starts(start: dt.date, end: dt.date, period: Period) -> list[dt.date]:
    """The first day of every period from the one holding `start` to the one holding `end`."""
    starts, current = [], period_start(start, period)
    while current <= end:
        starts.append(current)
        current = next_period(current, period)
    return starts


def periods_back(end: dt.date, period: Period, count: int) -> dt.date:
    """The first day of the period `count - 1` periods before the one holding `end`, so that
    `period_starts(periods_back(end, p, n), end, p)` has n periods."""
    current = period_start(end, period)
    for _ in range(count - 1):
        current = period_start(current - dt.timedelta(days=1), period)
    return current
