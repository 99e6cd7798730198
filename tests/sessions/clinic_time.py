"""The clinic day the session tests share: a Tuesday in summer time, in the clinic's zone."""

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2030, 6, 4)  # a Tuesday in summer time


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """That time of the clinic day (or of `day`), in London."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)
