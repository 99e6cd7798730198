"""Changes to booking alignment: each one transaction, auditing what it changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from groups.models import Cohort
from sessions.models import ATTENDING_STATUSES, Appointment
from waitroom.audit import audit_by
from waitroom.models import AuditEvent, Clinic, User

from .defaults import NICE_DEFAULTS
from .models import (
    AppointmentKind,
    BookingSlots,
    CohortDay,
    WorklistItem,
    WorklistStatus,
)
from .selectors import DEFAULT_WEEKS, alignment_for


@transaction.atomic
def appointment_kinds_add_defaults(*, clinic: Clinic, user: User) -> int:
    """Add the NICE schedule's appointment types the clinic does not have yet; how many."""
    have = {
        k.lower()
        for k in AppointmentKind.objects.filter(clinic=clinic).values_list("name", flat=True)
    }
    added = 0
    for default in NICE_DEFAULTS:
        if default.name.lower() in have:
            continue
        kind = AppointmentKind.objects.create(
            clinic=clinic,
            name=default.name,
            import_names="\n".join(default.import_names),
            movable=default.movable,
            days_earlier=default.days_earlier,
            days_later=default.days_later,
            gestation_from_days=default.gestation_from,
            gestation_to_days=default.gestation_to,
        )
        audit_by(user=user, action=AuditEvent.Action.CREATE, obj=kind, clinic=clinic)
        added += 1
    return added


@transaction.atomic
def appointment_kind_save(*, kind: AppointmentKind, user: User) -> AppointmentKind:
    """Save a type the coordinator described (new or changed)."""
    action = AuditEvent.Action.CHANGE if kind.pk else AuditEvent.Action.CREATE
    kind.save()
    audit_by(user=user, action=action, obj=kind, clinic=kind.clinic)
    return kind


@transaction.atomic
def booking_slots_set(
    *, clinic: Clinic, slot_minutes: int, per_slot: int, user: User
) -> BookingSlots:
    slots, _ = BookingSlots.objects.update_or_create(
        clinic=clinic, defaults={"slot_minutes": slot_minutes, "per_slot": per_slot}
    )
    audit_by(user=user, action=AuditEvent.Action.CHANGE, obj=slots, clinic=clinic)
    return slots


@transaction.atomic
def cohort_day_set(
    *, clinic: Clinic, cohort: Cohort, weekday: int, part: str, user: User
) -> CohortDay:
    day, created = CohortDay.objects.update_or_create(
        clinic=clinic,
        cohort=cohort,
        defaults={"weekday": weekday, "part": part, "set_by": user, "set_at": timezone.now()},
    )
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    audit_by(user=user, action=action, obj=day, clinic=clinic)
    return day


@transaction.atomic
def worklist_add(
    *,
    clinic: Clinic,
    cohort: Cohort,
    appointment_ids: Collection[int],
    user: User,
    weeks: int = DEFAULT_WEEKS,
) -> int:
    """Put the proposals for `appointment_ids` on the booking team's worklist; how many.

    The proposals are worked out again here, not taken from the form: only a move Waitroom
    proposes now, for an appointment not already on the list, is added.
    """
    alignment = alignment_for(clinic=clinic, cohort=cohort, weeks=weeks)
    wanted = set(appointment_ids)
    added = 0
    for row in alignment.moves:
        proposal = row.proposal
        if proposal.appointment_id not in wanted or row.on_worklist:
            continue
        item = WorklistItem.objects.create(
            clinic=clinic,
            cohort=cohort,
            appointment_id=proposal.appointment_id,
            kind_name=proposal.kind_name,
            from_start=proposal.current_start,
            to_start=proposal.proposed_start,
            peers=proposal.peers,
            explanation=proposal.explanation,
            created_by=user,
        )
        audit_by(
            user=user,
            action=AuditEvent.Action.CREATE,
            obj=item,
            clinic=clinic,
            patient_id=proposal.patient_id,
        )
        added += 1
    return added


@transaction.atomic
def worklist_send(*, clinic: Clinic, user: User) -> int:
    """Mark every proposed item as sent to the booking team; how many."""
    items = list(
        WorklistItem.objects.select_for_update()
        .filter(clinic=clinic, status=WorklistStatus.PROPOSED)
        .select_related("appointment")
        .order_by("pk")
    )
    now = timezone.now()
    for item in items:
        item.status = WorklistStatus.SENT
        item.sent_at = now
        item.save(update_fields=["status", "sent_at"])
        audit_by(
            user=user,
            action=AuditEvent.Action.CHANGE,
            obj=item,
            clinic=clinic,
            patient_id=item.appointment.patient_id,
        )
    return len(items)


@transaction.atomic
def worklist_close(
    *, item: WorklistItem, status: str, reason: str = "", user: User
) -> WorklistItem:
    """Record what became of an item: rebooked, not possible (with the reason), or she
    preferred not to."""
    if status not in (
        WorklistStatus.REBOOKED,
        WorklistStatus.NOT_POSSIBLE,
        WorklistStatus.DECLINED,
    ):
        raise ValueError(status)
    if status == WorklistStatus.NOT_POSSIBLE and not reason.strip():
        raise ValueError("A reason is needed when the move is not possible")
    item.status = status
    item.reason = reason.strip()
    item.closed_at = timezone.now()
    item.closed_by = user
    item.save(update_fields=["status", "reason", "closed_at", "closed_by"])
    audit_by(
        user=user,
        action=AuditEvent.Action.CHANGE,
        obj=item,
        clinic=item.clinic,
        patient_id=item.appointment.patient_id,
    )
    return item


@transaction.atomic
def worklist_close_rebooked(*, clinic_id: int, now: dt.datetime | None = None) -> int:
    """Close as rebooked each open item whose woman is now booked at the proposed time.

    Called once an appointment import has committed (sessions/imports/hooks.py). The same
    appointment moved (same identifier) or a new one for her at that time (the hospital often
    cancels and books afresh) both count. Audited without a user: the import did it.
    """
    now = now or timezone.now()
    items = list(
        WorklistItem.objects.select_for_update(of=("self",))
        .open()
        .filter(clinic_id=clinic_id)
        .select_related("appointment", "clinic")
        .order_by("pk")
    )
    if not items:
        return 0
    wanted = Q()
    for item in items:
        wanted |= Q(patient_id=item.appointment.patient_id, start=item.to_start)
    booked = set(
        Appointment.objects.filter(
            wanted, clinic_id=clinic_id, status__in=ATTENDING_STATUSES
        ).values_list("patient_id", "start")
    )
    closed = 0
    for item in items:
        if (item.appointment.patient_id, item.to_start) not in booked:
            continue
        item.status = WorklistStatus.REBOOKED
        item.closed_at = now
        item.closed_by_import = True
        item.save(update_fields=["status", "closed_at", "closed_by_import"])
        audit_by(
            user=None,
            action=AuditEvent.Action.CHANGE,
            obj=item,
            clinic=item.clinic,
            patient_id=item.appointment.patient_id,
        )
        closed += 1
    return closed
