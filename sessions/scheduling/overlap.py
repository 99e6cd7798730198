"""When are women of one cohort in the waiting room together? Pure functions, no database.

Each woman's presence comes from sessions/presence.py, with the one rule that says who a
session is for (`Presence.takes_part`): she is in the waiting room for at least half of it;
suggested windows are kept inside the hours a session may be booked in.

Best windows come from a sweep over sorted endpoints: a woman present over [a, d] takes part in
a session of length L (needing M = L/2 of it) exactly when it starts at some t with
a - (L - M) <= t <= d - M, so the best start times are the points covered by the most of those
intervals. Sorting costs O(n log n); the sweep is linear. All arithmetic is done in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from sessions.presence import (
    LONDON,
    UTC,
    Margins,
    Presence,
    Visit,
    least_time_in_session,
    minutes_between,
    presences_for_day,
)

__all__ = [
    "CohortDay",
    "Margins",
    "Presence",
    "Visit",
    "Window",
    "best_windows",
    "clinic_day_overlap",
    "presences_for_day",
]

# Suggested starts are moved to the next 5 minutes when the window allows: "09:40", not "09:37".
SNAP = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Window:
    """A suggested session time and the women who take part in it (`Presence.takes_part`).

    `latest_start` says how much later the same session could start and keep all of them.
    `cohort_expected` is how many women of the cohort are expected in the waiting room that day.
    """

    start: dt.datetime
    end: dt.datetime
    latest_start: dt.datetime
    patient_ids: tuple[int, ...]
    cohort_expected: int

    @property
    def count(self) -> int:
        return len(self.patient_ids)

    @property
    def minutes(self) -> int:
        return minutes_between(self.start, self.end)

    def describe(self) -> str:
        women = "woman" if self.cohort_expected == 1 else "women"
        verb = "is" if self.count == 1 else "are"
        return (
            f"{self.count} of {self.cohort_expected} {women} from this cohort {verb} in the "
            f"waiting room for at least half of a session from {self.start:%H:%M} to "
            f"{self.end:%H:%M}"
        )


@dataclass(frozen=True)
class CohortDay:
    """One cohort on one clinic day: who is expected when, and the best session windows."""

    cohort_id: int
    presences: tuple[Presence, ...]
    windows: tuple[Window, ...] = field(default_factory=tuple)

    @property
    def expected(self) -> int:
        return len({p.patient_id for p in self.presences})


_START, _END = 0, 1


def best_windows(
    presences: Iterable[Presence],
    *,
    minutes: int,
    limit: int | None = 3,
    min_women: int = 1,
    within: tuple[dt.datetime, dt.datetime] | None = None,
) -> list[Window]:
    """The best windows of `minutes` for these women, most women first, then earliest first.

    A window is a *peak*: a stretch of start times where the number of women who take part in
    the session (`Presence.takes_part`: present for at least half of it) is constant and
    higher than just before and just after it. The first windows returned are those with the
    most women; ties are ordered by start time, then by nothing else (peaks never share a
    start). Peaks with fewer than `min_women` women are not windows at all (a clinic's minimum
    group size). `within` (opening, closing) keeps every session inside the clinic's hours.
    `limit=None` returns every peak.
    """
    if minutes <= 0:
        raise ValueError("A session lasts at least one minute.")
    length = dt.timedelta(minutes=minutes)
    presences = list(presences)
    expected = len({p.patient_id for p in presences})
    tz = presences[0].arrives.tzinfo if presences else LONDON

    # She takes part in a session starting at t exactly when t is in
    # [arrives - (length - need), leaves - need] (closed) and she is there for `need` at all.
    need = least_time_in_session(length)
    events: list[tuple[dt.datetime, int, int]] = []
    for p in presences:
        arrives, leaves = p.arrives.astimezone(UTC), p.leaves.astimezone(UTC)
        if leaves - arrives < need:
            continue
        first = arrives - (length - need)
        last = leaves - need
        if within is not None:
            first = max(first, within[0].astimezone(UTC))
            last = min(last, within[1].astimezone(UTC) - length)
        if first <= last:
            events.append((first, _START, p.patient_id))
            events.append((last, _END, p.patient_id))
    events.sort()

    # Walk the events. At each event time T the count *at* T includes the women starting and
    # ending there (closed intervals); just after T it drops by those ending at T. A peak always
    # begins and ends at an event time, so it is a closed interval [peak_start, T].
    peaks: list[tuple[int, dt.datetime, dt.datetime, tuple[int, ...]]] = []
    present: set[int] = set()
    previous = 0  # the count just before T
    rise_at: dt.datetime | None = None  # where the current climb to a possible peak began
    for time, group in groupby(events, key=lambda e: e[0]):
        group = list(group)
        starting = [pid for _, kind, pid in group if kind == _START]
        ending = [pid for _, kind, pid in group if kind == _END]
        present.update(starting)
        at_t = len(present)
        if at_t > previous:
            rise_at = time
        after_t = at_t - len(ending)
        if after_t < at_t and rise_at is not None:
            peaks.append((at_t, rise_at, time, tuple(sorted(present))))
            rise_at = None
        present.difference_update(ending)
        previous = after_t

    peaks = [peak for peak in peaks if peak[0] >= min_women]
    peaks.sort(key=lambda peak: (-peak[0], peak[1]))
    if limit is not None:
        peaks = peaks[:limit]
    windows = []
    for _count, first, last, patient_ids in peaks:
        start = _snap(first, last)
        windows.append(
            Window(
                start=start.astimezone(tz),
                end=(start + length).astimezone(tz),
                latest_start=last.astimezone(tz),
                patient_ids=patient_ids,
                cohort_expected=expected,
            )
        )
    return windows


def _snap(first: dt.datetime, last: dt.datetime) -> dt.datetime:
    """`first` moved up to a round five minutes, if that is still no later than `last`."""
    epoch = dt.datetime(2000, 1, 1, tzinfo=UTC)
    remainder = (first - epoch) % SNAP
    snapped = first if not remainder else first + (SNAP - remainder)
    return snapped if snapped <= last else first


def clinic_day_overlap(
    visits_by_cohort: Mapping[int, Iterable[Visit]],
    *,
    margins: Margins,
    day: dt.date,
    minutes: int,
    limit: int | None = 3,
    min_women: int = 1,
) -> dict[int, CohortDay]:
    """For each cohort, its women's presences on `day` and the best windows of `minutes`."""
    result = {}
    for cohort_id, visits in visits_by_cohort.items():
        presences = presences_for_day(visits, margins=margins, day=day)
        result[cohort_id] = CohortDay(
            cohort_id=cohort_id,
            presences=tuple(presences),
            windows=tuple(
                best_windows(
                    presences,
                    minutes=minutes,
                    limit=limit,
                    min_women=min_women,
                    within=margins.opening_hours(day),
                )
            ),
        )
    return result
