"""How long a woman waited, from three moments: when she arrived, her booked appointment time,
and when she was called in. Pure functions, no database; the reads are in selectors.py.

- **Time in the waiting room**: arrival → called in. Arrival is her check-in at the session
  (the waiting-room code or the facilitator's tick), the earliest moment the system knows she
  was there. When she was never checked in before she was called (ticked "Called in" straight
  away), the arrival is unknown and she is left out of this measure, not counted as 0 minutes.
- **Wait beyond her booked time**: booked start → called in, in minutes; called early or on time
  counts as 0 (she did not wait beyond it). Left out when her booked time is unknown.

Medians, not means: a few very long waits would pull a mean away from the usual wait.
docs/adr/0038-measures-catalogue-and-waiting-times.md says why these definitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Wait:
    """One woman called in for her appointment from one session."""

    called_at: dt.datetime
    arrived_at: dt.datetime | None
    booked_at: dt.datetime | None
    cohort_id: int | None = None
    cohort_name: str = ""

    @property
    def minutes_in_waiting_room(self) -> float | None:
        if self.arrived_at is None or self.arrived_at >= self.called_at:
            return None
        return (self.called_at - self.arrived_at).total_seconds() / 60

    @property
    def minutes_beyond_booked_time(self) -> float | None:
        if self.booked_at is None:
            return None
        return max(0.0, (self.called_at - self.booked_at).total_seconds() / 60)


@dataclass(frozen=True)
class WaitSummary:
    """Median minutes, and how many women each median is taken from."""

    in_waiting_room: float | None
    in_waiting_room_women: int
    beyond_booked_time: float | None
    beyond_booked_time_women: int

    @property
    def women(self) -> int:
        return max(self.in_waiting_room_women, self.beyond_booked_time_women)


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def summarise_waits(waits: Iterable[Wait]) -> WaitSummary:
    in_room, beyond = [], []
    for wait in waits:
        if (minutes := wait.minutes_in_waiting_room) is not None:
            in_room.append(minutes)
        if (minutes := wait.minutes_beyond_booked_time) is not None:
            beyond.append(minutes)
    return WaitSummary(_median(in_room), len(in_room), _median(beyond), len(beyond))
