"""Proposals to move a cohort woman's appointment to her cohort's day. Pure: no database.

For each future appointment of a cohort woman that is not already with at least `PEERS_WANTED`
others of her cohort in the waiting room, find the smallest move that puts her with them:

- only to the cohort's day (a weekday and a part of the day, `CohortDayRule`);
- within her appointment type's window (days earlier / later) and gestation window;
- at the same time of day where possible, else the nearest slot in that part of the day;
- within the clinic's booking capacity for that slot (`BookingSlotRule`);
- never an appointment that is cancelled, in the past or within 48 hours, nor into those.

Or no proposal, and the reason. Each outcome is explained in one line.

Who is "with her" follows the presence rule (sessions/presence.py): each woman is in the
waiting room from `arrive_early` before her booked time to `wait_after` after it; the peers
with her are the most of her cohort present at one moment while she is.

Women are brought together, so a day with nobody of the cohort yet can still gather a group:
every woman's smallest move is taken first, then moves that would leave her with fewer than
`PEERS_WANTED` others are dropped until none is left alone, then those dropped try their
further options against the moves that stand. Everything is sorted by (time, appointment id),
so the same input gives the same output, in the same order.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sessions.presence import UTC, Margins

PEERS_WANTED = 2
# Never move an appointment this close, nor move one into this close (the booking team and the
# woman need the time; a reminder may already have gone).
NOT_WITHIN = dt.timedelta(hours=48)
FULL_TERM_DAYS = 280  # 40+0 weeks: gestation on a day is 280 minus the days to her due date


def gestation_text(days: int) -> str:
    """189 → '27+0'."""
    return f"{days // 7}+{days % 7}"


def gestation_on(day: dt.date, due: dt.date) -> int:
    return FULL_TERM_DAYS - (due - day).days


@dataclass(frozen=True)
class KindRule:
    """An appointment type's movability."""

    name: str
    movable: bool = True
    days_earlier: int = 7
    days_later: int = 7
    gestation_from: int | None = None  # days
    gestation_to: int | None = None

    def gestation_allows(self, days: int) -> bool:
        if self.gestation_from is not None and days < self.gestation_from:
            return False
        return not (self.gestation_to is not None and days > self.gestation_to)

    @property
    def has_gestation_limits(self) -> bool:
        return self.gestation_from is not None or self.gestation_to is not None


@dataclass(frozen=True)
class CohortDayRule:
    weekday: int  # Monday 0
    part: str  # "morning", "afternoon", "all-day"
    midday: dt.time = dt.time(13, 0)

    def clock_range(self, opens: dt.time, closes: dt.time) -> tuple[dt.time, dt.time]:
        if self.part == "morning":
            return opens, min(closes, self.midday)
        if self.part == "afternoon":
            return max(opens, self.midday), closes
        return opens, closes


@dataclass(frozen=True)
class BookingSlotRule:
    """The clinic's book: slots of `slot_minutes` from opening (`first_minute` after midnight),
    each with room for `per_slot` appointments."""

    slot_minutes: int = 20
    per_slot: int = 4
    first_minute: int = 8 * 60 + 30

    def slot_of(self, local: dt.datetime) -> tuple[dt.date, int]:
        minutes = local.hour * 60 + local.minute
        return local.date(), (minutes - self.first_minute) // self.slot_minutes


@dataclass(frozen=True)
class CohortAppointment:
    """One appointment of a cohort woman, as proposals need it."""

    appointment_id: int
    patient_id: int
    start: dt.datetime  # aware
    type_name: str  # as the appointment list has it
    rule: KindRule | None  # None: the clinic has not described this type
    due_date: dt.date | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class Proposal:
    appointment_id: int
    patient_id: int
    kind_name: str
    current_start: dt.datetime  # in the clinic's zone
    proposed_start: dt.datetime | None  # None: no proposal, see `reason`
    peers: int  # others of the cohort with her at the proposed time (or now, with no proposal)
    reason: str = ""  # why there is no proposal
    explanation: str = ""

    @property
    def moves(self) -> bool:
        return self.proposed_start is not None

    @property
    def days_moved(self) -> int:
        if self.proposed_start is None:
            return 0
        return (self.proposed_start.date() - self.current_start.date()).days


def _when(moment: dt.datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


def most_together(
    arrives, leaves, patient_id: int, spans: Iterable[tuple], *, at_least: int | None = None
) -> int:
    """The most other women present at one moment while she is there (from `arrives` to
    `leaves`; datetimes or minutes). A woman with two overlapping spans counts once. With
    `at_least`, counting may stop there: the answer is then min(the most, `at_least`)."""
    clipped = []
    others = set()
    for a, b, other in spans:
        if other == patient_id:
            continue
        start, end = max(a, arrives), min(b, leaves)
        if start < end:
            clipped.append((start, end, other))
            others.add(other)
    if len(others) <= 1:
        return len(others)
    if at_least == 2:
        return 2 if _two_at_once(clipped) else 1
    events = [(start, 1, other) for start, _, other in clipped]
    events += [(end, -1, other) for _, end, other in clipped]
    # Ends before starts at one instant: touching spans are not together.
    events.sort(key=lambda e: (e[0], e[1]))
    present: dict[int, int] = defaultdict(int)
    best = 0
    for _, step, other in events:
        present[other] += step
        if present[other] == 0:
            del present[other]
        best = max(best, len(present))
        if at_least is not None and best >= at_least:
            return at_least
    return best


def _two_at_once(clipped: list[tuple]) -> bool:
    """Two others at one moment: any two of them whose times with her overlap."""
    for n, (a1, b1, o1) in enumerate(clipped):
        for a2, b2, o2 in clipped[n + 1 :]:
            if o1 != o2 and a1 < b2 and a2 < b1:
                return True
    return False


Span = tuple[int, int]  # arrives, leaves: whole minutes since the epoch, so in UTC


class _Room:
    """The presence rule in whole UTC minutes, for speed (arrive early, wait after, clipped to
    opening hours), and who of the cohort is in the waiting room each day, kept sorted."""

    def __init__(self, margins: Margins) -> None:
        self.tz = margins.tz
        self.margins = margins
        self.early = int(margins.arrive_early.total_seconds()) // 60
        self.after = int(margins.wait_after.total_seconds()) // 60
        self.longest = self.early + self.after
        self._hours: dict[dt.date, Span] = {}
        self.days: dict[dt.date, list[tuple[int, int, int]]] = defaultdict(list)

    def span(self, start: dt.datetime) -> tuple[dt.date, Span | None]:
        day = start.astimezone(self.tz).date()
        hours = self._hours.get(day)
        if hours is None:
            opens, closes = self.margins.opening_hours(day)
            hours = self._hours[day] = (_minutes(opens), _minutes(closes))
        booked = _minutes(start)
        arrives = max(booked - self.early, hours[0])
        leaves = min(booked + self.after, hours[1])
        return day, ((arrives, leaves) if arrives < leaves else None)

    def add(self, day: dt.date, span: Span | None, patient_id: int) -> None:
        if span:
            insort(self.days[day], (*span, patient_id))

    def remove(self, day: dt.date, span: Span | None, patient_id: int) -> None:
        if span:
            spans = self.days[day]
            del spans[bisect_left(spans, (*span, patient_id))]

    def with_her(
        self, day: dt.date, span: Span | None, patient_id: int, *, at_least: int | None = None
    ) -> int:
        """The most others present at one moment while she is (the presence rule)."""
        spans = self.days.get(day)
        if not span or not spans:
            return 0
        lo = bisect_left(spans, (span[0] - self.longest,))
        hi = bisect_left(spans, (span[1],))
        return most_together(span[0], span[1], patient_id, spans[lo:hi], at_least=at_least)


def _minutes(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // 60


def together_now(
    appointments: Sequence[CohortAppointment], *, margins: Margins, at_least: int | None = None
) -> dict[int, int]:
    """For each appointment: the most others of the cohort with her in the waiting room (with
    `at_least`, counted no higher than that)."""
    room = _Room(margins)
    spans = {}
    for appt in appointments:
        if not appt.cancelled:
            spans[appt.appointment_id] = day, span = room.span(appt.start)
            room.add(day, span, appt.patient_id)
    return {
        appt.appointment_id: (
            room.with_her(*spans[appt.appointment_id], appt.patient_id, at_least=at_least)
            if appt.appointment_id in spans
            else 0
        )
        for appt in appointments
    }


def propose_moves(
    appointments: Sequence[CohortAppointment],
    *,
    cohort_day: CohortDayRule,
    margins: Margins,
    slots: BookingSlotRule,
    slot_counts: dict[tuple[dt.date, int], int],
    now: dt.datetime,
    period: tuple[dt.datetime, dt.datetime] | None = None,
) -> list[Proposal]:
    """A proposal (or its absence, with the reason) for each appointment that needs one.

    `appointments`: the cohort's appointments at the clinic over the period and the days
    around it its types may reach (women already together are left out of the answer, but
    count as company). `slot_counts`: how many appointments (anyone's) are booked in each
    (day, slot number) of the clinic's book. Not changed. With `period` (start, end), only
    appointments starting in it are answered for; the others are company.
    """
    planner = _Planner(appointments, margins=margins, slots=slots, slot_counts=slot_counts)
    planner.find_options(cohort_day=cohort_day, now=now, period=period)
    planner.take_smallest_moves()
    planner.drop_moves_left_alone()
    planner.retry_the_dropped()
    return planner.proposals()


class _Planner:
    """The steps of `propose_moves`, in the order they run, sharing what they work on."""

    def __init__(
        self,
        appointments: Sequence[CohortAppointment],
        *,
        margins: Margins,
        slots: BookingSlotRule,
        slot_counts: dict[tuple[dt.date, int], int],
    ) -> None:
        self.margins = margins
        self.slots = slots
        self.counts = dict(slot_counts)  # as the moves taken would fill the book
        self.room = _Room(margins)  # the cohort's presence as if the moves taken were made
        self.ordered = sorted(
            (a for a in appointments if not a.cancelled),  # nothing to align once cancelled
            key=lambda a: (a.start, a.appointment_id),
        )
        self.spans = {}
        for appt in self.ordered:
            self.spans[appt.appointment_id] = day, span = self.room.span(appt.start)
            self.room.add(day, span, appt.patient_id)
        self.now_with = {
            a.appointment_id: self.room.with_her(
                *self.spans[a.appointment_id], a.patient_id, at_least=PEERS_WANTED
            )
            for a in self.ordered
        }
        self.needing: list[CohortAppointment] = []
        self.options: dict[int, list[dt.datetime]] = {}
        self.reasons: dict[int, str] = {}
        self.taken: dict[int, dt.datetime] = {}

    def find_options(self, *, cohort_day: CohortDayRule, now: dt.datetime, period) -> None:
        """Who needs a move (not with enough of her cohort now), and every time she could
        move to, smallest move first; or why she cannot move."""
        earliest = now + NOT_WITHIN
        for appt in self.ordered:
            i = appt.appointment_id
            if self.now_with[i] >= PEERS_WANTED:
                continue
            if period and not period[0] <= appt.start < period[1]:
                continue
            self.needing.append(appt)
            local = appt.start.astimezone(self.margins.tz)
            refusal = _refusal(appt, now, earliest)
            if refusal:
                self.reasons[i] = refusal
                continue
            found, why = _options(appt, local, cohort_day, self.margins, self.slots, earliest)
            if found:
                self.options[i] = found
            else:
                self.reasons[i] = why

    def take_smallest_moves(self) -> None:
        """Each woman's smallest move with room in its slot, in order, whoever is there."""
        for appt in self.needing:
            i = appt.appointment_id
            choice = next((c for c in self.options.get(i, ()) if self._has_room(c)), None)
            if choice is not None:
                self._take(appt, choice)
            elif i in self.options:
                self.reasons[i] = "every slot it could move to is fully booked"

    def drop_moves_left_alone(self) -> None:
        """Drop the moves that would leave her with too few, until every move left stands."""
        by_id = {a.appointment_id: a for a in self.needing}
        while alone := sorted(
            i for i, choice in self.taken.items() if not self._together(by_id[i], choice)
        ):
            for i in alone:
                self._undo(by_id[i])

    def retry_the_dropped(self) -> None:
        """Those without a move try their further options, in order, against the moves that
        stand: now only where at least `PEERS_WANTED` others would be."""
        for appt in self.needing:
            i = appt.appointment_id
            if i in self.taken or i not in self.options:
                continue
            with_room = [c for c in self.options[i] if self._has_room(c)]
            choice = next((c for c in with_room if self._together(appt, c)), None)
            if choice is not None:
                self._take(appt, choice)
            elif with_room:
                self.reasons[i] = "too few of the group could be there on the days it could move to"
            else:
                self.reasons[i] = "every slot it could move to is fully booked"

    def proposals(self) -> list[Proposal]:
        return [self._proposal(appt) for appt in self.needing]

    def _proposal(self, appt: CohortAppointment) -> Proposal:
        i = appt.appointment_id
        local = appt.start.astimezone(self.margins.tz)
        kind = appt.rule.name if appt.rule else appt.type_name or "Appointment"
        choice = self.taken.get(i)
        if choice is None:
            reason = self.reasons.get(i, "too few of the group could be there")
            return Proposal(
                appointment_id=i,
                patient_id=appt.patient_id,
                kind_name=kind,
                current_start=local,
                proposed_start=None,
                peers=self.now_with[i],
                reason=reason,
                explanation=f"No move for {kind} on {_when(local)}: {reason}",
            )
        peers = self.room.with_her(*self.room.span(choice), appt.patient_id)
        others = "other" if peers == 1 else "others"
        return Proposal(
            appointment_id=i,
            patient_id=appt.patient_id,
            kind_name=kind,
            current_start=local,
            proposed_start=choice,
            peers=peers,
            explanation=(
                f"Move {kind} from {_when(local)} to {_when(choice)}: "
                f"with {peers} {others} of the group"
            ),
        )

    def _has_room(self, choice: dt.datetime) -> bool:
        return self.counts.get(self.slots.slot_of(choice), 0) < self.slots.per_slot

    def _together(self, appt: CohortAppointment, choice: dt.datetime) -> bool:
        span = self.room.span(choice)
        return self.room.with_her(*span, appt.patient_id, at_least=PEERS_WANTED) >= PEERS_WANTED

    def _take(self, appt: CohortAppointment, choice: dt.datetime) -> None:
        slot = self.slots.slot_of(choice)
        self.counts[slot] = self.counts.get(slot, 0) + 1
        self.taken[appt.appointment_id] = choice
        self.room.remove(*self.spans[appt.appointment_id], appt.patient_id)
        self.room.add(*self.room.span(choice), appt.patient_id)

    def _undo(self, appt: CohortAppointment) -> None:
        choice = self.taken.pop(appt.appointment_id)
        self.counts[self.slots.slot_of(choice)] -= 1
        self.room.remove(*self.room.span(choice), appt.patient_id)
        self.room.add(*self.spans[appt.appointment_id], appt.patient_id)


def _refusal(appt: CohortAppointment, now: dt.datetime, earliest: dt.datetime) -> str:
    if appt.start < now:
        return "it is in the past"
    if appt.start < earliest:
        return "it is within 48 hours"
    if appt.rule is None:
        name = appt.type_name or "(no type)"
        return f"the clinic has not described the appointment type '{name}'"
    if not appt.rule.movable:
        return f"a {appt.rule.name} never moves"
    if appt.rule.has_gestation_limits and appt.due_date is None:
        return "there is no due date on file, so her gestation cannot be checked"
    return ""


def _options(
    appt: CohortAppointment,
    local: dt.datetime,
    cohort_day: CohortDayRule,
    margins: Margins,
    slots: BookingSlotRule,
    earliest: dt.datetime,
) -> tuple[list[dt.datetime], str]:
    """Every time she could move to, smallest move first; or none and why."""
    rule = appt.rule
    assert rule is not None
    tz = margins.tz
    here = local.hour * 60 + local.minute
    grid = _clock_grid(here, cohort_day, margins, slots)
    days_in_window = 0
    outside_gestation = 0
    found: list[tuple[int, int, dt.datetime]] = []
    for offset in range(-rule.days_earlier, rule.days_later + 1):
        day = local.date() + dt.timedelta(days=offset)
        if day.weekday() != cohort_day.weekday:
            continue
        days_in_window += 1
        if rule.has_gestation_limits:
            assert appt.due_date is not None
            if not rule.gestation_allows(gestation_on(day, appt.due_date)):
                outside_gestation += 1
                continue
        for minutes in grid:
            choice = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)
            if choice == local or choice < earliest:
                continue
            found.append((abs(offset), abs(minutes - here), choice))
    if found:
        found.sort(key=lambda f: (f[0], f[1], f[2].astimezone(UTC)))
        return [f[2] for f in found], ""
    return [], _why_no_option(rule, days_in_window=days_in_window, outside=outside_gestation)


def _why_no_option(rule: KindRule, *, days_in_window: int, outside: int) -> str:
    if not days_in_window:
        return (
            f"the group's day is not within the {rule.days_earlier} days before or "
            f"{rule.days_later} days after that a {rule.name} may move"
        )
    if outside:
        return (
            f"on the group's day her gestation would be outside "
            f"{gestation_text(rule.gestation_from or 0)}–"
            f"{gestation_text(rule.gestation_to or 0)} weeks for a {rule.name}"
        )
    return "the group's days it could move to are past or within 48 hours"


def _clock_grid(
    here: int, cohort_day: CohortDayRule, margins: Margins, slots: BookingSlotRule
) -> list[int]:
    """The times of day (minutes after midnight) she could move to on the cohort's day: the
    slots in its part of the day, and her own time if it falls there."""
    first, last = cohort_day.clock_range(margins.opens_at, margins.closes_at)
    first_minutes, last_minutes = first.hour * 60 + first.minute, last.hour * 60 + last.minute
    grid = [
        t for t in range(slots.first_minute, last_minutes, slots.slot_minutes) if t >= first_minutes
    ]
    if first_minutes <= here < last_minutes and here not in grid:
        grid.append(here)
    return grid


def suggest_cohort_day(
    starts: Iterable[tuple[int, dt.datetime]], *, tz, midday: dt.time = dt.time(13, 0)
) -> tuple[int, str, int] | None:
    """From (patient id, start) of a cohort's current bookings: the weekday and part of the day
    with most of its women, as (weekday, part, women); ties go to the earlier weekday, mornings
    first. None when there are no bookings."""
    women: dict[tuple[int, str], set[int]] = defaultdict(set)
    for patient_id, start in starts:
        local = start.astimezone(tz)
        part = "morning" if local.time() < midday else "afternoon"
        women[local.weekday(), part].add(patient_id)
    if not women:
        return None
    (weekday, part), who = min(
        women.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] != "morning")
    )
    return weekday, part, len(who)
