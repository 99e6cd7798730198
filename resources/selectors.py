"""Reads of the resource library, for staff choosing what to signpost and for a group's page.
What was signposted to one member is read in groups/members/selectors.py."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from groups.models import Cohort
from waitroom.access import staff_clinics
from waitroom.models import User

from .models import GroupMeeting, Resource, Signposting


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


def resource_language_codes() -> set[str]:
    """Every language code any resource is in (for the library's language filter)."""
    codes = set()
    for languages in Resource.objects.values_list("languages", flat=True).distinct():
        codes.update(code.strip() for code in languages.split(",") if code.strip())
    return codes


def cohorts_at_staff_clinics(user: User) -> QuerySet[Cohort]:
    """The cohorts of the clinics where `user` holds any staff role."""
    return Cohort.objects.filter(clinics__in=staff_clinics(user)).distinct()


def resource_for_review(resource_id: int) -> Resource:
    """A resource (current or not: a coordinator reviews the library as a whole); 404."""
    resource = Resource.objects.select_related("partner").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource")
    return resource


def resources_for_cohort(cohort: Cohort) -> QuerySet[Resource]:
    """Current resources meant for the cohort, to signpost at its sessions."""
    return Resource.objects.current().for_cohort(cohort).select_related("partner")


def signpostings_at(session) -> QuerySet[Signposting]:
    """What was signposted at a session, with each resource."""
    return Signposting.objects.filter(session=session).select_related("resource")


def resources_signposted_at(session) -> QuerySet[Resource]:
    return Resource.objects.filter(signpostings__session=session)
