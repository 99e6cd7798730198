"""Reads for booking alignment, each starting from the clinic the view was given.

`alignment_for` feeds the pure proposals (proposals.py) from the database in a fixed number of
queries, whatever the number of appointments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from groups.models import Cohort, CohortMembership
from sessions.models import Appointment, AppointmentStatus, Patient
from sessions.presence import Margins
from waitroom.models import Clinic

from .models import (
    MIDDAY,
    OPEN_STATUSES,
    AppointmentKind,
    BookingSlots,
    CohortDay,
    WorklistItem,
    normalised_type,
)
from .proposals import (
    BookingSlotRule,
    CohortAppointment,
    CohortDayRule,
    KindRule,
    Proposal,
    propose_moves,
    suggest_cohort_day,
)

MAX_WEEKS = 12
DEFAULT_WEEKS = 4
# The farthest an appointment type may move (AppointmentKind's validators): appointments this
# far either side of the weeks shown are read as company for the women who could move.
REACH = dt.timedelta(days=28)


def cohort_for_clinic(clinic: Clinic, slug: str) -> Cohort:
    try:
        return clinic.cohorts.get(slug=slug)
    except Cohort.DoesNotExist:
        raise Http404 from None


def appointment_kinds(clinic: Clinic) -> QuerySet[AppointmentKind]:
    return AppointmentKind.objects.filter(clinic=clinic).order_by("name", "pk")


def appointment_kind_for_clinic(clinic: Clinic, kind_id: int) -> AppointmentKind:
    try:
        return appointment_kinds(clinic).get(pk=kind_id)
    except AppointmentKind.DoesNotExist:
        raise Http404 from None


def booking_slots(clinic: Clinic) -> BookingSlots:
    """The clinic's booking slots, or the defaults (unsaved) until a coordinator sets them."""
    return BookingSlots.objects.filter(clinic=clinic).first() or BookingSlots(clinic=clinic)


def cohort_day(clinic: Clinic, cohort: Cohort) -> CohortDay | None:
    return CohortDay.objects.filter(clinic=clinic, cohort=cohort).first()


def kind_rules(clinic: Clinic) -> dict[str, KindRule]:
    """Each type name the clinic's list may use → the rule of the type it means."""
    rules: dict[str, KindRule] = {}
    for kind in appointment_kinds(clinic):
        rule = KindRule(
            name=kind.name,
            movable=kind.movable,
            days_earlier=kind.days_earlier,
            days_later=kind.days_later,
            gestation_from=kind.gestation_from_days,
            gestation_to=kind.gestation_to_days,
        )
        for name in kind.type_names:
            rules.setdefault(name, rule)
    return rules


def _cohort_rows(clinic: Clinic, cohort: Cohort, start: dt.datetime, end: dt.datetime):
    members = CohortMembership.objects.current().filter(cohort=cohort).values("patient_id")
    return (
        Appointment.objects.filter(
            clinic=clinic,
            start__gte=start,
            start__lt=end,
            patient_id__in=members,
            # A woman whose pregnancy has ended is never asked to rebook (design: pregnancy loss).
            patient__pregnancy_ended_at__isnull=True,
        )
        .filter(status__in=[*_ATTENDING, AppointmentStatus.CANCELLED])
        .order_by("start", "pk")
    )


_ATTENDING = [
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.FULFILLED,
]


def suggested_cohort_day(clinic: Clinic, cohort: Cohort) -> tuple[int, str, int] | None:
    """From the cohort's bookings over the coming weeks: the weekday and part of the day with
    most of its women, as (weekday, part, women)."""
    now = timezone.now()
    starts = (
        _cohort_rows(clinic, cohort, now, now + dt.timedelta(weeks=MAX_WEEKS))
        .filter(status__in=_ATTENDING)
        .values_list("patient_id", "start")
    )
    return suggest_cohort_day(starts, tz=clinic.zone, midday=MIDDAY)


@dataclass(frozen=True)
class ProposalRow:
    proposal: Proposal
    patient: Patient
    appointment_type: str
    on_worklist: bool


@dataclass(frozen=True)
class Alignment:
    clinic: Clinic
    cohort: Cohort
    cohort_day: CohortDay | None
    first_day: dt.date
    last_day: dt.date
    moves: list[ProposalRow]
    no_moves: list[ProposalRow]
    # Distinct women of the cohort booked on each day shown, as booked now.
    women_by_day: dict[dt.date, int] = field(default_factory=dict)

    @property
    def patient_ids(self) -> set[int]:
        return {row.patient.pk for row in [*self.moves, *self.no_moves]}

    @property
    def movable_ids(self) -> list[int]:
        """Appointments with a proposal not already on the worklist."""
        return [r.proposal.appointment_id for r in self.moves if not r.on_worklist]


def proposal_inputs(clinic: Clinic, cohort: Cohort, start: dt.datetime, end: dt.datetime):
    """What the pure proposals need for `cohort` at `clinic` between `start` and `end`, and the
    appointments by id: three queries."""
    rules = kind_rules(clinic)
    appointments = list(_cohort_rows(clinic, cohort, start - REACH, end + REACH))
    inputs = [
        CohortAppointment(
            appointment_id=a.pk,
            patient_id=a.patient_id,
            start=a.start,
            type_name=a.appointment_type,
            rule=rules.get(normalised_type(a.appointment_type)),
            cancelled=a.status == AppointmentStatus.CANCELLED,
        )
        for a in appointments
    ]
    return inputs, {a.pk: a for a in appointments}


def slot_counts(
    clinic: Clinic, slots: BookingSlotRule, start: dt.datetime, end: dt.datetime
) -> dict[tuple[dt.date, int], int]:
    """How many appointments (anyone's) are booked in each slot of the clinic's book: one query."""
    counts: Counter[tuple[dt.date, int]] = Counter()
    for begins in (
        Appointment.objects.attending()
        .filter(clinic=clinic, start__gte=start, start__lt=end)
        .values_list("start", flat=True)
    ):
        counts[slots.slot_of(clinic.local(begins))] += 1
    return counts


def alignment_for(
    *,
    clinic: Clinic,
    cohort: Cohort,
    weeks: int = DEFAULT_WEEKS,
    now: dt.datetime | None = None,
) -> Alignment:
    """Proposals for `cohort`'s appointments at `clinic` from now for `weeks` weeks."""
    now = now or timezone.now()
    day = cohort_day(clinic, cohort)
    first_day = clinic.day_of(now)
    end = clinic.day_bounds(first_day + dt.timedelta(weeks=weeks))[0]
    if day is None:
        return Alignment(clinic, cohort, None, first_day, end.date(), [], [])
    inputs, appointments = proposal_inputs(clinic, cohort, now, end)
    patients = {p.pk: p for p in Patient.objects.filter(pk__in={a.patient_id for a in inputs})}
    due = {pk: p.estimated_due_date for pk, p in patients.items()}
    inputs = [
        CohortAppointment(
            appointment_id=a.appointment_id,
            patient_id=a.patient_id,
            start=a.start,
            type_name=a.type_name,
            rule=a.rule,
            due_date=due.get(a.patient_id),
            cancelled=a.cancelled,
        )
        for a in inputs
    ]
    saved = booking_slots(clinic)
    slots = BookingSlotRule(
        slot_minutes=saved.slot_minutes,
        per_slot=saved.per_slot,
        first_minute=clinic.opens_at.hour * 60 + clinic.opens_at.minute,
    )
    proposals = propose_moves(
        inputs,
        cohort_day=CohortDayRule(weekday=day.weekday, part=day.part, midday=MIDDAY),
        margins=Margins.for_clinic(clinic),
        slots=slots,
        slot_counts=slot_counts(clinic, slots, now - REACH, end + REACH),
        now=now,
        period=(now, end),
    )
    women: dict[dt.date, set[int]] = defaultdict(set)
    for a in inputs:
        if not a.cancelled:
            women[clinic.day_of(a.start)].add(a.patient_id)
    listed = set(
        WorklistItem.objects.filter(
            clinic=clinic, status__in=OPEN_STATUSES, appointment_id__in=appointments
        ).values_list("appointment_id", flat=True)
    )
    rows = [
        ProposalRow(
            proposal=p,
            patient=patients[p.patient_id],
            appointment_type=appointments[p.appointment_id].appointment_type,
            on_worklist=p.appointment_id in listed,
        )
        for p in proposals
    ]
    return Alignment(
        clinic=clinic,
        cohort=cohort,
        cohort_day=day,
        first_day=first_day,
        last_day=end.date() - dt.timedelta(days=1),
        moves=[r for r in rows if r.proposal.moves],
        no_moves=[r for r in rows if not r.proposal.moves],
        women_by_day={d: len(w) for d, w in women.items()},
    )


# --- The booking team's worklist ----------------------------------------------------------------


def worklist(clinic: Clinic) -> list[WorklistItem]:
    """The open items, by current appointment time: one query."""
    return list(
        WorklistItem.objects.open()
        .filter(clinic=clinic)
        .select_related("appointment__patient")
        .order_by("from_start", "pk")
    )


def worklist_closed(clinic: Clinic, *, limit: int = 50) -> list[WorklistItem]:
    """The most recently closed items: one query."""
    return list(
        WorklistItem.objects.filter(clinic=clinic)
        .exclude(status__in=OPEN_STATUSES)
        .select_related("appointment__patient")
        .order_by("-closed_at", "-pk")[:limit]
    )


def worklist_item_for_clinic(clinic: Clinic, item_id: int) -> WorklistItem:
    try:
        return WorklistItem.objects.select_related("appointment__patient").get(
            clinic=clinic, pk=item_id
        )
    except WorklistItem.DoesNotExist:
        raise Http404 from None
