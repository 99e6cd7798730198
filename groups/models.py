"""Cohorts (who a group is for) and the women in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from waitroom.models import Clinic


class Cohort(models.Model):
    """A group definition. Staff see `staff_name`; women see only `public_name`.

    The public name is neutral on purpose ("Twins and more group" rather than a clinical
    label) and may never be empty: it is what stands in for the cohort anywhere a member looks.
    """

    slug = models.SlugField(unique=True)
    staff_name = models.CharField(max_length=100)
    public_name = models.CharField(max_length=100)
    public_description = models.TextField(
        blank=True, help_text="Plain words for women: what happens in this group."
    )
    criterion = models.TextField(help_text="Who the cohort is for, for staff.")
    clinics = models.ManyToManyField(Clinic, related_name="cohorts", blank=True)
    # Pregnancy cohorts are left quietly when a pregnancy ends (design: pregnancy loss).
    is_pregnancy_cohort = models.BooleanField(default=True)

    class Meta:
        ordering = ["staff_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public_name__regex=r"\S"), name="cohort_public_name_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(staff_name__regex=r"\S"), name="cohort_staff_name_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.staff_name


class MembershipStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    LEFT = "left", "Left"
    REMOVED = "removed", "Removed"


class MembershipSource(models.TextChoices):
    IMPORT = "import", "Hospital import"
    REFERRAL = "referral", "Referred by staff"
    SELF = "self", "Asked to join"


class CohortMembershipQuerySet(models.QuerySet["CohortMembership"]):
    def current(self) -> CohortMembershipQuerySet:
        """Memberships that count for invitations and groups: invited or active."""
        return self.filter(status__in=[MembershipStatus.INVITED, MembershipStatus.ACTIVE])

    def in_group(self) -> CohortMembershipQuerySet:
        """Current memberships whose member has joined the cohort's online group."""
        return self.current().filter(group_joined_at__isnull=False)


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.INVITED
    )
    source = models.CharField(
        max_length=10, choices=MembershipSource.choices, default=MembershipSource.REFERRAL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The online group is opt-in: being in a cohort (for invitations) is not the same as having
    # joined its discussion, which needs her to accept the group's guidelines first.
    group_joined_at = models.DateTimeField(null=True, blank=True)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=200, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CohortMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "patient"], name="one_membership_per_cohort"),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values), name="membership_status_known"
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"Patient {self.patient_id} in {self.cohort}"

    @property
    def in_group(self) -> bool:
        return self.group_joined_at is not None and self.status in (
            MembershipStatus.INVITED,
            MembershipStatus.ACTIVE,
        )

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a coordinator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Not approved"


class JoinRequestQuerySet(models.QuerySet["JoinRequest"]):
    def pending(self) -> JoinRequestQuerySet:
        return self.filter(status=JoinRequestStatus.PENDING)


class JoinRequest(models.Model):
    """A member asking to join the group of a cohort she is not in; a coordinator decides."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="join_requests")
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="group_join_requests"
    )
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "patient"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            ),
            models.CheckConstraint(
                condition=Q(status__in=JoinRequestStatus.values), name="join_request_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Join request {self.pk}"


class ThreadQuerySet(models.QuerySet["Thread"]):
    def latest_first(self) -> ThreadQuerySet:
        return self.order_by("-last_posted_at", "-pk")


class Thread(models.Model):
    """A discussion in a cohort's online group. Its first post is what the starter wrote."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_posted_at"]
        indexes = [models.Index(fields=["cohort", "-last_posted_at"])]

    def __str__(self) -> str:
        return f"Thread {self.pk}"


class Post(models.Model):
    """One message in a thread: plain text, shown with safe automatic links."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author (or with her account): the text is gone, the place in the thread
    # stays so replies still make sense.
    removed_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReportReason(models.TextChoices):
    UNKIND = "unkind", "It is unkind or hurtful"
    UNSAFE = "unsafe", "It gives unsafe health advice"
    PERSONAL = "personal", "It shares someone's personal details"
    SPAM = "spam", "It is advertising or spam"
    OTHER = "other", "Something else"


class PostReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_reporter"),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", "Hid a post"
    RESTORE = "restore", "Restored a post"
    SUSPEND = "suspend", "Suspended a member from a group"
    UNSUSPEND = "unsuspend", "Lifted a suspension"


class ModerationEvent(models.Model):
    """What a moderator did and why: the group's own record of moderation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True)
    membership = models.ForeignKey(
        CohortMembership, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=10, choices=ModerationAction.choices)
    reason = models.CharField(max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"


__all__ = [
    "Cohort",
    "CohortMembership",
    "JoinRequest",
    "JoinRequestStatus",
    "MembershipSource",
    "MembershipStatus",
    "ModerationAction",
    "ModerationEvent",
    "Post",
    "PostReport",
    "ReportReason",
    "Thread",
]
