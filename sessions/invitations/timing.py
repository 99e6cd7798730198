"""When each message may go. Pure functions on aware datetimes; no database.

Offsets are counted on the clinic's wall clock, not in elapsed hours: an appointment at 10:00
gets its invitation at 10:00 seven days before and its reminder at 10:00 two days before, also
across the clock change (when "48 hours" of elapsed time would land at 09:00 or 11:00). Quiet
hours are wall-clock hours too: 20:00 to 08:00 in Europe/London, whatever UTC says.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC
INVITATION_LEAD = dt.timedelta(days=7)
REMINDER_LEAD = dt.timedelta(days=2)
QUIET_FROM = dt.time(20, 0)
QUIET_UNTIL = dt.time(8, 0)
SAME_MORNING_AT = dt.time(8, 0)
# A reminder closer than this to the invitation itself adds nothing but noise.
REMINDER_MIN_GAP = dt.timedelta(hours=12)


def wall_clock(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """`at` on `day` at the clinic, as an aware UTC instant.

    A wall time the clocks skip (01:30 on the spring change) moves on to the first real instant;
    the round trip through UTC does that for us.
    """
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz).astimezone(UTC)


def days_before(moment: dt.datetime, delta: dt.timedelta, tz: ZoneInfo) -> dt.datetime:
    """The same wall-clock time `delta` (whole days) earlier at the clinic."""
    local = moment.astimezone(tz)
    return wall_clock(local.date() - delta, local.time().replace(tzinfo=None), tz)


def in_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def after_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """`moment`, or 08:00 next if it falls in quiet hours (same day before 08:00, else the next)."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return wall_clock(day, QUIET_UNTIL, tz)


def invitation_due(
    *, appointment_start: dt.datetime, now: dt.datetime, tz: ZoneInfo
) -> dt.datetime:
    """Seven days before her appointment, or at once when the session was published later."""
    return max(now, days_before(appointment_start, INVITATION_LEAD, tz))


def reminder_due(
    *, appointment_start: dt.datetime, invitation_at: dt.datetime, tz: ZoneInfo
) -> dt.datetime | None:
    """Two days before her appointment; None when that is hardly after the invitation itself."""
    due = days_before(appointment_start, REMINDER_LEAD, tz)
    if due - invitation_at < REMINDER_MIN_GAP:
        return None
    return due


def same_morning_due(
    *, session_start: dt.datetime, now: dt.datetime, tz: ZoneInfo
) -> dt.datetime | None:
    """08:00 on the day of the session; None when that has passed (she accepted that morning)."""
    due = wall_clock(session_start.astimezone(tz).date(), SAME_MORNING_AT, tz)
    if due < now or due >= session_start:
        return None
    return due


def sendable_at(
    *, due: dt.datetime, sms: bool, session_end: dt.datetime, tz: ZoneInfo
) -> dt.datetime | None:
    """When a message due at `due` may actually go: SMS waits out quiet hours; None if it would
    only go once the session is over, when it is not worth sending at all."""
    when = after_quiet_hours(due, tz) if sms else due
    if when >= session_end:
        return None
    return when
