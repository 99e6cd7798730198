"""Quiet hours and offsets on the clinic's wall clock."""

import datetime as dt

from sessions.invitations import timing

from .conftest import LONDON, london

UTC = dt.UTC


def test_quiet_hours_run_from_eight_in_the_evening_to_eight_in_the_morning_london_time():
    assert timing.in_quiet_hours(london(2026, 6, 1, 20, 0), LONDON)
    assert timing.in_quiet_hours(london(2026, 6, 1, 7, 59), LONDON)
    assert not timing.in_quiet_hours(london(2026, 6, 1, 8, 0), LONDON)
    # 19:30 UTC in June is 20:30 in London: quiet.
    assert timing.in_quiet_hours(dt.datetime(2026, 6, 1, 19, 30, tzinfo=UTC), LONDON)
    # 19:30 UTC in January is 19:30 in London: not quiet.
    assert not timing.in_quiet_hours(dt.datetime(2026, 1, 5, 19, 30, tzinfo=UTC), LONDON)


def test_an_evening_sms_waits_for_eight_the_next_morning_across_the_spring_change():
    # Saturday 28 March 2026, 22:00 GMT; the clocks go forward that night.
    when = timing.after_quiet_hours(london(2026, 3, 28, 22, 0), LONDON)
    assert when == london(2026, 3, 29, 8, 0)
    assert when == dt.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_an_early_morning_sms_waits_until_eight_the_same_day():
    assert timing.after_quiet_hours(london(2026, 3, 30, 6, 10), LONDON) == london(2026, 3, 30, 8)


def test_an_sms_is_not_sent_at_all_when_quiet_hours_run_past_the_session():
    assert (
        timing.sendable_at(
            due=london(2026, 3, 30, 21, 0),
            sms=True,
            session_end=london(2026, 3, 31, 7, 30),
            tz=LONDON,
        )
        is None
    )
    assert timing.sendable_at(
        due=london(2026, 3, 30, 21, 0), sms=False, session_end=london(2026, 3, 31, 7, 30), tz=LONDON
    ) == london(2026, 3, 30, 21, 0)


def test_the_same_morning_reminder_is_at_eight_on_the_day_and_skipped_once_past():
    start = london(2026, 10, 25, 10, 0)  # the autumn change day
    assert timing.same_morning_due(
        session_start=start, now=london(2026, 10, 20), tz=LONDON
    ) == dt.datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert (
        timing.same_morning_due(session_start=start, now=london(2026, 10, 25, 9), tz=LONDON) is None
    )
