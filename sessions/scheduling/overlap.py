"""When are women of one cohort in the waiting room together? Pure functions, no database.

A woman's *presence* is estimated from her appointment: she arrives `arrive_early` before her
booked time and may still be waiting `wait_after` after it (the clinic's two settings). The
appointment's duration is time with the midwife, not in the waiting room, so it does not lengthen
her presence. Two appointments of one woman on one day (a scan, then a midwife) merge into one
presence when they touch or overlap, so she is never counted twice. Presence is clipped to the
clinic's opening hours: nobody waits in a locked waiting room; suggested windows are kept inside
the hours a session may be booked in.

One rule says who a session is for (`Presence.takes_part`): she is in the waiting room for at
least half of it. Best windows come from a sweep over sorted endpoints: a woman present over
[a, d] takes part in a session of length L (needing M = L/2 of it) exactly when it starts at some
t with a - (L - M) <= t <= d - M, so the best start times are the points covered by the most of
those intervals. Sorting costs O(n log n); the sweep is linear.

All arithmetic is done in UTC: adding minutes to a Europe/London datetime in Python is wall-clock
arithmetic, which is wrong on the days the clocks change (a day of 23 or 25 hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from zoneinfo import ZoneInfo

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
# Suggested starts are moved to the next 5 minutes when the window allows: "09:40", not "09:37".
SNAP = dt.timedelta(minutes=5)


def _minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    # Subtracting two datetimes in one zone is wall-clock arithmetic in Python; go through UTC.
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


@dataclass(frozen=True)
class Visit:
    """One attending appointment, as the overlap needs it: whose, and when."""

    patient_id: int
    start: dt.datetime
    duration_minutes: int = 20


@dataclass(frozen=True)
class Margins:
    """A clinic's settings that turn appointments into presence in the waiting room."""

    arrive_early: dt.timedelta
    wait_after: dt.timedelta
    opens_at: dt.time
    closes_at: dt.time
    tz: ZoneInfo = LONDON

    @classmethod
    def for_clinic(cls, clinic) -> Margins:
        return cls(
            arrive_early=dt.timedelta(minutes=clinic.arrive_early_minutes),
            wait_after=dt.timedelta(minutes=clinic.wait_after_minutes),
            opens_at=clinic.opens_at,
            closes_at=clinic.closes_at,
            tz=clinic.zone,
        )

    def opening_hours(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The day's opening and closing instants, in UTC (correct on clock-change days)."""
        opens = dt.datetime.combine(day, self.opens_at, tzinfo=self.tz).astimezone(UTC)
        closes = dt.datetime.combine(day, self.closes_at, tzinfo=self.tz).astimezone(UTC)
        return opens, closes


@dataclass(frozen=True)
class Presence:
    """One woman in the waiting room from `arrives` to `leaves` (aware, in the clinic's zone)."""

    patient_id: int
    arrives: dt.datetime
    leaves: dt.datetime

    @property
    def minutes(self) -> int:
        return _minutes_between(self.arrives, self.leaves)

    def takes_part(self, start: dt.datetime, end: dt.datetime) -> bool:
        """The eligibility rule: she is in the waiting room for at least half of [start, end].

        The one rule behind both the suggested windows (`best_windows` counts exactly the women
        who take part in the window) and a session's eligible list, and so its invitations: a
        window that says "3 women" becomes a session that lists, and invites, those 3 (ADR 22).
        """
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        shared = min(self.leaves.astimezone(UTC), end) - max(self.arrives.astimezone(UTC), start)
        return shared >= least_time_in_session(end - start)


def least_time_in_session(length: dt.timedelta) -> dt.timedelta:
    """How long a woman must be in the waiting room during a session to be invited: half of it.

    Less, and a woman who would only catch its first or last minutes is invited and counted;
    the whole session, and a woman who is called in for her appointment part-way through (the
    usual case: the run sheet shows when each woman will be called) is left out.
    """
    return length / 2


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
        return _minutes_between(self.start, self.end)

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


def presences_for_day(visits: Iterable[Visit], *, margins: Margins, day: dt.date) -> list[Presence]:
    """Each woman's time in the waiting room on `day`, merged per woman, clipped to the hours.

    Sorted by arrival, then patient id, so the result never depends on the input's order.
    """
    opens, closes = margins.opening_hours(day)
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for visit in visits:
        booked = visit.start.astimezone(UTC)
        arrives = max(booked - margins.arrive_early, opens)
        leaves = min(booked + margins.wait_after, closes)
        if arrives < leaves:
            spans.setdefault(visit.patient_id, []).append((arrives, leaves))
    presences = []
    for patient_id, intervals in spans.items():
        intervals.sort()
        merged = [list(intervals[0])]
        for arrives, leaves in intervals[1:]:
            if arrives <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], leaves)
            else:
                merged.append([arrives, leaves])
        presences.extend(
            Presence(patient_id, a.astimezone(margins.tz), d.astimezone(margins.tz))
            for a, d in merged
        )
    presences.sort(key=lambda p: (p.arrives, p.patient_id))
    return presences


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
