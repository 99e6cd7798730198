"""Which partner meetings fall on or near her appointment days, and how to say so ("After your
appointment on Tuesday 15 December, Twins Trust meet at 11:30: the café on the ground floor").

Pure: every moment is already on the clinic's wall clock (`Clinic.local`), so a day is the
clinic's day, never the server's (ADR 0026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

# "Near" her appointment day: the day itself, or a day either side.
NEAR_DAYS = 1


def nearest_appointment(
    meeting_at: dt.datetime, appointments: Iterable[dt.datetime]
) -> dt.datetime | None:
    """Her appointment the meeting is nearest to, on the clinic's calendar, if within NEAR_DAYS
    days of it; the same day wins, then the closer day, then the earlier appointment."""
    best: tuple[int, dt.datetime] | None = None
    for appointment in appointments:
        days = abs((meeting_at.date() - appointment.date()).days)
        if days > NEAR_DAYS:
            continue
        if best is None or (days, appointment) < best:
            best = (days, appointment)
    return best[1] if best else None


def _day(moment: dt.datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B}"


def meeting_sentence(
    *, meeting_at: dt.datetime, appointment_at: dt.datetime, partner: str, where: str
) -> str:
    """One line for her home, relative to the appointment the meeting is near."""
    at = f"{meeting_at:%H:%M}"
    offset = (meeting_at.date() - appointment_at.date()).days
    if offset == 0:
        when = "After" if meeting_at >= appointment_at else "Before"
        lead = f"{when} your appointment on {_day(appointment_at)}, {partner} meet at {at}"
    elif offset > 0:
        lead = (
            f"The day after your appointment on {_day(appointment_at)}, {partner} meet on "
            f"{_day(meeting_at)} at {at}"
        )
    else:
        lead = (
            f"The day before your appointment on {_day(appointment_at)}, {partner} meet on "
            f"{_day(meeting_at)} at {at}"
        )
    return f"{lead}: {where}." if where else f"{lead}."
