"""Changing invitations: answers, opt-outs, delivery receipts, and asking for re-planning.

Views, callbacks and other apps call these; each is one transaction, and anything queued for
Celery is queued after commit with ids only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from groups.models import CohortMembership, MembershipStatus
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession

from .models import (
    ANSWER_ALREADY_DECLINED,
    MAX_ADULTS_WITH_HER,
    MAX_CHILDREN_WITH_HER,
    OPEN_STATES,
    CancelReason,
    Channel,
    Invitation,
    InvitationState,
    Message,
    MessageKind,
    MessageStatus,
)
from .planner import _Planner, promote_waiting_list
from .timing import in_quiet_hours  # noqa: F401 - re-exported for views that explain timing


class InvitationClosed(Exception):
    """This invitation can no longer be answered (Invitation.answer_refusal): declined (final),
    cancelled, or the session is not going ahead or over. `str(exc)` is a sentence for her."""


# -- queueing after commit ----------------------------------------------------------------------


def _enqueue_plan(session_id: int) -> None:
    from .tasks import plan_session

    transaction.on_commit(lambda: plan_session.delay(session_id))


def _enqueue_dispatch() -> None:
    from .tasks import dispatch_due

    transaction.on_commit(lambda: dispatch_due.delay())


def invitations_request_planning(*, session_ids: Iterable[int]) -> list[int]:
    """Mark these sessions for planning and plan each after commit.

    The mark is what counts: if the broker loses the task, the beat's planner finds the mark.
    """
    ids = sorted(set(session_ids))
    if ids:
        WaitingRoomSession.objects.filter(pk__in=ids).update(planning_due_at=timezone.now())
        for session_id in ids:
            _enqueue_plan(session_id)
    return ids


def _upcoming_sessions() -> Q:
    return Q(end__gt=timezone.now()) & ~Q(status=SessionStatus.DRAFT)


def invitations_replan_for_patients(*, patient_ids: Iterable[int]) -> list[int]:
    """Membership, consent or contact details changed: re-plan every upcoming session that
    invites her or whose cohort she is in."""
    ids = list(set(patient_ids))
    sessions = (
        WaitingRoomSession.objects.filter(_upcoming_sessions())
        .filter(
            Q(invitations__patient_id__in=ids)
            | Q(cohort__memberships__patient_id__in=ids, status=SessionStatus.PUBLISHED)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    return invitations_request_planning(session_ids=list(sessions))


def invitations_replan_for_appointments(*, appointment_ids: Iterable[int]) -> list[int]:
    """Appointments imported, moved or cancelled: re-plan the sessions on their clinic days
    (where they may now fit) and the sessions that invite them (which they may have left)."""
    appointments = list(
        Appointment.objects.filter(pk__in=list(appointment_ids)).select_related("clinic")
    )
    query = Q(invitations__appointment_id__in=[a.pk for a in appointments])
    clinics = {appointment.clinic_id: appointment.clinic for appointment in appointments}
    days = {(a.clinic_id, a.clinic.day_of(a.start)) for a in appointments}
    for clinic_id, day in days:
        start, end = clinics[clinic_id].day_bounds(day)
        query |= Q(clinic_id=clinic_id, start__gte=start, start__lt=end)
    sessions = (
        WaitingRoomSession.objects.filter(_upcoming_sessions())
        .filter(query)
        .values_list("pk", flat=True)
        .distinct()
    )
    return invitations_request_planning(session_ids=list(sessions))


# -- answers ------------------------------------------------------------------------------------


def _lock(invitation: Invitation) -> tuple[WaitingRoomSession, Invitation]:
    # Session first, always: accepting, declining and the planner all lock in this order.
    session = (
        WaitingRoomSession.objects.select_for_update(of=("self",))
        .select_related("clinic")
        .get(pk=invitation.session_id)
    )
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("patient", "appointment")
        .get(pk=invitation.pk)
    )
    locked.session = session
    return session, locked


def _answer_refusal(invitation: Invitation, *, repeats: str, now: dt.datetime) -> str | None:
    """Invitation.answer_refusal, except that declining again while the group is still on is
    not refused (it changes nothing)."""
    refusal = invitation.answer_refusal(now)
    if refusal == ANSWER_ALREADY_DECLINED and repeats == InvitationState.DECLINED:
        return None
    return refusal


def _messages_of(invitation: Invitation) -> list[Message]:
    return list(Message.objects.filter(invitation=invitation).order_by("pk"))


def _copy_answer(target: Invitation, source: Invitation) -> None:
    target.state, target.answered_at = source.state, source.answered_at
    target.updated_at = source.updated_at


class GuestsNotWelcome(InvitationClosed):
    """She said someone is coming with her, and this group does not welcome them (or more than
    the limit). `str(exc)` is a sentence for her."""


def guests_refusal(
    session: WaitingRoomSession, *, adults_with_her: int, children_with_her: int
) -> str | None:
    """Why the people she says are coming with her cannot come to this session; None if they
    can. The one rule, asked by her form (to offer the choices) and by the service."""
    if adults_with_her < 0 or children_with_her < 0:
        return "Choose who is coming with you."
    if adults_with_her and not session.partners_welcome:
        return "This group is for you only: partners and other adults cannot come to this one."
    if children_with_her and not session.children_welcome:
        return "This group is for you only: children cannot come to this one."
    if adults_with_her > MAX_ADULTS_WITH_HER:
        return f"You can bring up to {MAX_ADULTS_WITH_HER} adults with you."
    if children_with_her > MAX_CHILDREN_WITH_HER:
        return f"You can bring up to {MAX_CHILDREN_WITH_HER} children with you."
    return None


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    adults_with_her: int = 0,
    children_with_her: int = 0,
    now: dt.datetime | None = None,
) -> Invitation:
    """She accepts, saying who is coming with her. A place for her and each of them if there is
    room (state ACCEPTED), else the waiting list (WAITING_LIST) and a message saying so.
    Accepting again changes nothing. Raises InvitationClosed when she may no longer answer
    (Invitation.answer_refusal): she declined before, the invitation or session was cancelled,
    or the session is over; GuestsNotWelcome when the group does not welcome who she named.

    Capacity counts places (ADR 0041): the session row is locked first, so two women accepting
    at once cannot both take the last places.

    Returns the invitation with its new state (the object passed in is updated too).
    """
    now = now or timezone.now()
    session, locked = _lock(invitation)
    refusal = _answer_refusal(locked, repeats=InvitationState.ACCEPTED, now=now)
    if refusal is not None:
        raise InvitationClosed(refusal)
    if locked.state in (InvitationState.ACCEPTED, InvitationState.WAITING_LIST):
        _copy_answer(invitation, locked)
        return locked
    refusal = guests_refusal(
        session, adults_with_her=adults_with_her, children_with_her=children_with_her
    )
    if refusal is not None:
        raise GuestsNotWelcome(refusal)
    locked.adults_with_her, locked.children_with_her = adults_with_her, children_with_her
    taken = Invitation.objects.filter(
        session=session, state=InvitationState.ACCEPTED
    ).places_taken()
    locked.state = (
        InvitationState.ACCEPTED
        if taken + locked.places <= session.capacity
        else InvitationState.WAITING_LIST
    )
    locked.answered_at = now
    locked.save(
        update_fields=[
            "state",
            "answered_at",
            "adults_with_her",
            "children_with_her",
            "updated_at",
        ]
    )
    planner = _Planner(session, now)
    locked._messages = _messages_of(locked)  # type: ignore[attr-defined]
    from waitroom.messaging import route_for

    channel = route_for(locked.patient)
    if channel is not None:
        planner.plan_messages(locked, channel)
        if locked.state == InvitationState.WAITING_LIST:
            planner.notice(locked, MessageKind.WAITING_LIST)
    planner.flush()
    _enqueue_dispatch()
    _copy_answer(invitation, locked)
    invitation.adults_with_her = locked.adults_with_her
    invitation.children_with_her = locked.children_with_her
    return locked


@transaction.atomic
def invitation_decline(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """She declines: final for this session. Unsent messages stop; a place she held goes to the
    first woman on the waiting list, who is told. Declining again changes nothing. Raises
    InvitationClosed when she may no longer answer (Invitation.answer_refusal)."""
    now = now or timezone.now()
    session, locked = _lock(invitation)
    refusal = _answer_refusal(locked, repeats=InvitationState.DECLINED, now=now)
    if refusal is not None:
        raise InvitationClosed(refusal)
    if locked.state == InvitationState.DECLINED:
        _copy_answer(invitation, locked)
        return locked
    held_place = locked.state == InvitationState.ACCEPTED
    locked.state, locked.answered_at = InvitationState.DECLINED, now
    locked.save(update_fields=["state", "answered_at", "updated_at"])
    Message.objects.filter(invitation=locked, status=MessageStatus.PENDING).update(
        status=MessageStatus.CANCELLED
    )
    if held_place:
        promote_waiting_list(session, now=now)
    _enqueue_dispatch()
    _copy_answer(invitation, locked)
    return locked


# -- stopping messages --------------------------------------------------------------------------


@transaction.atomic
def invitations_stop_for_patient(*, patient_id: int, reason: str) -> int:
    """Stop every unsent message for her at once and close her open invitations, sending nothing
    about it (pregnancy ended, opted out). Returns how many messages were stopped.

    Places she held go to the waiting list through the planner, after commit.
    """
    stopped = (
        Message.objects.filter(Q(invitation__patient_id=patient_id) | Q(patient_id=patient_id))
        .filter(status=MessageStatus.PENDING)
        .update(status=MessageStatus.CANCELLED)
    )
    open_invitations = Invitation.objects.filter(patient_id=patient_id, state__in=OPEN_STATES)
    session_ids = list(
        open_invitations.filter(state=InvitationState.ACCEPTED).values_list("session_id", flat=True)
    )
    open_invitations.update(state=InvitationState.CANCELLED, cancel_reason=reason)
    invitations_request_planning(session_ids=session_ids)
    return stopped


@transaction.atomic
def patient_pregnancy_ended(*, patient: Patient, when: dt.datetime | None = None) -> int:
    """Record that her pregnancy ended and stop every pending message for her, silently."""
    if patient.pregnancy_ended_at is None:
        patient.pregnancy_ended_at = when or timezone.now()
        patient.save(update_fields=["pregnancy_ended_at"])
    # She leaves pregnancy cohorts quietly (design: pregnancy loss); nothing is sent about it.
    CohortMembership.objects.current().filter(
        patient=patient, cohort__is_pregnancy_cohort=True
    ).update(status=MembershipStatus.LEFT)
    return invitations_stop_for_patient(patient_id=patient.pk, reason=CancelReason.PREGNANCY_ENDED)


@transaction.atomic
def patient_opt_out(*, patient_id: int, now: dt.datetime | None = None) -> bool:
    """She asked for no more messages (STOP by text, or unsubscribe by email). At once."""
    now = now or timezone.now()
    changed = Patient.objects.filter(pk=patient_id, opted_out_at__isnull=True).update(
        opted_out_at=now
    )
    invitations_stop_for_patient(patient_id=patient_id, reason=CancelReason.OPTED_OUT)
    return bool(changed)


STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT OUT"}


def _mobile_variants(number: str) -> list[str]:
    digits = re.sub(r"\D", "", number)
    if digits.startswith("44"):
        national = "0" + digits[2:]
    elif digits.startswith("0"):
        national = digits
    else:
        return [digits]
    international = "44" + national[1:]
    return [national, international, "+" + international]


def inbound_sms_record(*, source_number: str, text: str) -> int:
    """A text she sent to our number. STOP (and its usual synonyms) opts her out at once.

    Returns how many patient records were opted out (one number may be on two records).
    """
    if text.strip().upper().rstrip(".!") not in STOP_WORDS:
        return 0
    variants = _mobile_variants(source_number)
    count = 0
    for patient_id in Patient.objects.filter(mobile__in=variants).values_list("pk", flat=True):
        count += int(patient_opt_out(patient_id=patient_id))
    return count


# -- delivery receipts --------------------------------------------------------------------------

RECEIPT_STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}
# A receipt may only move a message on from these (never back from delivered, say).
_RECEIPT_FROM = [
    MessageStatus.SENT,
    MessageStatus.SENDING,
    MessageStatus.TEMPORARY_FAILURE,
]


def _receipt_target(provider_id: str, reference: str) -> Message | None:
    """The message a receipt is about, locked: by the provider's id, or else by our reference,
    when the receipt overtook the sender storing that id (it is still `sending`, or its worker
    died before storing it)."""
    messages = Message.objects.select_for_update(of=("self",)).select_related(
        "invitation__patient", "patient"
    )
    message = messages.filter(provider_id=provider_id).first()
    if message is not None:
        return message
    parsed = Message.parse_reference(reference)
    if parsed is None:
        return None
    pk, channel = parsed
    # The channel must match: after an SMS fell back to email, a late SMS receipt is not the
    # email's. An id already stored and different is another notification.
    return messages.filter(pk=pk, channel=channel, provider_id="").first()


@transaction.atomic
def message_delivery_record(
    *, provider_id: str, status: str, reference: str = "", now: dt.datetime | None = None
) -> Message | None:
    """Notify's delivery receipt for one message. A permanent SMS failure falls back to email
    when she has one and consented. Returns the message, or None when the id is not ours."""
    now = now or timezone.now()
    new_status = RECEIPT_STATUSES.get(status)
    if new_status is None or not provider_id:
        return None
    message = _receipt_target(provider_id, reference)
    if message is None:
        return None
    if not message.provider_id and message.status in _RECEIPT_FROM:
        # The provider has it: keep its id (the sender's mark-sent, finding the row moved on,
        # changes nothing; a recovery finds it no longer `sending`).
        message.provider_id = provider_id
        message.sent_at = message.sent_at or now
        message.save(update_fields=["provider_id", "sent_at"])
    if message.status not in _RECEIPT_FROM:
        return message
    if new_status == MessageStatus.PERMANENT_FAILURE and message_fall_back(
        message=message, reason="The text could not be delivered", now=now
    ):
        return message
    message.status, message.delivery_updated_at = new_status, now
    message.save(update_fields=["status", "delivery_updated_at"])
    return message


def message_fall_back(*, message: Message, reason: str, now: dt.datetime) -> bool:
    """Send a message that failed for good by text again by email, if she has one. The same row
    (one message per invitation and kind), a new channel; the failure stays on record."""
    from waitroom.messaging import fallback_route

    patient = message.recipient
    if message.channel != Channel.SMS or message.fell_back_at is not None:
        return False
    if fallback_route(patient) is None or patient.opted_out_at or patient.pregnancy_ended_at:
        return False
    updated = Message.objects.filter(pk=message.pk, channel=Channel.SMS).update(
        channel=Channel.EMAIL,
        status=MessageStatus.PENDING,
        due_at=now,
        claimed_at=None,
        enqueued_at=None,
        provider_id="",
        fell_back_at=now,
        delivery_updated_at=now,
        failure_reason=f"{reason}; sent by email instead"[:200],
    )
    if updated:
        message.refresh_from_db()
        _enqueue_dispatch()
    return bool(updated)
