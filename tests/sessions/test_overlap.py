"""Presence and best windows against hand-computed cases (no database needed)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sessions.scheduling.overlap import (
    Margins,
    Presence,
    Visit,
    best_windows,
    clinic_day_overlap,
    presences_for_day,
)

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2025, 6, 3)  # an ordinary Tuesday in summer time
MARGINS = Margins(
    arrive_early=dt.timedelta(minutes=15),
    wait_after=dt.timedelta(minutes=20),
    opens_at=dt.time(8, 30),
    closes_at=dt.time(17, 30),
)


def at(hour, minute=0, day=DAY, fold=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON, fold=fold)


def hhmm(moment):
    return moment.astimezone(LONDON).strftime("%H:%M")


def windows_for(visits, minutes, margins=MARGINS, day=DAY, limit=3, min_women=1):
    return best_windows(
        presences_for_day(visits, margins=margins, day=day),
        minutes=minutes,
        limit=limit,
        min_women=min_women,
        within=margins.opening_hours(day),
    )


def test_presence_runs_from_arriving_early_to_waiting_after_the_booked_time():
    [presence] = presences_for_day([Visit(1, at(10), 30)], margins=MARGINS, day=DAY)
    assert (hhmm(presence.arrives), hhmm(presence.leaves)) == ("09:45", "10:20")
    assert presence.arrives.tzinfo == LONDON


def test_a_single_woman_gets_one_window_from_half_a_session_before_she_arrives():
    # Present 09:45-10:20; a 30-minute session needs 15 minutes of her: it may start
    # 09:30 (she is there 09:45-10:00) to 10:05 (10:05-10:20).
    [window] = windows_for([Visit(1, at(10))], minutes=30)
    assert (hhmm(window.start), hhmm(window.end), hhmm(window.latest_start)) == (
        "09:30",
        "10:00",
        "10:05",
    )
    assert window.patient_ids == (1,)
    assert window.describe() == (
        "1 of 1 woman from this cohort is in the waiting room for at least half of a session "
        "from 09:30 to 10:00"
    )


def test_nobody_means_no_windows():
    assert windows_for([], minutes=30) == []
    assert clinic_day_overlap({7: []}, margins=MARGINS, day=DAY, minutes=30)[7].windows == ()


def test_a_session_twice_as_long_as_anyone_waits_has_no_window():
    # Everyone waits 35 minutes: half of a 60-minute session is 30, of a 75-minute one 37.5.
    assert windows_for([Visit(1, at(10)), Visit(2, at(10, 5))], minutes=60) != []
    assert windows_for([Visit(1, at(10)), Visit(2, at(10, 5))], minutes=75) == []


def test_the_window_is_where_most_women_overlap():
    # Presences: 1 09:45-10:20, 2 09:55-10:30, 3 10:05-10:40, 4 11:45-12:20.
    visits = [Visit(1, at(10)), Visit(2, at(10, 10)), Visit(3, at(10, 20)), Visit(4, at(12))]
    # A 15-minute session needs 7.5 minutes of each: 1 may start 09:37:30-10:12:30,
    # 2 09:47:30-10:22:30, 3 09:57:30-10:32:30, so all three 09:57:30-10:12:30.
    windows = windows_for(visits, minutes=15)
    best = windows[0]
    assert best.patient_ids == (1, 2, 3)
    assert (hhmm(best.start), hhmm(best.end), hhmm(best.latest_start)) == (
        "10:00",
        "10:15",
        "10:12",
    )
    assert best.describe() == (
        "3 of 4 women from this cohort are in the waiting room for at least half of a session "
        "from 10:00 to 10:15"
    )
    # The next best is the lone woman at midday.
    assert windows[1].patient_ids == (4,)
    assert hhmm(windows[1].start) == "11:40"


def test_windows_with_fewer_women_than_the_minimum_are_not_suggested():
    visits = [Visit(1, at(10)), Visit(2, at(10, 10)), Visit(3, at(10, 20)), Visit(4, at(12))]
    windows = windows_for(visits, minutes=15, limit=None, min_women=3)
    assert [w.patient_ids for w in windows] == [(1, 2, 3)]
    assert windows_for(visits, minutes=15, min_women=4) == []


def test_windows_are_ranked_by_the_number_of_women_present():
    # Two at 09:00, four at 14:00, three at 16:00: most women first, whatever the time.
    visits = [Visit(1, at(9)), Visit(2, at(9))]
    visits += [Visit(10 + i, at(14)) for i in range(4)]
    visits += [Visit(20 + i, at(16)) for i in range(3)]
    windows = windows_for(visits, minutes=30, limit=None)
    assert [w.count for w in windows] == [4, 3, 2]
    assert [hhmm(w.start) for w in windows] == ["13:30", "15:30", "08:30"]


def test_every_window_is_exactly_the_women_who_take_part_in_a_session_there():
    # The one rule: a session placed on a suggested window (at its start or its latest start)
    # takes part for exactly the women the window names.
    visits = [Visit(i, at(9 + (i * 7) // 60, (i * 7) % 60)) for i in range(30)]
    presences = presences_for_day(visits, margins=MARGINS, day=DAY)
    for minutes in (15, 30, 45, 60):
        windows = best_windows(
            presences, minutes=minutes, limit=None, within=MARGINS.opening_hours(DAY)
        )
        assert windows
        for window in windows:
            for start in (window.start, window.latest_start):
                end = start + dt.timedelta(minutes=minutes)
                taking_part = {p.patient_id for p in presences if p.takes_part(start, end)}
                assert taking_part == set(window.patient_ids)


def test_ties_come_earliest_first_and_each_names_its_women():
    # Two pairs, morning and afternoon, two women each.
    visits = [Visit(3, at(14)), Visit(4, at(14, 5)), Visit(1, at(9)), Visit(2, at(9, 5))]
    windows = windows_for(visits, minutes=20)
    assert [w.patient_ids for w in windows] == [(1, 2), (3, 4)]
    assert [hhmm(w.start) for w in windows] == ["08:40", "13:40"]
    # The same answer whatever order the appointments came in.
    assert windows_for(list(reversed(visits)), minutes=20) == windows


def test_limit_keeps_only_the_best():
    visits = [Visit(i, at(9 + i)) for i in range(5)]
    assert len(windows_for(visits, minutes=10, limit=2)) == 2
    assert len(windows_for(visits, minutes=10, limit=None)) == 5


def test_two_women_share_a_window_when_each_is_there_for_exactly_half_of_it():
    # 1: 09:45-10:20, 2: 10:20-10:55. A 30-minute session at 10:05 has 15 minutes of each.
    [both, *_] = windows_for([Visit(1, at(10)), Visit(2, at(10, 35))], minutes=30)
    assert both.patient_ids == (1, 2)
    assert (hhmm(both.start), hhmm(both.end)) == ("10:05", "10:35")
    # One minute later and no session has half of each of them.
    later = windows_for([Visit(1, at(10)), Visit(2, at(10, 36))], minutes=30, limit=None)
    assert all(w.count == 1 for w in later)


def test_the_start_moves_to_a_round_five_minutes_when_it_can():
    # Presences 09:42-10:17 and 09:47-10:22: a 20-minute session has 10 minutes of both
    # when it starts 09:37..10:07, and is suggested at 09:40.
    [window] = windows_for([Visit(1, at(9, 57)), Visit(2, at(10, 2))], minutes=20, limit=1)
    assert (hhmm(window.start), hhmm(window.end), hhmm(window.latest_start)) == (
        "09:40",
        "10:00",
        "10:07",
    )


def test_two_appointments_of_one_woman_count_her_once():
    # A scan at 10:00 and a midwife at 10:30: present 09:45-10:50 as one stretch.
    presences = presences_for_day(
        [Visit(1, at(10)), Visit(1, at(10, 30))], margins=MARGINS, day=DAY
    )
    assert [(hhmm(p.arrives), hhmm(p.leaves)) for p in presences] == [("09:45", "10:50")]
    [window] = best_windows(presences, minutes=60)
    assert window.patient_ids == (1,)
    assert window.cohort_expected == 1


def test_margins_at_the_edges_of_the_day_are_clipped_to_opening_hours():
    # 08:35 would arrive 08:20, before the doors open at 08:30; 17:25 would wait until 17:45.
    presences = presences_for_day(
        [Visit(1, at(8, 35)), Visit(2, at(17, 25))], margins=MARGINS, day=DAY
    )
    assert [(hhmm(p.arrives), hhmm(p.leaves)) for p in presences] == [
        ("08:30", "08:55"),
        ("17:10", "17:30"),
    ]
    # No suggested session starts before the doors open or runs past closing time.
    windows = windows_for([Visit(1, at(8, 35)), Visit(2, at(17, 25))], minutes=20, limit=None)
    assert [(hhmm(w.start), hhmm(w.end)) for w in windows] == [
        ("08:30", "08:50"),
        ("17:00", "17:20"),
    ]
    assert hhmm(windows[1].latest_start) == "17:10"
    # Half of a 45-minute session is more than the 20 minutes she has before closing.
    assert windows_for([Visit(2, at(17, 25))], minutes=45) == []


def test_appointments_outside_opening_hours_are_nobody_in_the_waiting_room():
    assert presences_for_day([Visit(1, at(7)), Visit(2, at(18))], margins=MARGINS, day=DAY) == []


# The clocks change at 01:00 UTC: on 30 March 2025 London goes 01:00 GMT → 02:00 BST (a day of
# 23 hours), on 26 October 2025 02:00 BST → 01:00 GMT (a day of 25 hours). A clinic open through
# the night shows whether minutes are counted in real time or on the wall clock.
NIGHT = Margins(
    arrive_early=dt.timedelta(minutes=15),
    wait_after=dt.timedelta(minutes=20),
    opens_at=dt.time(0, 30),
    closes_at=dt.time(3, 30),
)


def test_spring_forward_counts_real_minutes():
    spring = dt.date(2025, 3, 30)
    # 1 booked 00:50 GMT: present 00:35 GMT to 01:10 GMT, which is 02:10 BST on the wall.
    # 2 booked 02:20 BST: present 02:05 to 02:40 BST. Together 02:05-02:10 BST, five minutes.
    visits = [Visit(1, at(0, 50, spring)), Visit(2, at(2, 20, spring))]
    presences = presences_for_day(visits, margins=NIGHT, day=spring)
    assert [(hhmm(p.arrives), hhmm(p.leaves)) for p in presences] == [
        ("00:35", "02:10"),
        ("02:05", "02:40"),
    ]
    [both, *_] = best_windows(presences, minutes=5)
    assert both.patient_ids == (1, 2)
    assert (hhmm(both.start), hhmm(both.end)) == ("02:05", "02:10")
    assert both.minutes == 5


def test_fall_back_counts_real_minutes():
    autumn = dt.date(2025, 10, 26)
    # 1 booked 01:50 BST (00:50 UTC): present 00:35-01:10 UTC.
    # 2 booked 01:10 GMT, the second 01:10 of the night (01:10 UTC): present 00:55-01:30 UTC.
    # On the wall clock they look 40 minutes apart; in real time a 15-minute session has half
    # of both when it starts 00:47:30-01:02:30 UTC, and is suggested at 00:50 UTC (01:50 BST).
    visits = [Visit(1, at(1, 50, autumn)), Visit(2, at(1, 10, autumn, fold=1))]
    [both, *_] = windows_for(visits, minutes=15, margins=NIGHT, day=autumn)
    assert both.patient_ids == (1, 2)
    assert both.start.astimezone(dt.UTC).strftime("%H:%M") == "00:50"
    assert both.end.astimezone(dt.UTC).strftime("%H:%M") == "01:05"
    assert both.minutes == 15
    assert (both.start.tzname(), both.end.tzname()) == ("BST", "GMT")


def test_opening_hours_on_a_25_hour_day_are_real_time():
    autumn = dt.date(2025, 10, 26)
    opens, closes = NIGHT.opening_hours(autumn)
    assert closes - opens == dt.timedelta(hours=4)  # 00:30 BST to 03:30 GMT
    spring_opens, spring_closes = NIGHT.opening_hours(dt.date(2025, 3, 30))
    assert spring_closes - spring_opens == dt.timedelta(hours=2)


def test_sessions_of_no_length_are_refused():
    with pytest.raises(ValueError):
        best_windows([Presence(1, at(9), at(10))], minutes=0)


def test_a_day_per_cohort():
    days = clinic_day_overlap(
        {1: [Visit(1, at(10)), Visit(2, at(10, 10))], 2: [Visit(3, at(15))]},
        margins=MARGINS,
        day=DAY,
        minutes=20,
    )
    assert days[1].expected == 2
    assert days[1].windows[0].patient_ids == (1, 2)
    assert days[2].windows[0].describe().startswith("1 of 1 woman")
