"""Reads for staff pages: a session's invitations with states and counts, a clinic's messages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.dateformat import format as date_format

from sessions.models import WaitingRoomSession

from .models import (
    FAILED_STATUSES,
    CancelReason,
    Channel,
    Invitation,
    InvitationState,
    Message,
    MessageKind,
    MessageStatus,
)

# What staff see for an invitation, in the words.
DISPLAY_STATES = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("accepted", "Accepted"),
    ("waiting_list", "Waiting list"),
    ("declined", "Declined"),
    ("cancelled", "Cancelled"),
]
_LABELS = dict(DISPLAY_STATES)


@dataclass
class InvitationRow:
    invitation: Invitation
    state: str
    invitation_message: Message | None
    failures: list[Message]

    @property
    def state_label(self) -> str:
        return _LABELS[self.state]

    @property
    def what_happened(self) -> str:
        """Why she is not coming, said once: the cancel reason and her opt-out are often the
        same event (opting out or deleting her account cancels her invitations)."""
        invitation = self.invitation
        opted_out_at = invitation.patient.opted_out_at
        on = (
            f" on {date_format(invitation.session.clinic.local(opted_out_at), 'j M')}"
            if opted_out_at
            else ""
        )
        if invitation.cancel_reason == CancelReason.ACCOUNT_DELETED:
            return f"She deleted her account{on}, so no more messages go to her."
        if invitation.cancel_reason == CancelReason.OPTED_OUT:
            return f"Opted out of messages{on}."
        sentences = []
        if invitation.cancel_reason:
            sentences.append(f"{invitation.get_cancel_reason_display()}.")
        if opted_out_at:
            sentences.append(f"Opted out of messages{on}.")
        return " ".join(sentences)


def _display_state(invitation: Invitation, first: Message | None) -> str:
    if invitation.state in (
        InvitationState.ACCEPTED,
        InvitationState.WAITING_LIST,
        InvitationState.DECLINED,
        InvitationState.CANCELLED,
    ):
        return invitation.state
    if first is None or first.status in (MessageStatus.PENDING, MessageStatus.CANCELLED):
        return "planned"
    if first.status in FAILED_STATUSES:
        return "failed"
    if first.status == MessageStatus.DELIVERED:
        return "delivered"
    return "sent"


def session_invitation_rows(session: WaitingRoomSession) -> tuple[list[InvitationRow], dict]:
    """Every invitation of the session with its display state, and the counts per state.
    Two queries, whatever the number of invitations."""
    invitations = (
        Invitation.objects.filter(session=session)
        .select_related("patient", "appointment", "session__clinic")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.order_by("pk")))
        .order_by("appointment__start", "pk")
    )
    rows = []
    for invitation in invitations:
        messages = list(invitation.messages.all())
        first = next((m for m in messages if m.kind == MessageKind.INVITATION), None)
        failures = [m for m in messages if m.status in FAILED_STATUSES or m.fell_back_at]
        rows.append(InvitationRow(invitation, _display_state(invitation, first), first, failures))
    counts = Counter(row.state for row in rows)
    return rows, {key: (label, counts.get(key, 0)) for key, label in DISPLAY_STATES}


@dataclass(frozen=True)
class MessageFilters:
    kind: str = ""
    status: str = ""
    channel: str = ""
    day: dt.date | None = None
    failed_only: bool = False


def clinic_messages(clinic_id: int, filters: MessageFilters) -> QuerySet[Message]:
    messages = (
        Message.objects.for_clinic(clinic_id)
        .select_related("invitation__patient", "invitation__session", "patient")
        .order_by("-due_at", "-pk")
    )
    if filters.kind in MessageKind.values:
        messages = messages.filter(kind=filters.kind)
    if filters.status in MessageStatus.values:
        messages = messages.filter(status=filters.status)
    if filters.channel in Channel.values:
        messages = messages.filter(channel=filters.channel)
    if filters.failed_only:
        messages = messages.failed()
    if filters.day:
        messages = messages.filter(due_at__date=filters.day)
    return messages


def clinic_outbox(clinic_id: int) -> QuerySet[Message]:
    return (
        Message.objects.for_clinic(clinic_id)
        .filter(channel=Channel.OUTBOX)
        .filter(status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
        .select_related("invitation__patient", "invitation__session", "patient")
        .order_by("-sent_at", "-pk")
    )
