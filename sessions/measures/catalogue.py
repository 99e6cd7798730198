"""The measures a coordinator watches: a plain, explicit list.

Each measure names its series, a read that gives one `Point` a week or a month for a clinic (and
optionally one cohort). `n` is the number of women or answers behind the value: the pages never
show a value from fewer than `SMALL_NUMBER_LIMIT` of them (small numbers identify women;
docs/adr/0038-measures-catalogue-and-waiting-times.md). A new measure is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import series
from .points import Point

__all__ = ["MEASURES", "SMALL_NUMBER_LIMIT", "Measure", "Point", "measure_by_slug"]

SMALL_NUMBER_LIMIT = 5


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    unit: str
    improvement: str | None  # "increase", "decrease", or None when neither direction is better
    # series(clinic, *, cohort=None, start: date, end: date, period: "week" | "month") -> [Point]
    series: Callable[..., list[Point]]
    target: float | None = None
    description: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure(
        slug="invitation-acceptance",
        title="Invitations accepted",
        unit="%",
        improvement="increase",
        series=series.invitation_acceptance,
        description=(
            "Of the invitations sent for sessions in the period, the percentage the woman "
            "accepted (including those put on a waiting list). Counted by the session's date."
        ),
    ),
    Measure(
        slug="attendance",
        title="Women who came after accepting",
        unit="%",
        improvement="increase",
        series=series.attendance,
        description=(
            "Of the women who accepted a place at a session in the period, the percentage "
            "recorded as coming to it (here, late, or called in for her appointment)."
        ),
    ),
    Measure(
        slug="time-in-waiting-room",
        title="Time in the waiting room",
        unit="minutes",
        improvement="decrease",
        series=series.time_in_waiting_room,
        description=(
            "Middle (median) time from a woman's check-in at a session to being called in for "
            "her appointment. Women called in without an earlier check-in are left out."
        ),
    ),
    Measure(
        slug="wait-beyond-booked-time",
        title="Wait beyond booked appointment time",
        unit="minutes",
        improvement="decrease",
        series=series.wait_beyond_booked_time,
        description=(
            "Middle (median) time from a woman's booked appointment time to being called in. "
            "Called in early or on time counts as 0 minutes."
        ),
    ),
    Measure(
        slug="concerns-raised",
        title="Concerns raised",
        unit="concerns",
        improvement=None,
        series=series.concerns_raised,
        description=(
            "Concerns raised at the clinic's sessions in the period. Neither more nor fewer is "
            "better in itself: it shows women are heard and staff are escalating. Shown only "
            "when at least 5 women came to sessions in the period."
        ),
    ),
    Measure(
        slug="group-activity",
        title="Posts in the online groups",
        unit="posts",
        improvement="increase",
        series=series.group_posts,
        description=(
            "Posts written in the clinic's online groups by the clinic's women in the period "
            "(removed posts are not counted). Shown only when at least 5 women posted."
        ),
    ),
)


def measure_by_slug(slug: str) -> Measure | None:
    return next((m for m in MEASURES if m.slug == slug), None)
