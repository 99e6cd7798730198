"""Reads of the resource library, for staff choosing what to signpost and for a group's page.
What was signposted to one member is read in groups/members/selectors.py."""

from __future__ import annotations

from django.db.models import QuerySet

from groups.models import Cohort

from .models import GroupMeeting, Resource


def resource_search(
    *,
    text: str = "",
    cohort: Cohort | None = None,
    kind: str = "",
    language: str = "",
    include_past_review: bool = False,
) -> QuerySet[Resource]:
    """The library, filtered. Past-review resources are left out unless asked for (coordinators
    reviewing them), so nobody signposts what nobody has checked lately."""
    resources = Resource.objects.all() if include_past_review else Resource.objects.current()
    if text:
        resources = resources.matching(text)
    if cohort is not None:
        resources = resources.for_cohort(cohort)
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.in_language(language)
    return resources.select_related("partner").prefetch_related("cohorts").order_by("title")


def resources_due_for_review(*, within_days: int = 30) -> QuerySet[Resource]:
    return Resource.objects.due_for_review(within_days).select_related("partner", "owner")


def meetings_for_cohort(cohort: Cohort) -> QuerySet[GroupMeeting]:
    """Partner local group meetings coming up for the cohort's group page."""
    return GroupMeeting.objects.upcoming().filter(cohorts=cohort).select_related("partner")
