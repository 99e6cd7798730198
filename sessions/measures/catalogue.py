"""The measures a coordinator watches: a plain, explicit list.

Each measure names its series, a read that gives one `Point` a week or a month for a clinic (and
optionally one cohort). `n` is the number of women or answers behind the value: the pages never
show a value from fewer than `SMALL_NUMBER_LIMIT` of them (small numbers identify women;
docs/adr/0038-measures-catalogue-and-waiting-times.md). A new measure is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sessions.alignment.measures import peers_together_series
from sessions.feedback.measures import feedback_measures

from . import series
from .points import Point

__all__ = ["MEASURES", "SMALL_NUMBER_LIMIT", "Measure", "Point", "all_measures", "measure_by_slug"]

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


def _as_points(series_of_rows: Callable[..., list[tuple]]) -> Callable[..., list[Point]]:
    """Another app's series of (period start, value, n) rows, as points."""

    def as_points(*args, **kwargs) -> list[Point]:
        return [Point(start, value, n) for start, value, n in series_of_rows(*args, **kwargs)]

    return as_points


def _peers_together(clinic, *, cohort=None, start, end, period) -> list[Point]:
    """Booking alignment's share (0–1) as a percentage."""
    return [
        Point(week, None if share is None else round(100 * share, 1), n)
        for week, share, n in peers_together_series(
            clinic, cohort=cohort, start=start, end=end, period=period
        )
    ]


MEASURES += (
    Measure(
        slug="peers-together",
        title="Appointments with 2 or more of her group in the waiting room",
        unit="%",
        improvement="increase",
        series=_peers_together,
        description=(
            "Of the appointments of the clinic's group members, the percentage with at least 2 "
            "others of her group in the waiting room at the same time (arriving early and "
            "waiting as the clinic's margins say). Booking alignment moves this."
        ),
    ),
)


def all_measures() -> tuple[Measure, ...]:
    """The fixed measures, then one for each questionnaire loaded (sessions/feedback: its mean
    summary score, or % positive for the Friends and Family Test). One query."""
    return MEASURES + tuple(
        Measure(
            slug=fm.key,
            title=fm.label,
            unit=fm.unit,
            improvement=fm.improvement,
            series=_as_points(fm.series),
            description=(
                "Mean of the summary scores of the answers completed in the period"
                if fm.unit != "% positive"
                else "Of the answers completed in the period, the percentage that were positive"
            )
            + " (women answer from the link in a message or from their home).",
        )
        for fm in feedback_measures()
    )


def measure_by_slug(slug: str) -> Measure | None:
    return next((m for m in all_measures() if m.slug == slug), None)
