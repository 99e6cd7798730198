"""When is a woman in the waiting room, and does she take part in a session? Pure functions,
no database: the eligibility rule that scheduling (suggested windows, sessions/scheduling/
overlap.py) and the invitations planner (sessions/invitations/eligibility.py) both apply.

A woman's *presence* is estimated from her appointment: she arrives `arrive_early` before her
booked time and may still be waiting `wait_after` after it (the clinic's two settings). The
appointment's duration is time with the midwife, not in the waiting room, so it does not lengthen
her presence. Two appointments of one woman on one day (a scan, then a midwife) merge into one
presence when they touch or overlap, so she is never counted twice. Presence is clipped to the
clinic's opening hours: nobody waits in a locked waiting room.

One rule says who a session is for (`Presence.takes_part`): she is in the waiting room for at
least half of it (ADR 22).

All arithmetic is done in UTC: adding minutes to a Europe/London datetime in Python is wall-clock
arithmetic, which is wrong on the days the clocks change (a day of 23 or 25 hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
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
        return minutes_between(self.arrives, self.leaves)

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
