"""The reconciling planner: brings a session's Invitation and Message rows in line with the DB.

It reads only the database (session, appointments, memberships, consent) and writes only rows,
never the provider: a dispatcher sends what it leaves due. Running it twice changes nothing the
second time. It holds the session's row lock while it works, so two planners (the beat and an
on-commit trigger) never plan one session at once.

Rules, in the issue's words:
- eligible: a current member of the session's cohort whose attending appointment at the clinic
  that day puts her in the waiting room for at least half of the session, who consents to a
  channel we can reach her by, has not opted out, and whose pregnancy has not ended;
- an invitation seven days before her appointment (at once if published later), a reminder two
  days before if she has not answered, a same-morning reminder once she has accepted; SMS waits
  out quiet hours, and nothing goes once the session is over;
- she no longer fits (appointment moved): unsent messages stop; if she was already told, a short
  change notice. Appointment or session cancelled: unsent messages stop; if she was already told,
  a cancellation notice. Pregnancy ended, opt-out, consent withdrawn, left the group: everything
  unsent stops and nothing is sent about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from groups.models import CohortMembership
from sessions.models import (
    ATTENDING_STATUSES,
    Patient,
    SessionStatus,
    WaitingRoomSession,
)
from waitroom.messaging import route_for

from . import timing
from .eligibility import EligibleWoman, session_eligible
from .models import (
    OPEN_STATES,
    REACHED_STATUSES,
    CancelReason,
    Channel,
    Invitation,
    InvitationState,
    Message,
    MessageKind,
    MessageStatus,
)

# The kinds the planner keeps in line with the schedule; the notices are written once, by events.
SCHEDULED_KINDS = (MessageKind.INVITATION, MessageKind.REMINDER, MessageKind.SAME_DAY)
QUIET_REASONS = {
    CancelReason.PREGNANCY_ENDED,
    CancelReason.OPTED_OUT,
    CancelReason.NOT_ELIGIBLE,
}


@dataclass
class PlanResult:
    invited: int = 0
    cancelled: int = 0
    messages_created: int = 0
    messages_changed: int = 0
    notices: int = 0
    promoted: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.invited
            or self.cancelled
            or self.messages_created
            or self.messages_changed
            or self.notices
            or self.promoted
        )


def _zone(session: WaitingRoomSession) -> ZoneInfo:
    return session.clinic.zone


def is_contactable(patient: Patient) -> bool:
    return (
        patient.opted_out_at is None
        and patient.pregnancy_ended_at is None
        and route_for(patient) is not None
    )


def session_invitees(
    session: WaitingRoomSession, *, eligible: list[EligibleWoman] | None = None
) -> list[EligibleWoman]:
    """The women publishing `session` would invite: eligible and contactable. One query, or
    none when the caller already holds `session_eligible(session)`.

    The planner invites exactly these; the session page counts them before it is published.
    """
    if eligible is None:
        eligible = session_eligible(session)
    return [woman for woman in eligible if is_contactable(woman.patient)]


def _reached(messages: list[Message]) -> bool:
    """Whether she has been told anything about this invitation (or may have been)."""
    return any(m.status in REACHED_STATUSES for m in messages)


class _Planner:
    def __init__(self, session: WaitingRoomSession, now: dt.datetime) -> None:
        self.session = session
        self.now = now
        self.tz = _zone(session)
        self.result = PlanResult()
        self.to_create: list[Message] = []
        # Pending messages to stop, and pending or stopped ones to (re-)time, each with the state
        # it was read in: every write is conditional on that state (compare-and-set), so a row the
        # sender claimed or sent meanwhile is never put back (issue 15, defect 1).
        self.to_cancel: list[Message] = []
        self.to_retime: list[tuple[Message, str, dt.datetime, str]] = []

    # -- messages --------------------------------------------------------------------------

    def _desired(self, invitation: Invitation, channel: str) -> dict[str, dt.datetime]:
        """Kind -> when, for the scheduled messages this invitation should have now."""
        session, tz, now = self.session, self.tz, self.now
        sms = channel == Channel.SMS
        wanted: dict[str, dt.datetime] = {}
        appointment_start = invitation.appointment.start
        sent_invitation = next(
            (
                m
                for m in invitation._messages  # type: ignore[attr-defined]
                if m.kind == MessageKind.INVITATION and m.status in REACHED_STATUSES
            ),
            None,
        )
        if invitation.state in (InvitationState.PLANNED, InvitationState.SENT):
            invite_at = (
                sent_invitation.sent_at or sent_invitation.due_at
                if sent_invitation
                else timing.invitation_due(appointment_start=appointment_start, now=now, tz=tz)
            )
            if sent_invitation is None:
                when = timing.sendable_at(due=invite_at, sms=sms, session_end=session.end, tz=tz)
                if when is not None:
                    wanted[MessageKind.INVITATION] = when
            reminder = timing.reminder_due(
                appointment_start=appointment_start, invitation_at=invite_at, tz=tz
            )
            if reminder is not None:
                when = timing.sendable_at(
                    due=max(reminder, now), sms=sms, session_end=session.start, tz=tz
                )
                if when is not None:
                    wanted[MessageKind.REMINDER] = when
        elif invitation.state == InvitationState.ACCEPTED:
            morning = timing.same_morning_due(session_start=session.start, now=now, tz=tz)
            if morning is not None:
                when = timing.sendable_at(due=morning, sms=sms, session_end=session.start, tz=tz)
                if when is not None:
                    wanted[MessageKind.SAME_DAY] = when
        return wanted

    def plan_messages(self, invitation: Invitation, channel: str) -> None:
        wanted = self._desired(invitation, channel)
        existing = {m.kind: m for m in invitation._messages}  # type: ignore[attr-defined]
        for kind in SCHEDULED_KINDS:
            message = existing.get(kind)
            when = wanted.get(kind)
            if when is None:
                if message is not None and message.status == MessageStatus.PENDING:
                    self.to_cancel.append(message)
                continue
            if message is None:
                self.to_create.append(
                    Message(invitation=invitation, kind=kind, channel=channel, due_at=when)
                )
                continue
            if message.status not in (MessageStatus.PENDING, MessageStatus.CANCELLED):
                continue  # sending, sent or failed: never the planner's to touch
            if message.status == MessageStatus.PENDING and message.channel == channel:
                if message.due_at == when:
                    continue
                if message.due_at <= self.now and when <= self.now:
                    # Already due, and still due: leave it alone for the sender. Moving it to
                    # `now` on every run would only race the sender for the row.
                    continue
            # Never sent, so it may be re-timed (or brought back), if it is still as read.
            self.to_retime.append((message, message.status, message.due_at, message.channel))
            message.status = MessageStatus.PENDING
            message.due_at, message.channel = when, channel

    def notice(self, invitation: Invitation, kind: str) -> None:
        """A change or cancellation notice, once per invitation (the unique constraint)."""
        channel = route_for(invitation.patient)
        if channel is None:
            return
        if any(m.kind == kind for m in invitation._messages):  # type: ignore[attr-defined]
            return
        when = timing.sendable_at(
            due=self.now,
            sms=channel == Channel.SMS,
            session_end=self.session.end,
            tz=self.tz,
        )
        if when is None:
            return
        self.to_create.append(
            Message(invitation=invitation, kind=kind, channel=channel, due_at=when)
        )
        self.result.notices += 1

    # -- invitations -----------------------------------------------------------------------

    def close(self, invitation: Invitation, reason: str, notice_kind: str | None) -> None:
        messages = invitation._messages  # type: ignore[attr-defined]
        for message in messages:
            if message.status == MessageStatus.PENDING:
                self.to_cancel.append(message)
        reached = _reached(messages)
        invitation.state = InvitationState.CANCELLED
        invitation.cancel_reason = reason
        invitation.save(update_fields=["state", "cancel_reason", "updated_at"])
        self.result.cancelled += 1
        if notice_kind and reached and reason not in QUIET_REASONS:
            self.notice(invitation, notice_kind)

    def flush(self) -> None:
        if self.to_create:
            Message.objects.bulk_create(self.to_create, batch_size=1000)
            self.result.messages_created += len(self.to_create)
        changed = 0
        if self.to_cancel:
            changed += Message.objects.filter(
                pk__in=[m.pk for m in self.to_cancel], status=MessageStatus.PENDING
            ).update(status=MessageStatus.CANCELLED)
            for message in self.to_cancel:
                message.status = MessageStatus.CANCELLED
        for message, status, due_at, channel in self.to_retime:
            changed += Message.objects.filter(
                pk=message.pk, status=status, due_at=due_at, channel=channel
            ).update(
                status=MessageStatus.PENDING,
                due_at=message.due_at,
                channel=message.channel,
                enqueued_at=None,
            )
        self.result.messages_changed += changed
        self.to_create, self.to_cancel, self.to_retime = [], [], []


def _load_invitations(session: WaitingRoomSession) -> dict[int, Invitation]:
    invitations = {
        inv.patient_id: inv
        for inv in Invitation.objects.filter(session=session).select_related(
            "patient", "appointment"
        )
    }
    by_invitation: dict[int, list[Message]] = {inv.pk: [] for inv in invitations.values()}
    for message in Message.objects.filter(invitation__session=session).order_by("pk"):
        by_invitation.setdefault(message.invitation_id, []).append(message)
    for inv in invitations.values():
        inv._messages = by_invitation.get(inv.pk, [])  # type: ignore[attr-defined]
    return invitations


def _close_reason(invitation: Invitation, *, member_ids: set[int]) -> tuple[str, str | None]:
    """Why an open invitation no longer holds, and the notice (if any) that says so."""
    patient = invitation.patient
    if patient.pregnancy_ended_at is not None:
        return CancelReason.PREGNANCY_ENDED, None
    if patient.opted_out_at is not None:
        return CancelReason.OPTED_OUT, None
    if route_for(patient) is None or patient.pk not in member_ids:
        return CancelReason.NOT_ELIGIBLE, None
    if invitation.appointment.status not in ATTENDING_STATUSES:
        return CancelReason.APPOINTMENT_CANCELLED, MessageKind.CANCELLATION
    return CancelReason.APPOINTMENT_MOVED, MessageKind.CHANGE


def promote_waiting_list(session: WaitingRoomSession, *, now: dt.datetime) -> int:
    """Give freed places to the waiting list, first come first served, and tell each of them.

    Call with the session row locked.
    """
    if session.status != SessionStatus.PUBLISHED or session.end <= now:
        return 0
    taken = Invitation.objects.filter(
        session=session, state=InvitationState.ACCEPTED
    ).places_taken()
    free = session.capacity - taken
    if free <= 0:
        return 0
    # First come, first served, in order: a woman whose party does not fit waits, and nobody
    # behind her goes ahead of her (ADR 0041).
    promoted = []
    for invitation in (
        Invitation.objects.filter(session=session, state=InvitationState.WAITING_LIST)
        .select_related("patient", "appointment")
        .order_by("answered_at", "pk")[:free]
    ):
        if invitation.places > free:
            break
        promoted.append(invitation)
        free -= invitation.places
    planner = _Planner(session, now)
    existing: dict[int, list[Message]] = {inv.pk: [] for inv in promoted}
    for message in Message.objects.filter(invitation__in=promoted):
        existing[message.invitation_id].append(message)
    for invitation in promoted:
        invitation.state = InvitationState.ACCEPTED
        invitation.save(update_fields=["state", "updated_at"])
        invitation._messages = existing[invitation.pk]  # type: ignore[attr-defined]
        planner.notice(invitation, MessageKind.PROMOTED)
        channel = route_for(invitation.patient)
        if channel is not None:
            planner.plan_messages(invitation, channel)
    planner.flush()
    return len(promoted)


def plan_invitations_for_session(session_id: int, *, now: dt.datetime | None = None) -> PlanResult:
    """Reconcile one session's invitations and messages with the database. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            WaitingRoomSession.objects.select_for_update(of=("self",))
            .select_related("clinic", "cohort")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            return PlanResult()
        planner = _Planner(session, now)
        if session.end > now:
            _reconcile(planner, session, now)
        WaitingRoomSession.objects.filter(pk=session.pk, planning_due_at__lte=now).update(
            planning_due_at=None
        )
        planner.flush()
        if session.status == SessionStatus.PUBLISHED and session.end > now:
            planner.result.promoted += promote_waiting_list(session, now=now)
        return planner.result


def _reconcile(planner: _Planner, session: WaitingRoomSession, now: dt.datetime) -> None:
    invitations = _load_invitations(session)
    if session.status != SessionStatus.PUBLISHED:
        # Cancelled (or back to draft): stop what has not gone, tell those already invited.
        for invitation in invitations.values():
            if invitation.state in OPEN_STATES:
                planner.close(invitation, CancelReason.SESSION_CANCELLED, MessageKind.CANCELLATION)
        return

    eligible = {woman.patient.pk: woman for woman in session_invitees(session)}
    member_ids = set(
        CohortMembership.objects.current()
        .filter(cohort_id=session.cohort_id)
        .values_list("patient_id", flat=True)
    )

    new_invitations: list[Invitation] = []
    for patient_id, woman in eligible.items():
        invitation = invitations.get(patient_id)
        if invitation is None:
            new_invitations.append(
                Invitation(session=session, patient=woman.patient, appointment=woman.appointment)
            )
            continue
        if invitation.state == InvitationState.DECLINED:
            continue
        if invitation.state == InvitationState.CANCELLED:
            if _reached(invitation._messages):  # type: ignore[attr-defined]
                # She was told it was off; do not flip-flop her messages.
                continue
            invitation.state, invitation.cancel_reason = InvitationState.PLANNED, ""
            invitation.save(update_fields=["state", "cancel_reason", "updated_at"])
        if invitation.appointment_id != woman.appointment.pk:
            invitation.appointment = woman.appointment
            invitation.save(update_fields=["appointment", "updated_at"])
        planner.plan_messages(invitation, route_for(woman.patient))

    if new_invitations:
        Invitation.objects.bulk_create(new_invitations, batch_size=1000)
        planner.result.invited += len(new_invitations)
        for invitation in new_invitations:
            invitation._messages = []  # type: ignore[attr-defined]
            planner.plan_messages(invitation, route_for(invitation.patient))

    for patient_id, invitation in invitations.items():
        if patient_id in eligible or invitation.state not in OPEN_STATES:
            continue
        reason, notice_kind = _close_reason(invitation, member_ids=member_ids)
        planner.close(invitation, reason, notice_kind)
