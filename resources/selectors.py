"""Reads of the resource library, for staff choosing what to signpost and for a group's page.
What was signposted to one member is read in groups/members/selectors.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from groups.models import Cohort
from waitroom.access import staff_clinics
from waitroom.models import User, service_today

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


# --- What every member of a cohort sees: cached (issue 14) ---------------------------------------

# Bumped by resources/signals.py whenever a resource, or the cohorts it is for, changes: every
# cached list then misses at once (its key names the old generation) and is read afresh.
LIBRARY_GENERATION_KEY = "resources:library-generation"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ResourceCard:
    """A resource as a member's page shows it: plain values, cheap to cache and to render."""

    pk: int
    title: str
    url: str
    summary: str
    phone: str

    @classmethod
    def of(cls, resource: Resource) -> ResourceCard:
        return cls(resource.pk, resource.title, resource.url, resource.summary, resource.phone)


def library_generation() -> int:
    return cache.get_or_set(LIBRARY_GENERATION_KEY, 1, timeout=None)


def library_changed() -> None:
    """Every cached cohort list is stale from now on."""
    try:
        cache.incr(LIBRARY_GENERATION_KEY)
    except ValueError:  # not set (or evicted): any new value differs from the cached keys'
        cache.set(LIBRARY_GENERATION_KEY, 2, timeout=None)


def current_resources_for_cohorts(cohort_ids: list[int]) -> list[ResourceCard]:
    """Current resources meant for any of these cohorts, newest review first: the same for
    every woman in them, so read once an hour per set of cohorts, per day (a resource past its
    review date drops out at midnight) and per library generation, not once a page view."""
    if not cohort_ids:
        return []
    key = "resources:for-cohorts:{}:{}:{}".format(
        library_generation(), service_today().isoformat(), ",".join(map(str, sorted(cohort_ids)))
    )
    cards = cache.get(key)
    if cards is None:
        cards = [
            ResourceCard(*row)
            for row in Resource.objects.current()
            .filter(cohorts__in=cohort_ids)
            .distinct()
            .order_by("-last_reviewed", "title")
            .values_list("pk", "title", "url", "summary", "phone")
        ]
        cache.set(key, cards, timeout=CACHE_SECONDS)
    return cards
