"""Cohorts (who a group is for) and the women in them."""

from __future__ import annotations

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


__all__ = ["Cohort", "CohortMembership", "MembershipSource", "MembershipStatus"]
