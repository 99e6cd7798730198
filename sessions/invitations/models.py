"""One patient invited to one session because of one appointment, and the messages for it."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from sessions.models import SessionStatus


class InvitationState(models.TextChoices):
    PLANNED = "planned", "Planned"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    WAITING_LIST = "waiting_list", "On the waiting list"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


# States in which an invitation still holds (or may hold) a place or a claim on her attention.
OPEN_STATES = [
    InvitationState.PLANNED,
    InvitationState.SENT,
    InvitationState.ACCEPTED,
    InvitationState.WAITING_LIST,
]


class CancelReason(models.TextChoices):
    SESSION_CANCELLED = "session_cancelled", "Session cancelled"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    APPOINTMENT_MOVED = "appointment_moved", "Appointment moved away from the session"
    NOT_ELIGIBLE = "not_eligible", "No longer in the group, or no consent"
    OPTED_OUT = "opted_out", "Opted out of messages"
    ACCOUNT_DELETED = "account_deleted", "She deleted her account"
    PREGNANCY_ENDED = "pregnancy_ended", "Pregnancy ended"


# Why she may no longer answer her invitation (Invitation.answer_refusal), one wording each.
ANSWER_NOT_GOING_AHEAD = "This group is not going ahead, so you cannot answer this invitation."
ANSWER_GROUP_FINISHED = "This group has finished, so you cannot answer this invitation any more."
ANSWER_ALREADY_DECLINED = "You have already said you cannot come to this group."


# Who may come with her, at most (a place each).
MAX_ADULTS_WITH_HER = 2
MAX_CHILDREN_WITH_HER = 4


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def places_taken(self) -> int:
        """Places these invitations hold: each woman and the people coming with her."""
        return self.aggregate(
            places=Coalesce(Sum(1 + F("adults_with_her") + F("children_with_her")), 0)
        )["places"]


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
    cancel_reason = models.CharField(max_length=30, choices=CancelReason.choices, blank=True)
    # Who she said is coming with her when she accepted; each takes a place.
    adults_with_her = models.PositiveSmallIntegerField(default=0)
    children_with_her = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"], name="one_invitation_per_session"
            ),
            models.CheckConstraint(
                condition=Q(state__in=InvitationState.values), name="invitation_state_known"
            ),
            models.CheckConstraint(
                condition=Q(adults_with_her__lte=MAX_ADULTS_WITH_HER)
                & Q(children_with_her__lte=MAX_CHILDREN_WITH_HER),
                name="invitation_guests_within_limits",
            ),
        ]
        indexes = [models.Index(fields=["patient", "state"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    @property
    def places(self) -> int:
        """The places she takes: herself and whoever is coming with her."""
        return 1 + self.adults_with_her + self.children_with_her

    # --- May she still answer? ------------------------------------------------------------------
    # The one rule for answering (accepting, declining, changing her answer), asked by her
    # invitation page (whether to offer the buttons) and by the service that records an answer.

    def answer_refusal(self, now: dt.datetime | None = None) -> str | None:
        """Why she may no longer answer at `now`, in words for her; None while she may. Declining
        is final. Giving the same answer again is not refused by the service (it changes
        nothing) unless the group is over or not going ahead."""
        now = now or timezone.now()
        session = self.session
        if self.state == InvitationState.CANCELLED or session.status != SessionStatus.PUBLISHED:
            return ANSWER_NOT_GOING_AHEAD
        if session.end <= now:
            return ANSWER_GROUP_FINISHED
        if self.state == InvitationState.DECLINED:
            return ANSWER_ALREADY_DECLINED
        return None

    @property
    def can_be_answered(self) -> bool:
        return self.answer_refusal() is None


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"
    SAME_DAY = "same_day", "Same-morning reminder"
    CHANGE = "change", "Change notice"
    CANCELLATION = "cancellation", "Cancellation notice"
    WAITING_LIST = "waiting_list", "Waiting list"
    PROMOTED = "promoted", "Place confirmed"
    FEEDBACK = "feedback", "Feedback"
    # A code proving she holds the mobile on file, to make her account
    # (groups/members/account_codes.py).
    ACCOUNT_CODE = "account_code", "Account code"


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


# A message in one of these has gone to the provider (or may have: SENDING), so she knows.
REACHED_STATUSES = [
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.TEMPORARY_FAILURE,
]
FAILED_STATUSES = [
    MessageStatus.PERMANENT_FAILURE,
    MessageStatus.TEMPORARY_FAILURE,
    MessageStatus.TECHNICAL_FAILURE,
    MessageStatus.REJECTED,
]


class MessageQuerySet(models.QuerySet["Message"]):
    def pending(self) -> MessageQuerySet:
        return self.filter(status=MessageStatus.PENDING)

    def due(self, now: dt.datetime | None = None) -> MessageQuerySet:
        return self.pending().filter(due_at__lte=now or timezone.now())

    def failed(self) -> MessageQuerySet:
        return self.filter(status__in=FAILED_STATUSES)

    def for_clinic(self, clinic_id: int) -> MessageQuerySet:
        return self.filter(Q(invitation__session__clinic_id=clinic_id) | Q(clinic_id=clinic_id))


class Message(models.Model):
    """One outgoing SMS or email. At most one per (invitation, kind): see the constraint.

    A message about her rather than one invitation (a feedback question: docs/adr/0039) has no
    invitation but names her and the clinic asking; it carries the words it was planned with,
    and whatever planned it holds it exactly once (a feedback request points to its message).
    """

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="messages", null=True, blank=True
    )
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
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
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="What was sent, for the demo outbox.")
    # When the dispatcher last put a send task on the broker. A row still pending long after
    # this was lost with the broker (Redis flushed or restarted) and is queued again.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # An earlier attempt may have reached the provider (no answer within the timeout, or a 5xx):
    # the next attempt asks the provider by reference before sending again.
    maybe_sent = models.BooleanField(default=False)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)
    # Set when a permanent SMS failure sent this message again by email.
    fell_back_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            # Account codes are asked for, not planned: she may ask again (a few times an hour).
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=~Q(kind="account_code"),
                name="one_message_per_kind",
            ),
            # Either about an invitation, or a feedback question to her from a clinic.
            models.CheckConstraint(
                condition=Q(invitation__isnull=False, patient__isnull=True, clinic__isnull=True)
                | Q(
                    invitation__isnull=True,
                    patient__isnull=False,
                    clinic__isnull=False,
                    kind="feedback",
                ),
                name="message_about_an_invitation_or_her",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["provider_id"]),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.kind})"

    @property
    def recipient(self):
        """The woman it goes to (`invitation__patient` or `patient` loaded with it)."""
        return self.invitation.patient if self.invitation_id else self.patient

    @property
    def recipient_id(self) -> int:
        return self.invitation.patient_id if self.invitation_id else self.patient_id

    @property
    def sending_clinic(self):
        return self.invitation.session.clinic if self.invitation_id else self.clinic

    @property
    def reference(self) -> str:
        """What the provider is told: the message id (and channel, as an SMS that failed is sent
        again by email under the same id), never anything about her."""
        return f"msg-{self.pk}-{self.channel}"

    @staticmethod
    def parse_reference(reference: str) -> tuple[int, str] | None:
        """(message id, channel) from a `reference`, or None when it is not one of ours."""
        prefix, _, rest = (reference or "").partition("-")
        pk, _, channel = rest.partition("-")
        if prefix != "msg" or not pk.isdigit() or channel not in Channel.values:
            return None
        return int(pk), channel
