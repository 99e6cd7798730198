"""When she is asked. Pure functions on aware datetimes and dates; no database.

After a session she came to: once her own appointment that day is over (or the session, if it
ended later), plus the clinic's delay, and a text waits out quiet hours (20:00-08:00 at the
clinic, sessions/invitations/timing.py). The later ask of the baseline/later pair goes on the
day she reaches the clinic's week of pregnancy (36 by default), counted back from her due date
(40 weeks).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sessions.invitations.timing import after_quiet_hours

FULL_TERM_WEEKS = 40
# An attended session older than this is not asked about any more (the planner was down,
# or the clinic turned asking on later): a question about a day long gone helps nobody.
AFTER_SESSION_LOOKBACK = dt.timedelta(days=3)
# Her first invitation counts as "first" for this long: turning asking on does not ask every
# woman ever invited.
BASELINE_LOOKBACK = dt.timedelta(days=14)


def after_session_due(
    *,
    session_end: dt.datetime,
    appointment_end: dt.datetime | None,
    delay: dt.timedelta,
    sms: bool,
    tz: ZoneInfo,
) -> dt.datetime:
    """When to ask about a session she came to."""
    base = max(session_end, appointment_end or session_end) + delay
    return after_quiet_hours(base, tz) if sms else base


def later_ask_on(*, due_date: dt.date, at_weeks: int) -> dt.date:
    """The day she reaches `at_weeks` weeks of pregnancy, from her estimated due date."""
    return due_date - dt.timedelta(weeks=FULL_TERM_WEEKS - at_weeks)


def later_ask_is_due(*, due_date: dt.date | None, at_weeks: int, today: dt.date) -> bool:
    """From the day she reaches `at_weeks` until her due date; never without a due date."""
    if due_date is None:
        return False
    return later_ask_on(due_date=due_date, at_weeks=at_weeks) <= today <= due_date


def ask_at(*, due: dt.datetime, sms: bool, tz: ZoneInfo) -> dt.datetime:
    return after_quiet_hours(due, tz) if sms else due
