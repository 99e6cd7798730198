"""Partner organisations and the resources facilitators signpost."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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
        return self.filter(next_review_due__gte=timezone.localdate())

    def due_for_review(self, within_days: int = 30) -> ResourceQuerySet:
        horizon = timezone.localdate() + dt.timedelta(days=within_days)
        return self.filter(next_review_due__lte=horizon).order_by("next_review_due")


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
