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


def windows_for(visits, minutes, margins=MARGINS, day=DAY, limit=3):
    return best_windows(
        presences_for_day(visits, margins=margins, day=day), minutes=minutes, limit=limit
    )


def test_presence_runs_from_arriving_early_to_waiting_after_the_booked_time():
    [presence] = presences_for_day([Visit(1, at(10), 30)], margins=MARGINS, day=DAY)
    assert (hhmm(presence.arrives), hhmm(presence.leaves)) == ("09:45", "10:20")
    assert presence.arrives.tzinfo == LONDON


def test_a_single_woman_gets_one_window_at_her_arrival():
    [window] = windows_for([Visit(1, at(10))], minutes=30)
    assert (hhmm(window.start), hhmm(window.end), hhmm(window.latest_start)) == (
        "09:45",
        "10:15",
        "09:50",
    )
    assert window.patient_ids == (1,)
    assert window.describe() == (
        "1 of 1 woman from this cohort is in the waiting room between 09:45 and 10:15"
    )


def test_nobody_means_no_windows():
    assert windows_for([], minutes=30) == []
    assert clinic_day_overlap({7: []}, margins=MARGINS, day=DAY, minutes=30)[7].windows == ()


def test_a_session_longer_than_anyone_waits_has_no_window():
    # Everyone waits 35 minutes; a 45-minute session fits nobody.
    assert windows_for([Visit(1, at(10)), Visit(2, at(10, 5))], minutes=45) == []


def test_the_window_is_where_most_women_overlap():
    # Presences: 1 09:45-10:20, 2 09:55-10:30, 3 10:05-10:40, 4 11:45-12:20.
    visits = [Visit(1, at(10)), Visit(2, at(10, 10)), Visit(3, at(10, 20)), Visit(4, at(12))]
    windows = windows_for(visits, minutes=15)
    best = windows[0]
    assert best.patient_ids == (1, 2, 3)
    assert (hhmm(best.start), hhmm(best.end), hhmm(best.latest_start)) == (
        "10:05",
        "10:20",
        "10:05",
    )
    assert best.describe() == (
        "3 of 4 women from this cohort are in the waiting room between 10:05 and 10:20"
    )
    # The next best is the lone woman at midday.
    assert windows[1].patient_ids == (4,)
    assert hhmm(windows[1].start) == "11:45"


def test_ties_come_earliest_first_and_each_names_its_women():
    # Two pairs, morning and afternoon, two women each.
    visits = [Visit(3, at(14)), Visit(4, at(14, 5)), Visit(1, at(9)), Visit(2, at(9, 5))]
    windows = windows_for(visits, minutes=20)
    assert [w.patient_ids for w in windows] == [(1, 2), (3, 4)]
    assert [hhmm(w.start) for w in windows] == ["08:50", "13:50"]
    # The same answer whatever order the appointments came in.
    assert windows_for(list(reversed(visits)), minutes=20) == windows


def test_limit_keeps_only_the_best():
    visits = [Visit(i, at(9 + i)) for i in range(5)]
    assert len(windows_for(visits, minutes=10, limit=2)) == 2
    assert len(windows_for(visits, minutes=10, limit=None)) == 5


def test_a_window_exactly_as_long_as_the_overlap_fits():
    # 1: 09:45-10:20, 2: 10:05-10:40 → overlap 10:05-10:20, exactly 15 minutes.
    [both, *_] = windows_for([Visit(1, at(10)), Visit(2, at(10, 20))], minutes=15)
    assert both.patient_ids == (1, 2)
    assert (hhmm(both.start), hhmm(both.end)) == ("10:05", "10:20")
    # One minute longer and they are never there together.
    assert all(w.count == 1 for w in windows_for([Visit(1, at(10)), Visit(2, at(10, 20))], 16))


def test_the_start_moves_to_a_round_five_minutes_when_it_can():
    # Presences 09:42-10:17 and 09:47-10:22: together 09:47-10:17, a 20-minute session may
    # start 09:47..09:57, and is suggested at 09:50.
    [window] = windows_for([Visit(1, at(9, 57)), Visit(2, at(10, 2))], minutes=20, limit=1)
    assert (hhmm(window.start), hhmm(window.end), hhmm(window.latest_start)) == (
        "09:50",
        "10:10",
        "09:57",
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
    windows = windows_for([Visit(1, at(8, 35)), Visit(2, at(17, 25))], minutes=20, limit=None)
    assert [(hhmm(w.start), hhmm(w.end)) for w in windows] == [
        ("08:30", "08:50"),
        ("17:10", "17:30"),
    ]
    # A 25-minute session no longer fits the woman whose wait is cut short by closing time.
    assert [w.patient_ids for w in windows_for([Visit(2, at(17, 25))], minutes=25)] == []


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
    # On the wall clock they look 40 minutes apart; in real time they share 00:55-01:10 UTC.
    visits = [Visit(1, at(1, 50, autumn)), Visit(2, at(1, 10, autumn, fold=1))]
    [both, *_] = windows_for(visits, minutes=15, margins=NIGHT, day=autumn)
    assert both.patient_ids == (1, 2)
    assert both.start.astimezone(dt.UTC).strftime("%H:%M") == "00:55"
    assert both.end.astimezone(dt.UTC).strftime("%H:%M") == "01:10"
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
