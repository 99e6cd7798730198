"""What happens in and after a session: attendance, discussion notes, concerns, debriefs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Arrived late"
    # Staff tap this when she is called in for her appointment: she leaves the session then.
    LEFT_FOR_APPOINTMENT = "left_for_appointment", "Called in for her appointment"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class CheckInMethod(models.TextChoices):
    QR_CODE = "qr", "Scanned the waiting-room code"
    FACILITATOR = "facilitator", "Ticked in by the facilitator"


class Attendance(models.Model):
    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="attendances"
    )
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        max_length=25, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED
    )
    method = models.CharField(max_length=15, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # When she was called in for her appointment (one tap on the run sheet); she left the session
    # then. With her check-in and her booked time it gives her waiting times
    # (docs/adr/0038-measures-catalogue-and-waiting-times.md).
    called_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"], name="one_attendance_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


# --- Discussion notes -------------------------------------------------------------------------

# An author may correct her note for this long; after that it is a record, as clinical notes are.
NOTE_EDIT_WINDOW = dt.timedelta(hours=24)


class DiscussionTopicQuerySet(models.QuerySet["DiscussionTopic"]):
    def active(self) -> DiscussionTopicQuerySet:
        return self.filter(is_active=True)


class DiscussionTopic(models.Model):
    """A topic a clinic offers on its notes form ("Feeding", "Birth planning", ...)."""

    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="discussion_topics"
    )
    name = models.CharField(max_length=100)
    # Retired topics stay on old notes but leave the form.
    is_active = models.BooleanField(default=True)

    objects = DiscussionTopicQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="one_topic_name_per_clinic"),
        ]

    def __str__(self) -> str:
        return self.name


class DiscussionNote(models.Model):
    """What was discussed at a session: topics, a short summary, and (in resources) signposting."""

    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discussion_notes"
    )
    topics = models.ManyToManyField(DiscussionTopic, blank=True, related_name="notes")
    summary = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "created_at"]

    def __str__(self) -> str:
        return f"Discussion note {self.pk}"

    @property
    def locks_at(self) -> dt.datetime:
        return self.created_at + NOTE_EDIT_WINDOW

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.locks_at

    def editable_by(self, user, now: dt.datetime | None = None) -> bool:
        return user.pk == self.author_id and not self.is_locked(now)


class NoteAddendum(models.Model):
    """A dated addition to a locked note: the note itself never changes after 24 hours."""

    note = models.ForeignKey(DiscussionNote, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "created_at"]
        verbose_name_plural = "note addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"


# --- Concerns ---------------------------------------------------------------------------------


class ConcernCategory(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Emotional wellbeing or mental health"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    CLINICAL = "clinical", "Clinical"
    OTHER = "other", "Other"


class ConcernUrgency(models.TextChoices):
    # Values sort the queue: the lowest rank first (see ConcernQuerySet.queue_order).
    URGENT = "urgent", "Urgent: today"
    SOON = "soon", "Soon: within a few days"
    ROUTINE = "routine", "Routine"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class ConcernLead(models.Model):
    """A clinic setting: the named professional each category of concern is routed to."""

    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="concern_leads"
    )
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["clinic", "category"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "category"], name="one_lead_per_category"),
            models.CheckConstraint(
                condition=Q(category__in=ConcernCategory.values), name="concern_lead_category_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} lead at clinic {self.clinic_id}"


class ConcernQuerySet(models.QuerySet["Concern"]):
    def unresolved(self) -> ConcernQuerySet:
        return self.exclude(status=ConcernStatus.CLOSED)

    def urgent_unacknowledged(self) -> ConcernQuerySet:
        return self.filter(urgency=ConcernUrgency.URGENT, status=ConcernStatus.OPEN)

    def queue_order(self) -> ConcernQuerySet:
        """Unresolved before closed, urgent before soon before routine, oldest first."""
        rank = models.Case(
            models.When(urgency=ConcernUrgency.URGENT, then=0),
            models.When(urgency=ConcernUrgency.SOON, then=1),
            default=2,
        )
        closed = models.Case(models.When(status=ConcernStatus.CLOSED, then=1), default=0)
        return self.annotate(_closed=closed, _rank=rank).order_by("_closed", "_rank", "raised_at")


class Concern(models.Model):
    """A worry about a woman who attended (or about a session), routed to a named lead."""

    clinic = models.ForeignKey("waitroom.Clinic", on_delete=models.PROTECT, related_name="concerns")
    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.PROTECT, related_name="concerns"
    )
    # Empty when the concern is about the session generally.
    patient = models.ForeignKey(
        "waitingroom.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    urgency = models.CharField(max_length=10, choices=ConcernUrgency.choices)
    description = models.TextField("what was seen or said")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="raised_concerns"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_concerns",
    )
    status = models.CharField(
        max_length=15, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Clinical detail: professionals only. A peer supporter who raised it sees only the status.
    outcome = models.TextField(blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ConcernCategory.values), name="concern_category_known"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=ConcernUrgency.values), name="concern_urgency_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConcernStatus.values), name="concern_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=ConcernStatus.CLOSED) | ~Q(outcome=""),
                name="closed_concern_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status"])]

    def __str__(self) -> str:
        return f"Concern {self.pk}"


# --- Debriefs and peer-supporter governance ---------------------------------------------------


class Debrief(models.Model):
    """A peer supporter's reflection on a session, talked through with a named professional."""

    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="debriefs"
    )
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debriefs"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debriefs_to_confirm"
    )
    went_well = models.TextField("what went well")
    was_hard = models.TextField("what was hard", blank=True)
    follow_up = models.TextField("anything to follow up", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "peer_supporter"], name="one_debrief_per_session_and_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"Debrief {self.pk}"


class PeerSupporterRecord(models.Model):
    """Training and DBS check for one peer supporter: she may run sessions only while both hold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_supporter_record"
    )
    training_completed_on = models.DateField(null=True, blank=True)
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    dbs_expires_on = models.DateField("DBS check expires", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dbs_expires_on__isnull=True)
                | Q(dbs_checked_on__isnull=True)
                | Q(dbs_expires_on__gt=F("dbs_checked_on")),
                name="dbs_expires_after_check",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer supporter record for user {self.user_id}"
