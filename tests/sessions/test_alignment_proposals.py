"""The pure proposals (sessions/alignment/proposals.py): movability by type and gestation, the
48-hour rule, booking capacity, the smallest move at the same time of day, determinism and the
one-line explanations. No database."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sessions.alignment.proposals import (
    BookingSlotRule,
    CohortAppointment,
    CohortDayRule,
    KindRule,
    most_together,
    propose_moves,
    suggest_cohort_day,
)
from sessions.presence import Margins

LONDON = ZoneInfo("Europe/London")
MARGINS = Margins(
    arrive_early=dt.timedelta(minutes=15),
    wait_after=dt.timedelta(minutes=45),
    opens_at=dt.time(8, 30),
    closes_at=dt.time(17, 30),
)
MONDAY = dt.date(2030, 12, 9)
TUESDAY = MONDAY + dt.timedelta(days=1)
NOW = dt.datetime(2030, 12, 6, 9, 0, tzinfo=LONDON)  # the Friday before
TUESDAY_MORNINGS = CohortDayRule(weekday=1, part="morning")
CHECK = KindRule("Antenatal check")
WEEK_28 = KindRule("28-week check", gestation_from=27 * 7, gestation_to=28 * 7 + 6)
ROOMY = BookingSlotRule(slot_minutes=20, per_slot=4)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def appt(n, start, *, rule=CHECK, patient=None, due=None, cancelled=False, type_name=""):
    return CohortAppointment(
        appointment_id=n,
        patient_id=patient or n,
        start=start,
        type_name=type_name or (rule.name if rule else "Mystery clinic"),
        rule=rule,
        due_date=due,
        cancelled=cancelled,
    )


def propose(appointments, *, counts=None, slots=ROOMY, now=NOW, day=TUESDAY_MORNINGS):
    return propose_moves(
        appointments,
        cohort_day=day,
        margins=MARGINS,
        slots=slots,
        slot_counts=counts or {},
        now=now,
    )


def by_id(proposals):
    return {p.appointment_id: p for p in proposals}


def tuesday_group():
    """Three women together on Tuesday morning already."""
    return [
        appt(101, at(TUESDAY, 10)),
        appt(102, at(TUESDAY, 10, 10)),
        appt(103, at(TUESDAY, 10, 20)),
    ]


def test_it_moves_a_lone_woman_to_the_group_at_the_same_time_of_day():
    proposals = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20))])
    (proposal,) = proposals
    assert proposal.proposed_start == at(TUESDAY, 10, 20)
    assert proposal.peers == 3
    assert proposal.explanation == (
        "Move Antenatal check from Mon 9 Dec 10:20 to Tue 10 Dec 10:20: with 3 others of the group"
    )


def test_women_already_together_are_not_proposed_for():
    assert propose(tuesday_group()) == []


def test_a_full_slot_moves_her_to_the_nearest_slot_with_room():
    counts = {(TUESDAY, 5): 4}  # slots from 08:30: the sixth, 10:10–10:30, is fully booked
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20))], counts=counts)
    assert proposal.proposed_start == at(TUESDAY, 10, 30)  # 10 minutes later, the nearest slot


def test_proposals_fill_slots_between_them():
    """Two women who would both take the last place in a slot: only the first gets it."""
    counts = {(TUESDAY, 5): 3}
    proposals = propose(
        [*tuesday_group(), appt(1, at(MONDAY, 10, 20)), appt(2, at(MONDAY, 10, 20))],
        counts=counts,
        slots=BookingSlotRule(slot_minutes=20, per_slot=4),
    )
    moves = by_id(proposals)
    assert moves[1].proposed_start == at(TUESDAY, 10, 20)
    assert moves[2].proposed_start != at(TUESDAY, 10, 20)


def test_every_slot_full_means_no_proposal_and_says_so():
    counts = {(TUESDAY, n): 1 for n in range(0, 72)}
    (proposal,) = propose(
        [*tuesday_group(), appt(1, at(MONDAY, 10, 20))],
        counts=counts,
        slots=BookingSlotRule(slot_minutes=20, per_slot=1),
    )
    assert proposal.proposed_start is None
    assert proposal.reason == "every slot it could move to is fully booked"


def test_a_type_that_never_moves_is_not_moved():
    dating = KindRule("dating scan", movable=False, days_earlier=0, days_later=0)
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20), rule=dating)])
    assert proposal.proposed_start is None
    assert (
        proposal.explanation
        == "No move for dating scan on Mon 9 Dec 10:20: a dating scan never moves"
    )


def test_an_undescribed_type_is_not_moved():
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20), rule=None)])
    assert proposal.reason == "the clinic has not described the appointment type 'Mystery clinic'"


def test_the_types_window_of_days_limits_the_move():
    thursday = MONDAY + dt.timedelta(days=3)
    two_days = KindRule("Growth scan", days_earlier=1, days_later=1)
    (proposal,) = propose([*tuesday_group(), appt(1, at(thursday, 10), rule=two_days)])
    assert proposal.proposed_start is None
    assert "not within the 1 days before or 1 days after" in proposal.reason
    (proposal,) = propose(
        [*tuesday_group(), appt(1, at(thursday, 10), rule=KindRule("Check", days_earlier=2))]
    )
    assert proposal.proposed_start == at(TUESDAY, 10)


def test_the_gestation_window_holds_on_the_new_day():
    # Due so that Monday is 28+6: Tuesday would be 29+0, outside 27+0–28+6.
    due = MONDAY + dt.timedelta(days=280 - (28 * 7 + 6))
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20), rule=WEEK_28, due=due)])
    assert proposal.proposed_start is None
    assert proposal.reason == (
        "on the group's day her gestation would be outside 27+0–28+6 weeks for a 28-week check"
    )
    # A day earlier in her pregnancy, Tuesday is 28+6: inside.
    (proposal,) = propose(
        [
            *tuesday_group(),
            appt(1, at(MONDAY, 10, 20), rule=WEEK_28, due=due + dt.timedelta(days=1)),
        ]
    )
    assert proposal.proposed_start == at(TUESDAY, 10, 20)


def test_a_gestation_limit_without_a_due_date_is_not_guessed():
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20), rule=WEEK_28)])
    assert proposal.reason == "there is no due date on file, so her gestation cannot be checked"


def test_nothing_within_48_hours_moves_nor_is_moved_into():
    now = at(MONDAY, 9)  # Monday 10:20 is 80 minutes away
    (proposal,) = propose([*tuesday_group(), appt(1, at(MONDAY, 10, 20))], now=now)
    assert proposal.reason == "it is within 48 hours"
    # Wednesday's appointment may move, but not into Tuesday, which is within 48 hours.
    wednesday = MONDAY + dt.timedelta(days=2)
    (proposal,) = propose([*tuesday_group(), appt(1, at(wednesday, 10))], now=at(MONDAY, 11, 0))
    assert proposal.proposed_start is None


def test_past_and_cancelled_appointments_are_never_moved():
    past = appt(1, at(MONDAY, 10, 20))
    (proposal,) = propose([*tuesday_group(), past], now=at(MONDAY, 12))
    assert proposal.reason == "it is in the past"
    assert propose([*tuesday_group(), appt(2, at(MONDAY, 10), cancelled=True)]) == []


def test_women_alone_on_other_days_are_gathered_on_an_empty_cohort_day():
    women = [appt(n, at(MONDAY + dt.timedelta(days=n % 3 * 2), 10, 10 * n)) for n in range(1, 5)]
    proposals = propose(women)
    assert all(p.proposed_start and p.proposed_start.date() == TUESDAY for p in proposals)
    assert all(p.peers >= 2 for p in proposals)


def test_one_woman_cannot_be_a_group_on_her_own():
    (proposal,) = propose([appt(1, at(MONDAY, 10))])
    assert proposal.proposed_start is None
    assert proposal.reason == "too few of the group could be there on the days it could move to"


def test_proposals_are_the_same_whatever_the_input_order():
    women = [*tuesday_group()]
    for n in range(1, 40):
        day = MONDAY + dt.timedelta(days=n % 5)
        women.append(appt(n, at(day, 9 + n % 7, 10 * (n % 6))))
    first = propose(women)
    shuffled = list(women)
    random.Random(7).shuffle(shuffled)
    assert propose(shuffled) == first
    assert [p.appointment_id for p in first] == sorted(
        (p.appointment_id for p in first),
        key=lambda i: next((w.start, w.appointment_id) for w in women if w.appointment_id == i),
    )


def test_most_together_counts_the_most_at_one_moment_not_everyone_who_passed():
    a = at(MONDAY, 10)
    spans = [
        (a, a + dt.timedelta(minutes=10), 2),
        (a + dt.timedelta(minutes=20), a + dt.timedelta(minutes=30), 3),
    ]
    assert most_together(a, a + dt.timedelta(hours=1), 1, spans) == 1
    spans.append((a, a + dt.timedelta(minutes=25), 4))
    assert most_together(a, a + dt.timedelta(hours=1), 1, spans) == 2


def test_the_suggested_cohort_day_is_where_most_of_its_women_are_booked():
    starts = [
        (1, at(MONDAY, 10)),
        (2, at(TUESDAY, 10)),
        (3, at(TUESDAY, 11)),
        (3, at(TUESDAY + dt.timedelta(days=7), 11)),  # one woman twice: once
        (4, at(TUESDAY, 14)),
    ]
    assert suggest_cohort_day(starts, tz=LONDON) == (1, "morning", 2)
    assert suggest_cohort_day([], tz=LONDON) is None
