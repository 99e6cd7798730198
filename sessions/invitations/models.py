"""One patient invited to one session because of one appointment, and the messages for it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class InvitationState(models.TextChoices):
    PLANNED = "planned", "Planned"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    WAITING_LIST = "waiting_list", "On the waiting list"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class Invitation(models.Model):
    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="invitations"
    )
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="invitations"
    )
    appointment = models.ForeignKey(
        "waitingroom.Appointment", on_delete=models.CASCADE, related_name="invitations"
    )
    state = models.CharField(
        max_length=20, choices=InvitationState.choices, default=InvitationState.PLANNED
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"], name="one_invitation_per_session"
            ),
            models.CheckConstraint(
                condition=Q(state__in=InvitationState.values), name="invitation_state_known"
            ),
        ]
        indexes = [models.Index(fields=["patient", "state"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"
    SAME_DAY = "same_day", "Same-morning reminder"
    CHANGE = "change", "Change notice"
    CANCELLATION = "cancellation", "Cancellation notice"
    WAITING_LIST = "waiting_list", "Waiting list"
    PROMOTED = "promoted", "Place confirmed"
    FEEDBACK = "feedback", "Feedback"


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    OUTBOX = "outbox", "Demo outbox"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Permanent failure"
    TEMPORARY_FAILURE = "temporary-failure", "Temporary failure"
    TECHNICAL_FAILURE = "technical-failure", "Technical failure"
    REJECTED = "rejected", "Rejected by provider"
    CANCELLED = "cancelled", "Cancelled"


class Message(models.Model):
    """One outgoing SMS or email. At most one per (invitation, kind): see the constraint."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="What was sent, for the demo outbox.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "kind"], name="one_message_per_kind"),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.kind})"
