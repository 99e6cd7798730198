"""Reads of the resource library, for staff choosing what to signpost and for a group's page.
What was signposted to one member is read in groups/members/selectors.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from groups.models import Cohort
from waitroom.access import PEER_SUPPORTERS, staff_clinics
from waitroom.models import Clinic, User, service_today
from waitroom.selectors import clinic_staff_in_roles

from .models import GroupMeeting, Partner, Resource, Signposting


def resource_search(
    *,
    text: str = "",
    cohort: Cohort | None = None,
    kind: str = "",
    language: str = "",
    include_past_review: bool = False,
    clinic_ids=None,
) -> QuerySet[Resource]:
    """The library, filtered: the shared library and, when `clinic_ids` is given, those clinics'
    own resources (every staff caller gives it). Past-review resources are left out unless
    asked for (coordinators reviewing them), so nobody signposts what nobody has checked lately."""
    resources = Resource.objects.all() if include_past_review else Resource.objects.current()
    resources = resources.for_clinics(clinic_ids if clinic_ids is not None else [])
    if text:
        resources = resources.matching(text)
    if cohort is not None:
        resources = resources.for_cohort(cohort)
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.in_language(language)
    return resources.select_related("partner").prefetch_related("cohorts").order_by("title")


def resources_due_for_review(*, clinic_ids, within_days: int = 30) -> QuerySet[Resource]:
    """The shared library's and these clinics' resources due for review within the days."""
    return (
        Resource.objects.due_for_review(within_days)
        .for_clinics(clinic_ids)
        .select_related("partner", "owner", "clinic")
    )


def meetings_for_cohort(cohort: Cohort, *, clinic_ids) -> QuerySet[GroupMeeting]:
    """Partner meetings coming up for the cohort's group page: shared ones and those of the
    clinics she has appointments at (`clinic_ids`), going ahead."""
    return (
        GroupMeeting.objects.upcoming()
        .going_ahead()
        .for_clinics(clinic_ids)
        .filter(cohorts=cohort)
        .select_related("partner")
    )


def resource_language_codes() -> set[str]:
    """Every language code any resource is in (for the library's language filter)."""
    codes = set()
    for languages in Resource.objects.values_list("languages", flat=True).distinct():
        codes.update(code.strip() for code in languages.split(",") if code.strip())
    return codes


def cohorts_at_staff_clinics(user: User) -> QuerySet[Cohort]:
    """The cohorts of the clinics where `user` holds any staff role."""
    return Cohort.objects.filter(clinics__in=staff_clinics(user)).distinct()


def resource_for_review(resource_id: int, *, clinic_ids) -> Resource:
    """A resource of the shared library or of these clinics (current or not: a coordinator
    reviews the library as a whole); 404 for another clinic's."""
    resource = (
        Resource.objects.for_clinics(clinic_ids)
        .select_related("partner")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise Http404("No such resource")
    return resource


def resources_for_cohort(cohort: Cohort, *, clinic: Clinic) -> QuerySet[Resource]:
    """Current resources meant for the cohort, to signpost at its sessions at `clinic`: the
    shared library and the clinic's own."""
    return (
        Resource.objects.current()
        .for_clinics([clinic.pk])
        .for_cohort(cohort)
        .select_related("partner")
    )


def signpostings_at(session) -> QuerySet[Signposting]:
    """What was signposted at a session, with each resource."""
    return Signposting.objects.filter(session=session).select_related("resource")


def resources_signposted_at(session) -> QuerySet[Resource]:
    return Resource.objects.filter(signpostings__session=session)


# --- A clinic's partners, their resources and meetings (coordinators manage them) ---------------
# Every read starts from the clinic the view was handed (@clinic_view): a partner, resource or
# meeting of another clinic, or a shared one kept in the admin, is simply not found (404).


def partners_of_clinic(clinic: Clinic) -> QuerySet[Partner]:
    """The clinic's partners, by name, with how many resources, meetings and volunteers each has.
    One query."""
    return (
        Partner.objects.filter(clinic=clinic)
        .annotate(
            resource_count=Count("resources", distinct=True),
            meeting_count=Count(
                "meetings", filter=Q(meetings__starts_at__gte=timezone.now()), distinct=True
            ),
            volunteer_count=Count("volunteers", distinct=True),
        )
        .order_by("name")
    )


def partner_for_clinic(clinic: Clinic, partner_id: int) -> Partner:
    partner = Partner.objects.filter(clinic=clinic, pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner")
    return partner


def resources_of_clinic(clinic: Clinic) -> QuerySet[Resource]:
    """The clinic's own resources, the soonest review first (overdue ones at the top)."""
    return (
        Resource.objects.filter(clinic=clinic)
        .select_related("partner", "owner")
        .order_by("next_review_due", "title")
    )


def resource_for_clinic(clinic: Clinic, resource_id: int) -> Resource:
    resource = (
        Resource.objects.filter(clinic=clinic, pk=resource_id).prefetch_related("cohorts").first()
    )
    if resource is None:
        raise Http404("No such resource")
    return resource


def meetings_of_clinic(clinic: Clinic) -> QuerySet[GroupMeeting]:
    """The clinic's partner meetings still to come, soonest first, with what each page row
    shows. Two queries (the meetings, their groups)."""
    return (
        GroupMeeting.objects.upcoming()
        .filter(clinic=clinic)
        .select_related("partner", "session", "session__place")
        .prefetch_related("cohorts")
    )


def meeting_for_clinic(clinic: Clinic, meeting_id: int) -> GroupMeeting:
    meeting = (
        GroupMeeting.objects.filter(clinic=clinic, pk=meeting_id)
        .select_related("partner", "session")
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def partner_volunteers_at(clinic: Clinic) -> QuerySet[User]:
    """People who may volunteer for the clinic's partners: its current peer supporters."""
    return clinic_staff_in_roles(clinic, PEER_SUPPORTERS)


def volunteers_of_clinic_partners(clinic: Clinic) -> QuerySet[User]:
    """The volunteers of the clinic's partners who are still its peer supporters: who may run a
    partner meeting in the waiting room."""
    return partner_volunteers_at(clinic).filter(partner_volunteering__clinic=clinic).distinct()


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


def current_resources_for_cohorts(
    cohort_ids: list[int], *, clinic_ids: list[int]
) -> list[ResourceCard]:
    """Current resources meant for any of these cohorts, from the shared library or one of these
    clinics (ADR 41), newest review first: the same for every woman in them, so read once an
    hour per set of cohorts and clinics, per day (a resource past its review date drops out at
    midnight) and per library generation, not once a page view."""
    if not cohort_ids:
        return []
    key = "resources:for-cohorts:{}:{}:{}:{}".format(
        library_generation(),
        service_today().isoformat(),
        ",".join(map(str, sorted(cohort_ids))),
        ",".join(map(str, sorted(clinic_ids))),
    )
    cards = cache.get(key)
    if cards is None:
        cards = [
            ResourceCard(*row)
            for row in Resource.objects.current()
            .for_clinics(clinic_ids)
            .filter(cohorts__in=cohort_ids)
            .distinct()
            .order_by("-last_reviewed", "title")
            .values_list("pk", "title", "url", "summary", "phone")
        ]
        cache.set(key, cards, timeout=CACHE_SECONDS)
    return cards
