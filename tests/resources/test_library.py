import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import GroupMeeting, Resource, Signposting
from resources.selectors import meetings_for_cohort, resource_search
from sessions.facilitation.services import attendance_check_in
from tests.factories import (
    CohortFactory,
    PartnerFactory,
    ResourceFactory,
    WaitingRoomSessionFactory,
)
from tests.members.builders import running_now

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def past_review(**kwargs):
    return ResourceFactory(
        last_reviewed=TODAY() - dt.timedelta(days=400),
        next_review_due=TODAY() - dt.timedelta(days=1),
        **kwargs,
    )


def test_resources_past_review_are_not_current():
    fresh = ResourceFactory()
    past_review()
    assert list(Resource.objects.current()) == [fresh]


def test_search_filters_by_cohort_kind_and_language():
    twins = CohortFactory()
    for_twins = ResourceFactory(
        title="Twins Trust line", kind=Resource.Kind.HELPLINE, phone="0800 000", languages="en,pl"
    )
    for_twins.cohorts.add(twins)
    general = ResourceFactory(title="Feeding leaflet", kind=Resource.Kind.LEAFLET, languages="en")
    other = ResourceFactory(title="Other group only", languages="pl")
    other.cohorts.add(CohortFactory())
    assert set(resource_search(cohort=twins)) == {for_twins, general}
    assert list(resource_search(kind=Resource.Kind.HELPLINE)) == [for_twins]
    assert set(resource_search(language="pl")) == {for_twins, other}
    assert list(resource_search(text="feeding")) == [general]
    # "p" is not a language code on its own: whole codes only.
    assert list(resource_search(language="p")) == []


def test_the_library_page_searches_for_staff(as_persona, clinic, django_assert_max_num_queries):
    for n in range(6):
        ResourceFactory(title=f"Leaflet {n}", kind=Resource.Kind.LEAFLET)
    ResourceFactory(title="Helpline", kind=Resource.Kind.HELPLINE, phone="0800 1")
    past_review(title="Old page")
    client = as_persona("peer_supporter")
    client.get(reverse("resource_library"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("resource_library"), {"kind": "helpline"})
    page = response.content.decode()
    assert "Helpline" in page and "Leaflet 1" not in page and "Old page" not in page


@pytest.mark.parametrize(
    ("persona", "library", "review"),
    [
        ("coordinator", 200, 200),
        ("other_coordinator", 200, 200),
        ("facilitator", 200, 403),
        ("peer_supporter", 200, 403),
        ("member", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_resource_pages_by_persona(as_persona, persona, library, review):
    client = as_persona(persona)
    assert client.get(reverse("resource_library")).status_code == library
    assert client.get(reverse("resources_due_for_review")).status_code == review


def test_due_for_review_lists_past_and_soon_due_and_review_restores_it(
    as_persona, coordinator, django_assert_max_num_queries
):
    old = past_review(title="Old page")
    ResourceFactory(title="Reviewed lately")
    client = as_persona("coordinator")
    client.get(reverse("resources_due_for_review"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("resources_due_for_review")).content.decode()
    assert "Old page" in page and "Reviewed lately" not in page
    client.post(reverse("resource_review", args=[old.pk]))
    old.refresh_from_db()
    assert old.last_reviewed == TODAY() and old in Resource.objects.current()
    assert old.owner == coordinator


def test_meetings_for_cohort_lists_upcoming_meetings_of_that_cohort():
    cohort = CohortFactory()
    partner = PartnerFactory()
    soon = GroupMeeting.objects.create(
        partner=partner,
        title="Twins coffee morning",
        place="Library",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    soon.cohorts.add(cohort)
    gone = GroupMeeting.objects.create(
        partner=partner,
        title="Last month",
        url="https://example.org/",
        starts_at=timezone.now() - dt.timedelta(days=30),
    )
    gone.cohorts.add(cohort)
    GroupMeeting.objects.create(
        partner=partner,
        title="Other cohort",
        place="Hall",
        starts_at=timezone.now() + dt.timedelta(days=3),
    ).cohorts.add(CohortFactory())
    assert list(meetings_for_cohort(cohort, clinic_ids=[])) == [soon]


def test_members_see_what_was_signposted_at_their_group_but_not_past_review(
    as_persona, member, clinic
):
    start, end = running_now()
    session = WaitingRoomSessionFactory(clinic=clinic, start=start, end=end)
    attendance_check_in(session=session, patient=member.patient)
    fresh = ResourceFactory(title="Feeding helpline")
    stale = past_review(title="Stale leaflet")
    for resource in (fresh, stale):
        Signposting.objects.create(session=session, resource=resource)
    elsewhere = WaitingRoomSessionFactory(clinic=clinic)
    Signposting.objects.create(session=elsewhere, resource=ResourceFactory(title="Not hers"))
    page = as_persona("member").get(reverse("my_resources")).content.decode()
    assert "Feeding helpline" in page and "Last reviewed" in page
    assert "From your group on" in page
    assert "Stale leaflet" not in page and "Not hers" not in page
