"""XmR statistical process control charts, the way NHS England's Making Data Count reads them.
Pure functions, no database and no Django: `xmr()` takes dated values and returns every point's
centre line, limits, the rules it triggers and whether that is improvement or concern, plus the
chart's variation and assurance icons and its warnings. ADR 0037 states the method and where it
differs from the reference implementation (NHSRplotthedots); in short:

- centre line: the mean of the period's values;
- process limits: mean ± 2.66 × the mean moving range (the mean absolute difference between
  consecutive values), after screening out moving ranges of 3.267 × the mean moving range or more
  (`screen=False` keeps them);
- special cause: a point outside the limits; 7 points in a row on one side of the mean; 7 points
  in a row each higher (or each lower) than the one before; 2 of 3 consecutive points beyond 2/3
  of the way from the mean to a limit on the same side;
- rebase dates start new periods: each has its own mean and limits, moving ranges and runs do not
  cross a period boundary, and a period of fewer than 12 points gets a warning.

A point exactly on a limit (or on the 2/3 line) is not beyond it, and a point exactly on the mean
is on neither side; "exactly" allows for floating-point rounding (`_TOLERANCE`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
SCREEN_FACTOR = 3.267  # D4 for n = 2: a moving range this far above the mean is an outlier
NEAR_LIMIT = 2 / 3  # the 2-of-3 rule's line: two thirds of the way from the mean to a limit
RUN_LENGTH = 7  # shift and trend
RELIABLE_POINTS = 12  # fewer than this in a period and its limits are not reliable

IMPROVEMENTS = ("increase", "decrease")
RULES = ("outside_limits", "shift", "trend", "two_in_three")
# Rules that say which side of the mean the process has moved to; a trend says which way it moves.
_SIDE_RULES = frozenset({"outside_limits", "shift", "two_in_three"})
# Relative tolerance for "exactly on a line": values compared as equal after rounding.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SpcPoint:
    x: date
    value: float
    mean: float
    lower: float
    upper: float
    rules: frozenset[str]  # a subset of RULES
    special_cause: str | None  # "improvement" | "concern" | "neither" (no direction) | None
    period: int  # index of the rebase period, from 0
    signal: str | None = None  # which way a special cause points: "high" | "low" | None


@dataclass(frozen=True)
class SpcChart:
    points: tuple[SpcPoint, ...]
    improvement: str | None
    target: float | None
    # "common_cause" | "special_cause_improvement" | "special_cause_concern"
    # | "special_cause_neither"
    variation: str
    # "consistently_passing" | "consistently_failing" | "hit_and_miss" | None (no target)
    assurance: str | None
    warnings: tuple[str, ...]

    @property
    def variation_signal(self) -> str | None:
        """Which way the latest point's special cause points ("high" or "low"), else None."""
        return self.points[-1].signal if self.points else None

    @property
    def rebase_dates(self) -> tuple[date, ...]:
        """The first date of each period after the first: where the chart draws a boundary."""
        return tuple(b.x for a, b in pairwise(self.points) if b.period != a.period)


def day_label(day: date) -> str:
    """3 Mar 2025: the date as NHS content style writes it."""
    return f"{day.day} {day:%b %Y}"


def xmr(
    points: Sequence[tuple[date, float]],
    *,
    improvement: str | None = None,
    target: float | None = None,
    rebase: Sequence[date] = (),
    screen: bool = True,
) -> SpcChart:
    """The XmR chart of `points` (date, value), in date order whatever order they come in.

    `improvement` is "increase" or "decrease" (which way is better) or None (neither: special
    causes are shown without a direction and there is no assurance). Raises ValueError for an
    unknown direction, a value that is not a finite number, or two values on one date.
    """
    if improvement not in (None, *IMPROVEMENTS):
        raise ValueError(f"improvement must be 'increase', 'decrease' or None, not {improvement!r}")
    if target is not None and not math.isfinite(target):
        raise ValueError("The target must be a finite number.")
    series = sorted((day, float(value)) for day, value in points)
    for day, value in series:
        if not math.isfinite(value):
            raise ValueError(f"The value on {day_label(day)} is not a number.")
    for (first, _), (second, _) in pairwise(series):
        if first == second:
            raise ValueError(f"There are two values on {day_label(first)}.")

    periods, warnings = _split(series, rebase)
    charted: list[SpcPoint] = []
    for index, period in enumerate(periods):
        charted += _period_points(period, index, improvement, screen)
        if len(period) < RELIABLE_POINTS:
            count = f"{len(period)} point" + ("" if len(period) == 1 else "s")
            warnings.append(
                f"Period from {day_label(period[0][0])} has {count}; limits need at least "
                f"{RELIABLE_POINTS} to be reliable."
            )
    if not charted:
        warnings.append("There are no points to chart.")
    last = charted[-1] if charted else None
    return SpcChart(
        points=tuple(charted),
        improvement=improvement,
        target=target,
        variation=_variation(last),
        assurance=_assurance(last, improvement, target),
        warnings=tuple(warnings),
    )


def _split(
    series: list[tuple[date, float]], rebase: Sequence[date]
) -> tuple[list[list[tuple[date, float]]], list[str]]:
    """The series cut into periods: each rebase date starts a new period at the first point on
    or after it. A rebase date that cuts nothing (after the last point, or before the first)
    is ignored with a warning."""
    warnings: list[str] = []
    starts: set[int] = set()
    for day in sorted(set(rebase)):
        at = next((i for i, (x, _) in enumerate(series) if x >= day), None)
        if at is None or (at == 0 and day < series[0][0]):
            where = "after the last point" if at is None else "before the first point"
            warnings.append(f"Rebase date {day_label(day)} is {where}, so it was ignored.")
        elif at > 0:
            starts.add(at)
    cuts = [0, *sorted(starts), len(series)]
    return [series[a:b] for a, b in pairwise(cuts) if b > a], warnings


def _differs(a: float, b: float) -> int:
    """+1 if a is above b, -1 if below, 0 if equal to within floating-point rounding."""
    if math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE):
        return 0
    return 1 if a > b else -1


def mean_moving_range(values: Sequence[float], *, screen: bool = True) -> float:
    """The mean of the moving ranges |x[i] - x[i-1]|, with ranges of SCREEN_FACTOR × that mean or
    more left out when screening (then averaged again, once). 0.0 for fewer than two values.
    A range exactly on the cut-off is screened out. When every range is 0 there is nothing to
    screen (all values are equal)."""
    ranges = [abs(b - a) for a, b in pairwise(values)]
    if not ranges:
        return 0.0
    average = math.fsum(ranges) / len(ranges)
    if screen and average > 0:
        kept = [r for r in ranges if _differs(r, SCREEN_FACTOR * average) < 0]
        average = math.fsum(kept) / len(kept)
    return average


def _period_points(
    period: list[tuple[date, float]], index: int, improvement: str | None, screen: bool
) -> list[SpcPoint]:
    values = [value for _, value in period]
    mean = math.fsum(values) / len(values)
    spread = LIMIT_FACTOR * mean_moving_range(values, screen=screen)
    lower, upper = mean - spread, mean + spread
    near_lower, near_upper = mean - NEAR_LIMIT * spread, mean + NEAR_LIMIT * spread

    sides = [_differs(v, mean) for v in values]
    # +1 above the upper limit, -1 below the lower, 0 within or on them.
    outside = [1 if _differs(v, upper) > 0 else -1 if _differs(v, lower) < 0 else 0 for v in values]
    # Beyond the 2/3 line on the upper (+1) or lower (-1) side; points outside count too.
    beyond_near = [
        1 if _differs(v, near_upper) > 0 else -1 if _differs(v, near_lower) < 0 else 0
        for v in values
    ]
    rules: list[set[str]] = [set() for _ in values]
    directions: list[int] = [0] * len(values)  # a trend's direction
    for i, side in enumerate(outside):
        if side:
            rules[i].add("outside_limits")
    for i in _runs(sides):
        rules[i].add("shift")
    steps = [_differs(b, a) for a, b in pairwise(values)]
    for i, direction in _trends(steps).items():
        rules[i].add("trend")
        directions[i] = direction
    for i in _two_in_three(beyond_near):
        rules[i].add("two_in_three")

    points = []
    for i, (day, value) in enumerate(period):
        signal = _signal(rules[i], sides[i], directions[i])
        points.append(
            SpcPoint(
                x=day,
                value=value,
                mean=mean,
                lower=lower,
                upper=upper,
                rules=frozenset(rules[i]),
                special_cause=_special_cause(signal, improvement) if rules[i] else None,
                period=index,
                signal=signal,
            )
        )
    return points


def _streaks(signs: list[int]) -> list[tuple[int, int, int]]:
    """(start, length, sign) of each maximal stretch of equal non-zero signs."""
    streaks = []
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0:
                streaks.append((start, i - start, signs[start]))
            start = i
    return streaks


def _runs(sides: list[int]) -> set[int]:
    """Indexes of points in a run of RUN_LENGTH or more on one side of the mean (a point on the
    mean breaks a run)."""
    found: set[int] = set()
    for start, length, _ in _streaks(sides):
        if length >= RUN_LENGTH:
            found.update(range(start, start + length))
    return found


def _trends(steps: list[int]) -> dict[int, int]:
    """Point index → direction (+1 up, -1 down) for points in RUN_LENGTH or more points in a row
    each higher (or each lower) than the one before. `steps[i]` compares point i+1 with point i;
    an equal pair (a tie) breaks a trend."""
    found: dict[int, int] = {}
    for start, length, direction in _streaks(steps):
        if length >= RUN_LENGTH - 1:  # six rises join seven points
            found.update(dict.fromkeys(range(start, start + length + 1), direction))
    return found


def _two_in_three(beyond_near: list[int]) -> set[int]:
    """Indexes of points beyond the 2/3 line that are, with another point beyond it on the same
    side, two of three consecutive points. The third point may be anywhere."""
    found: set[int] = set()
    for start in range(len(beyond_near)):
        window = range(start, min(start + 3, len(beyond_near)))
        for side in (1, -1):
            hits = [i for i in window if beyond_near[i] == side]
            if len(hits) >= 2:
                found.update(hits)
    return found


def _signal(rules: set[str], side: int, trend: int) -> str | None:
    """Which way a special cause points. Outside the limits, a shift and 2 of 3 say which side
    of the mean the point is on; a trend alone says which way the trend runs (a point of an
    upward trend may still be below the mean)."""
    if not rules:
        return None
    direction = side if rules & _SIDE_RULES else trend
    return "high" if direction > 0 else "low" if direction < 0 else None


def _special_cause(signal: str | None, improvement: str | None) -> str:
    if improvement is None or signal is None:
        return "neither"
    better = "high" if improvement == "increase" else "low"
    return "improvement" if signal == better else "concern"


def _variation(last: SpcPoint | None) -> str:
    """The variation icon, as Making Data Count draws it: from the latest point."""
    if last is None or last.special_cause is None:
        return "common_cause"
    return f"special_cause_{last.special_cause}"


def _assurance(last: SpcPoint | None, improvement: str | None, target: float | None) -> str | None:
    """Where the target lies against the latest period's limits. None without a target, without
    a direction (no side is the good one), or without points. A target on a limit is within."""
    if last is None or target is None or improvement is None:
        return None
    if _differs(target, last.upper) > 0:  # the process stays below the target
        return "consistently_failing" if improvement == "increase" else "consistently_passing"
    if _differs(target, last.lower) < 0:  # the process stays above the target
        return "consistently_passing" if improvement == "increase" else "consistently_failing"
    return "hit_and_miss"
