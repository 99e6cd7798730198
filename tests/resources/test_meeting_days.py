"""Which partner meetings are near her appointment days, and the line that says so (pure)."""

import datetime as dt
from zoneinfo import ZoneInfo

from resources.meeting_days import meeting_sentence, nearest_appointment

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=LONDON)  # Tue 15 Dec 2026


def test_a_meeting_after_her_appointment_that_day_says_after():
    line = meeting_sentence(
        meeting_at=at(15, 11, 30),
        appointment_at=at(15, 10, 20),
        partner="Twins Trust",
        where="the café on the ground floor",
    )
    assert line == (
        "After your appointment on Tuesday 15 December, Twins Trust meet at 11:30: "
        "the café on the ground floor."
    )


def test_a_meeting_before_her_appointment_that_day_says_before():
    line = meeting_sentence(
        meeting_at=at(15, 9), appointment_at=at(15, 10, 20), partner="NCT", where=""
    )
    assert line == "Before your appointment on Tuesday 15 December, NCT meet at 09:00."


def test_a_meeting_the_day_after_or_before_names_both_days():
    after = meeting_sentence(
        meeting_at=at(16, 19), appointment_at=at(15, 10), partner="Sands", where="Online"
    )
    before = meeting_sentence(
        meeting_at=at(14, 19), appointment_at=at(15, 10), partner="Sands", where="Online"
    )
    assert after == (
        "The day after your appointment on Tuesday 15 December, Sands meet on Wednesday "
        "16 December at 19:00: Online."
    )
    assert before.startswith("The day before your appointment on Tuesday 15 December")
    assert "on Monday 14 December at 19:00" in before


def test_the_same_day_wins_over_a_closer_moment_on_another_day():
    appointments = [at(14, 23), at(15, 16)]
    assert nearest_appointment(at(15, 8), appointments) == at(15, 16)


def test_a_meeting_two_days_away_is_not_near():
    assert nearest_appointment(at(17, 10), [at(15, 10)]) is None
    assert nearest_appointment(at(16, 10), [at(15, 10)]) == at(15, 10)
