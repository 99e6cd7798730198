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
    name = models.CharField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    offer = models.TextField("what they offer", blank=True)

    class Meta:
        ordering = ["name"]

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


class GroupMeeting(models.Model):
    """A partner's local group meeting, shown on the matching cohort groups' pages."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    url = models.URLField("link", blank=True)
    cohorts = models.ManyToManyField("groups.Cohort", related_name="partner_meetings")

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
