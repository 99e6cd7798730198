"""Partner organisations and the resources facilitators signpost."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from waitroom.models import service_today


class Partner(models.Model):
    """A partner organisation (NCT, Twins Trust, a local group) as one clinic works with it.

    `clinic` is the clinic whose coordinators manage it in the app; a partner with no clinic is
    shared by every clinic and kept by the system owner in the Django admin (ADR 0041).
    """

    clinic = models.ForeignKey(
        "waitroom.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text="The clinic whose coordinators manage this partner. Empty: shared by all.",
    )
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    offer = models.TextField("what they offer", blank=True)
    # The partner's volunteers: peer supporters of the clinic (a StaffRole there, with the same
    # boundaries and the same training and DBS gate) who run its meetings in the waiting room.
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partner_volunteering"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"], name="partner_name_unique_per_clinic"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(clinic__isnull=True),
                name="shared_partner_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet["Resource"]):
    def current(self) -> ResourceQuerySet:
        """Resources members may see: reviewed and not yet past their review date."""
        return self.filter(next_review_due__gte=service_today())

    def due_for_review(self, within_days: int = 30) -> ResourceQuerySet:
        horizon = service_today() + dt.timedelta(days=within_days)
        return self.filter(next_review_due__lte=horizon).order_by("next_review_due")

    def for_cohort(self, cohort) -> ResourceQuerySet:
        """Resources tagged for the cohort, and general ones tagged for no cohort."""
        return self.filter(Q(cohorts=cohort) | Q(cohorts__isnull=True)).distinct()

    def for_clinics(self, clinic_ids) -> ResourceQuerySet:
        """The shared library and the resources of these clinics (ids, or a values() query)."""
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id__in=clinic_ids))

    def in_language(self, code: str) -> ResourceQuerySet:
        # `languages` is a comma-separated list: match a whole code, not a substring of one.
        return self.filter(languages__iregex=rf"(^|,)\s*{re.escape(code)}\s*(,|$)")

    def matching(self, text: str) -> ResourceQuerySet:
        return self.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(partner__name__icontains=text)
        )


class Resource(models.Model):
    class Kind(models.TextChoices):
        WEB_PAGE = "web_page", "Web page"
        LEAFLET = "leaflet", "Leaflet"
        HELPLINE = "helpline", "Helpline"
        LOCAL_GROUP = "local_group", "Local group meeting"

    title = models.CharField(max_length=200)
    summary = models.TextField()
    url = models.URLField("link", blank=True)
    phone = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The clinic whose coordinators keep it; empty: the shared library, kept in the admin.
    clinic = models.ForeignKey(
        "waitroom.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="resources"
    )
    cohorts = models.ManyToManyField("groups.Cohort", blank=True, related_name="resources")
    languages = models.CharField(
        max_length=100, default="en", help_text="Language codes, separated by commas."
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gt=F("last_reviewed")),
                name="resource_review_due_after_last_review",
            ),
            models.CheckConstraint(
                condition=~Q(url="", phone=""), name="resource_has_link_or_phone"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["web_page", "leaflet", "helpline", "local_group"]),
                name="resource_kind_known",
            ),
        ]
        indexes = [models.Index(fields=["next_review_due"])]

    def __str__(self) -> str:
        return self.title


class GroupMeetingQuerySet(models.QuerySet["GroupMeeting"]):
    def upcoming(self) -> GroupMeetingQuerySet:
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def for_clinics(self, clinic_ids) -> GroupMeetingQuerySet:
        """Shared meetings (no clinic) and those of these clinics (ids, or a values() query)."""
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id__in=clinic_ids))

    def going_ahead(self) -> GroupMeetingQuerySet:
        """Meetings that are on: outside ones, and waiting-room ones whose session is published
        (a draft is not yet decided; a cancelled one is off)."""
        return self.filter(Q(session__isnull=True) | Q(session__status="published"))


class GroupMeeting(models.Model):
    """A partner's meeting: outside the hospital with a place and time, or in the waiting room
    as a session run by one of the partner's volunteers (`session`). Shown on the matching
    cohort groups' pages and on her home near her appointment days (ADR 0041)."""

    clinic = models.ForeignKey(
        "waitroom.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_meetings",
        help_text="The clinic whose women it is for, and whose coordinators manage it.",
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    url = models.URLField("link", blank=True)
    cohorts = models.ManyToManyField("groups.Cohort", related_name="partner_meetings")
    # Held in the waiting room: the session it is (its time and place are the session's).
    session = models.OneToOneField(
        "waitingroom.WaitingRoomSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_meeting",
    )

    objects = GroupMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="", url=""), name="meeting_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Signposting(models.Model):
    """A resource a facilitator pointed the women at during a session."""

    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="signpostings"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="signpostings")
    signposted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signposted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "resource__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resource"], name="one_signposting_per_session_resource"
            ),
        ]

    def __str__(self) -> str:
        return f"Resource {self.resource_id} signposted at session {self.session_id}"
