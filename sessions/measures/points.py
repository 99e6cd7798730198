"""One value of a measure for one week or month, and how to fill a series from counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    start: dt.date  # the first day of the week or month
    value: float | None  # None: nothing to measure in that period
    n: int  # women or answers behind the value


def points_for(
    starts: list[dt.date], found: Mapping[dt.date, tuple[float | None, int]]
) -> list[Point]:
    """A point for every period in `starts`; a period with nothing found has no value and n 0."""
    return [Point(start, *found.get(start, (None, 0))) for start in starts]


def percentage(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
