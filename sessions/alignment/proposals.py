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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
    slot_minutes: int = 20
    per_slot: int = 4

    def slot_of(self, local: dt.datetime) -> tuple[dt.date, int]:
        minutes = local.hour * 60 + local.minute
        return local.date(), minutes // self.slot_minutes


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


@dataclass
class _Day:
    """Who of the cohort is in the waiting room on one day: (arrives, leaves, patient) in UTC."""

    spans: list[tuple[dt.datetime, dt.datetime, int]] = field(default_factory=list)


def most_together(
    arrives: dt.datetime,
    leaves: dt.datetime,
    patient_id: int,
    spans: Iterable[tuple[dt.datetime, dt.datetime, int]],
) -> int:
    """The most other women present at one moment while she is there (from `arrives` to
    `leaves`). A woman with two overlapping spans counts once at any moment."""
    events: list[tuple[dt.datetime, int, int]] = []
    for a, b, other in spans:
        if other == patient_id:
            continue
        start, end = max(a, arrives), min(b, leaves)
        if start < end:
            events.append((start, 1, other))
            events.append((end, -1, other))
    if not events:
        return 0
    # Ends before starts at one instant: touching spans are not together.
    events.sort(key=lambda e: (e[0], e[1]))
    present: dict[int, int] = defaultdict(int)
    best = 0
    for _, step, other in events:
        present[other] += step
        if present[other] == 0:
            del present[other]
        best = max(best, len(present))
    return best


class _Presence:
    """The presence rule in UTC, for speed: arrive early, wait after, clipped to opening hours."""

    def __init__(self, margins: Margins) -> None:
        self.margins = margins
        self._hours: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}

    def span(self, start: dt.datetime, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        hours = self._hours.get(day)
        if hours is None:
            hours = self._hours[day] = self.margins.opening_hours(day)
        booked = start.astimezone(UTC)
        arrives = max(booked - self.margins.arrive_early, hours[0])
        leaves = min(booked + self.margins.wait_after, hours[1])
        return (arrives, leaves) if arrives < leaves else None


def together_now(appointments: Sequence[CohortAppointment], *, margins: Margins) -> dict[int, int]:
    """For each appointment: the most others of the cohort with her in the waiting room."""
    presence = _Presence(margins)
    days: dict[dt.date, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    spans: dict[int, tuple[dt.date, tuple[dt.datetime, dt.datetime] | None]] = {}
    for appt in appointments:
        if appt.cancelled:
            continue
        day = appt.start.astimezone(margins.tz).date()
        span = presence.span(appt.start, day)
        spans[appt.appointment_id] = (day, span)
        if span:
            days[day].append((*span, appt.patient_id))
    result = {}
    for appt in appointments:
        if appt.appointment_id not in spans:
            result[appt.appointment_id] = 0
            continue
        day, span = spans[appt.appointment_id]
        result[appt.appointment_id] = (
            most_together(*span, appt.patient_id, days[day]) if span else 0
        )
    return result


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
    tz = margins.tz
    presence = _Presence(margins)
    earliest = now + NOT_WITHIN
    ordered = sorted(appointments, key=lambda a: (a.start, a.appointment_id))
    live = [a for a in ordered if not a.cancelled]
    company: dict[dt.date, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    for appt in live:
        day = appt.start.astimezone(tz).date()
        span = presence.span(appt.start, day)
        if span:
            company[day].append((*span, appt.patient_id))
    now_with = together_now(live, margins=margins)

    outcomes: dict[int, Proposal] = {}
    options: dict[int, list[dt.datetime]] = {}
    reasons: dict[int, str] = {}
    needing = []
    for appt in ordered:
        local = appt.start.astimezone(tz)
        if appt.cancelled:
            continue  # nothing to align: the hospital has cancelled it
        peers = now_with[appt.appointment_id]
        if peers >= PEERS_WANTED:
            continue
        if period and not period[0] <= appt.start < period[1]:
            continue
        needing.append(appt)
        refusal = _refusal(appt, local, now, earliest)
        if refusal:
            reasons[appt.appointment_id] = refusal
            continue
        found, why = _options(appt, local, cohort_day, margins, slots, earliest)
        if not found:
            reasons[appt.appointment_id] = why
            continue
        options[appt.appointment_id] = found

    counts = dict(slot_counts)
    taken: dict[int, dt.datetime] = {}
    # 1. Each woman's smallest move that has room in its slot, in order.
    for appt in needing:
        for choice in options.get(appt.appointment_id, ()):
            slot = slots.slot_of(choice)
            if counts.get(slot, 0) < slots.per_slot:
                counts[slot] = counts.get(slot, 0) + 1
                taken[appt.appointment_id] = choice
                break
        else:
            if appt.appointment_id in options:
                reasons[appt.appointment_id] = "every slot it could move to is fully booked"

    by_id = {a.appointment_id: a for a in needing}
    # The cohort's presence as if the moves in `taken` were made, kept up to date move by move.
    where: dict[dt.date, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    for day, spans in company.items():
        where[day] = list(spans)

    def shift(appointment_id: int, choice: dt.datetime, *, back: bool = False) -> None:
        appt = by_id[appointment_id]
        old_day = appt.start.astimezone(tz).date()
        old = presence.span(appt.start, old_day)
        new = presence.span(choice, choice.date())
        leave, join = (new, old) if back else (old, new)
        leave_day, join_day = (choice.date(), old_day) if back else (old_day, choice.date())
        if leave:
            where[leave_day].remove((*leave, appt.patient_id))
        if join:
            where[join_day].append((*join, appt.patient_id))

    def peers_at(appt: CohortAppointment, choice: dt.datetime) -> int:
        span = presence.span(choice, choice.date())
        if not span:
            return 0
        return most_together(*span, appt.patient_id, where[choice.date()])

    for appointment_id, choice in taken.items():
        shift(appointment_id, choice)

    # 2. Drop the moves that would leave her with too few, until every move left stands.
    while alone := sorted(
        i for i, choice in taken.items() if peers_at(by_id[i], choice) < PEERS_WANTED
    ):
        for i in alone:
            choice = taken.pop(i)
            shift(i, choice, back=True)
            counts[slots.slot_of(choice)] -= 1

    # 3. Those dropped try their further options, in order, against the moves that stand.
    for appt in needing:
        i = appt.appointment_id
        if i in taken or i not in options:
            continue
        full = True
        for choice in options[i]:
            slot = slots.slot_of(choice)
            if counts.get(slot, 0) >= slots.per_slot:
                continue
            full = False
            if peers_at(appt, choice) >= PEERS_WANTED:
                counts[slot] = counts.get(slot, 0) + 1
                taken[i] = choice
                shift(i, choice)
                break
        else:
            reasons[i] = (
                "every slot it could move to is fully booked"
                if full
                else "too few of the group could be there on the days it could move to"
            )

    for appt in needing:
        i = appt.appointment_id
        local = appt.start.astimezone(tz)
        kind = appt.rule.name if appt.rule else appt.type_name or "Appointment"
        if i in taken:
            choice = taken[i]
            peers = peers_at(appt, choice)
            others = "other" if peers == 1 else "others"
            outcomes[i] = Proposal(
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
        else:
            reason = reasons.get(i, "too few of the group could be there")
            outcomes[i] = Proposal(
                appointment_id=i,
                patient_id=appt.patient_id,
                kind_name=kind,
                current_start=local,
                proposed_start=None,
                peers=now_with[i],
                reason=reason,
                explanation=f"No move for {kind} on {_when(local)}: {reason}",
            )
    return [outcomes[a.appointment_id] for a in needing]


def _refusal(
    appt: CohortAppointment, local: dt.datetime, now: dt.datetime, earliest: dt.datetime
) -> str:
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
    first, last = cohort_day.clock_range(margins.opens_at, margins.closes_at)
    here = local.hour * 60 + local.minute
    grid = []
    step = slots.slot_minutes
    t = margins.opens_at.hour * 60 + margins.opens_at.minute
    while t < last.hour * 60 + last.minute:
        if t >= first.hour * 60 + first.minute:
            grid.append(t)
        t += step
    first_minutes = first.hour * 60 + first.minute
    last_minutes = last.hour * 60 + last.minute
    if first_minutes <= here < last_minutes and here not in grid:
        grid.append(here)  # her own time of day, on whatever day she moves to
    days_in_window = 0
    days_in_gestation = 0
    found: list[tuple[int, int, dt.datetime]] = []
    for offset in range(-rule.days_earlier, rule.days_later + 1):
        day = local.date() + dt.timedelta(days=offset)
        if day.weekday() != cohort_day.weekday:
            continue
        days_in_window += 1
        if rule.has_gestation_limits:
            assert appt.due_date is not None
            if not rule.gestation_allows(gestation_on(day, appt.due_date)):
                continue
        days_in_gestation += 1
        for minutes in grid:
            choice = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)
            if choice == local or choice < earliest:
                continue
            found.append((abs(offset), abs(minutes - here), choice))
    if found:
        found.sort(key=lambda f: (f[0], f[1], f[2].astimezone(UTC)))
        return [f[2] for f in found], ""
    if not days_in_window:
        return [], (
            f"the group's day is not within the {rule.days_earlier} days before or "
            f"{rule.days_later} days after that a {rule.name} may move"
        )
    if not days_in_gestation:
        return [], (
            f"on the group's day her gestation would be outside "
            f"{gestation_text(rule.gestation_from or 0)}–"
            f"{gestation_text(rule.gestation_to or 0)} weeks for a {rule.name}"
        )
    return [], "the group's day is within 48 hours"


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
