"""A clinic's coordinators manage its partners, its own resources (with review dates) and
partner meetings (issue 12, ADR 0041). Who may reach each page is in the access matrix; these
test what the pages do."""

import datetime as dt

import pytest
from django.urls import reverse

from resources.models import GroupMeeting, Partner, Resource
from sessions.partners.services import PartnerChangeRefused, partner_create
from tests.factories import CohortFactory, ResourceFactory, StaffRoleFactory
from waitroom.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def url(name, clinic, **kwargs):
    return reverse(name, kwargs={"clinic_slug": clinic.slug, **kwargs})


def review_dates(last: dt.date, due: dt.date) -> dict:
    return {
        "last_reviewed_day": str(last.day),
        "last_reviewed_month": str(last.month),
        "last_reviewed_year": str(last.year),
        "next_review_due_day": str(due.day),
        "next_review_due_month": str(due.month),
        "next_review_due_year": str(due.year),
    }


def test_a_coordinator_adds_a_partner_with_a_volunteer_and_it_is_audited(
    client, coordinator, clinic, peer_supporter
):
    client.force_login(coordinator)
    page = client.get(url("partner_create", clinic)).content.decode()
    assert 'name="volunteers"' in page
    response = client.post(
        url("partner_create", clinic),
        {"name": " Twins  Trust ", "offer": "Coffee mornings", "volunteers": [peer_supporter.pk]},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(clinic=clinic)
    assert partner.name == "Twins Trust"
    assert list(partner.volunteers.all()) == [peer_supporter]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, clinic=clinic, object_id=str(partner.pk)
    ).exists()


def test_only_the_clinics_peer_supporters_can_be_volunteers(
    client, coordinator, clinic, other_clinic, facilitator, peer_supporter
):
    elsewhere = StaffRoleFactory(clinic=other_clinic, role=Role.PEER_SUPPORTER).user
    client.force_login(coordinator)
    for person in (facilitator, elsewhere):
        response = client.post(
            url("partner_create", clinic), {"name": "NCT", "volunteers": [person.pk]}
        )
        assert response.status_code == 200
        assert "Choose peer supporters who work at this clinic" in response.content.decode()
    assert not Partner.objects.exists()
    # The service refuses too, whoever calls it.
    with pytest.raises(PartnerChangeRefused):
        partner_create(clinic=clinic, name="NCT", volunteers=[facilitator], by=coordinator)


def test_a_second_partner_of_the_same_name_gets_an_error_summary(client, coordinator, clinic):
    Partner.objects.create(clinic=clinic, name="Sands")
    client.force_login(coordinator)
    response = client.post(url("partner_create", clinic), {"name": "sands"})
    body = response.content.decode()
    assert "<title>Error: " in body
    assert 'href="#id_name">This clinic already has a partner with that name</a>' in body


def test_another_clinic_may_have_a_partner_of_the_same_name(client, coordinator, clinic):
    Partner.objects.create(name="Sands")  # shared, kept in the admin
    client.force_login(coordinator)
    assert client.post(url("partner_create", clinic), {"name": "Sands"}).status_code == 302


def test_the_lists_say_what_to_do_when_empty(client, coordinator, clinic):
    client.force_login(coordinator)
    assert (
        "This clinic has no partners yet"
        in client.get(url("partner_list", clinic)).content.decode()
    )
    assert "has no resources of its own yet" in (
        client.get(url("clinic_resource_list", clinic)).content.decode()
    )
    assert "No partner meetings are coming up" in (
        client.get(url("partner_meeting_list", clinic)).content.decode()
    )


def test_a_coordinator_adds_a_resource_with_its_review_dates(client, coordinator, clinic):
    twins = CohortFactory(clinics=[clinic])
    partner = Partner.objects.create(clinic=clinic, name="Twins Trust")
    today = clinic.today()
    client.force_login(coordinator)
    response = client.post(
        url("clinic_resource_create", clinic),
        {
            "title": "Feeding twins",
            "summary": "A guide.",
            "kind": "leaflet",
            "url": "https://twinstrust.org/feeding",
            "partner": partner.pk,
            "cohorts": [twins.pk],
            "languages": "en",
            **review_dates(today, today + dt.timedelta(days=180)),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(clinic=clinic)
    assert (resource.partner, list(resource.cohorts.all())) == (partner, [twins])
    assert resource.next_review_due == today + dt.timedelta(days=180)
    assert resource.owner == coordinator
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, clinic=clinic, object_id=str(resource.pk)
    ).exists()


def test_a_review_due_before_the_last_review_or_no_link_gets_errors(client, coordinator, clinic):
    today = clinic.today()
    client.force_login(coordinator)
    response = client.post(
        url("clinic_resource_create", clinic),
        {
            "title": "Feeding twins",
            "summary": "A guide.",
            "kind": "leaflet",
            "languages": "en",
            **review_dates(today, today - dt.timedelta(days=1)),
        },
    )
    body = response.content.decode()
    assert "The next review must be after the last review" in body
    assert 'href="#id_url">Enter a link or a phone number</a>' in body
    assert 'href="#id_next_review_due_0">' in body
    assert not Resource.objects.exists()


def test_overdue_reviews_come_first_and_are_flagged_as_hidden_from_women(
    client, coordinator, clinic, django_assert_max_num_queries
):
    today = clinic.today()
    ResourceFactory(clinic=clinic, title="Fine", next_review_due=today + dt.timedelta(days=200))
    ResourceFactory(
        clinic=clinic,
        title="Overdue",
        last_reviewed=today - dt.timedelta(days=400),
        next_review_due=today - dt.timedelta(days=2),
    )
    ResourceFactory(clinic=clinic, title="Soon", next_review_due=today + dt.timedelta(days=10))
    ResourceFactory(title="Shared library item")
    client.force_login(coordinator)
    body = client.get(url("clinic_resource_list", clinic)).content.decode()
    assert body.index("Overdue") < body.index("Soon") < body.index("Fine")
    assert body.count("Review overdue: hidden from women") == 1
    assert body.count("Review due soon") == 1
    assert "Shared library item" not in body
    assert not Resource.objects.current().filter(title="Overdue").exists()


def test_a_coordinator_records_a_review_by_editing_the_dates(client, coordinator, clinic):
    today = clinic.today()
    resource = ResourceFactory(
        clinic=clinic,
        title="Overdue",
        last_reviewed=today - dt.timedelta(days=400),
        next_review_due=today - dt.timedelta(days=2),
    )
    client.force_login(coordinator)
    response = client.post(
        url("clinic_resource_edit", clinic, resource_id=resource.pk),
        {
            "title": "Overdue",
            "summary": "Checked.",
            "kind": "web_page",
            "url": "https://example.org/help",
            "languages": "en",
            **review_dates(today, today + dt.timedelta(days=365)),
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.last_reviewed == today
    assert Resource.objects.current().filter(pk=resource.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGE, clinic=clinic, object_id=str(resource.pk)
    ).exists()


@pytest.mark.parametrize("n", [1, 15])
def test_the_lists_query_count_does_not_grow(
    client, coordinator, clinic, django_assert_max_num_queries, n
):
    cohort = CohortFactory(clinics=[clinic])
    for i in range(n):
        partner = Partner.objects.create(clinic=clinic, name=f"Partner {i}")
        ResourceFactory(clinic=clinic, partner=partner)
        meeting = GroupMeeting.objects.create(
            clinic=clinic,
            partner=partner,
            title=f"Meeting {i}",
            starts_at=dt.datetime.combine(
                clinic.today() + dt.timedelta(days=2 + i), dt.time(11), tzinfo=clinic.zone
            ),
            place="The café",
        )
        meeting.cohorts.set([cohort])
    client.force_login(coordinator)
    # Each: the request's fixed cost (session, user, her roles, the clinic and the like), then
    # one list query (two for the meetings: the meetings and their groups), for 1 or 15 rows.
    for name, queries in (
        ("partner_list", 7),
        ("clinic_resource_list", 7),
        ("partner_meeting_list", 8),
    ):
        with django_assert_max_num_queries(queries):
            assert client.get(url(name, clinic)).status_code == 200
