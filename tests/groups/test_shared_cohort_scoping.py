"""A cohort run by two clinics of two trusts: each clinic's staff see and act on only their own
women in it (issue 10, item 2). Women belong to the clinics they have appointments at."""

import pytest
from django.urls import reverse

from groups.models import CohortMembership, JoinRequest, JoinRequestStatus
from groups.services import thread_start
from tests.factories import CohortFactory, PatientFactory, StaffRoleFactory
from tests.members.builders import group_member
from waitroom.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(clinic, other_clinic):
    """Riverside's Chloe and Hillside's Dana, both in one cohort both clinics run."""
    assert clinic.organisation_id != other_clinic.organisation_id
    cohort = CohortFactory(public_name="Shared group", clinics=[clinic, other_clinic])
    chloe = group_member(cohort, display_name="ChloeRiverside", clinic=clinic)
    dana = group_member(cohort, display_name="DanaHillside", clinic=other_clinic)
    chloe_post = thread_start(
        membership=chloe.patient.cohort_memberships.get(),
        author=chloe,
        title="Riverside thread",
        body="Riverside words",
    ).posts.get()
    dana_post = thread_start(
        membership=dana.patient.cohort_memberships.get(),
        author=dana,
        title="Hillside thread",
        body="Hillside words",
    ).posts.get()
    other_cohort = CohortFactory(public_name="Another group", clinics=[clinic, other_clinic])
    chloe_asks = JoinRequest.objects.create(cohort=other_cohort, patient=chloe.patient)
    dana_asks = JoinRequest.objects.create(cohort=other_cohort, patient=dana.patient)
    return {
        "cohort": cohort,
        "chloe": chloe,
        "dana": dana,
        "chloe_post": chloe_post,
        "dana_post": dana_post,
        "chloe_asks": chloe_asks,
        "dana_asks": dana_asks,
    }


@pytest.fixture
def other_facilitator(other_clinic):
    return StaffRoleFactory(clinic=other_clinic, role=Role.FACILITATOR).user


def test_join_requests_list_only_her_own_clinics_women(client, shared, other_clinic, clinic):
    chloe = shared["chloe"].patient
    dana = shared["dana"].patient
    hillside = StaffRoleFactory(clinic=other_clinic, role=Role.COORDINATOR).user
    client.force_login(hillside)

    page = client.get(reverse("join_requests", args=[other_clinic.slug])).content.decode()

    assert dana.hospital_number in page
    assert chloe.hospital_number not in page
    assert chloe.family_name not in page
    audited = AuditEvent.objects.filter(clinic=other_clinic, patient_id__isnull=False)
    assert set(audited.values_list("patient_id", flat=True)) == {dana.pk}


def test_another_clinics_coordinator_cannot_decide_her_join_request(client, shared, other_clinic):
    hillside = StaffRoleFactory(clinic=other_clinic, role=Role.COORDINATOR).user
    client.force_login(hillside)
    chloe_asks = shared["chloe_asks"]

    response = client.post(
        reverse("join_request_decide", args=[other_clinic.slug, chloe_asks.pk]),
        {"decision": "refuse"},
    )

    assert response.status_code == 404
    chloe_asks.refresh_from_db()
    assert chloe_asks.status == JoinRequestStatus.PENDING


def test_her_own_clinics_coordinator_still_decides_it(client, shared, clinic, coordinator):
    client.force_login(coordinator)
    chloe_asks = shared["chloe_asks"]
    response = client.post(
        reverse("join_request_decide", args=[clinic.slug, chloe_asks.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    chloe_asks.refresh_from_db()
    assert chloe_asks.status == JoinRequestStatus.APPROVED


def test_moderation_queue_shows_only_her_own_clinics_womens_posts(
    client, shared, other_clinic, other_facilitator
):
    client.force_login(other_facilitator)
    page = client.get(reverse("moderation_queue", args=[other_clinic.slug])).content.decode()
    assert "Hillside words" in page
    assert "Riverside words" not in page
    assert "ChloeRiverside" not in page


def test_another_clinics_facilitator_cannot_open_hide_or_suspend_through_her_post(
    client, shared, other_clinic, other_facilitator
):
    client.force_login(other_facilitator)
    chloe_post = shared["chloe_post"]
    url = reverse("moderation_post", args=[other_clinic.slug, chloe_post.pk])

    assert client.get(url).status_code == 404
    for action in ("hide", "suspend"):
        response = client.post(url, {"action": action, "reason": "Not from here"})
        assert response.status_code == 404

    chloe_post.refresh_from_db()
    assert chloe_post.hidden_at is None
    membership = CohortMembership.objects.get(patient=shared["chloe"].patient)
    assert membership.suspended_at is None
    assert not AuditEvent.objects.filter(clinic=other_clinic).exists()


def test_a_clinics_facilitator_still_moderates_her_own_womans_post_in_the_shared_group(
    client, shared, clinic, facilitator
):
    client.force_login(facilitator)
    dana_url = reverse("moderation_post", args=[clinic.slug, shared["dana_post"].pk])
    assert client.get(dana_url).status_code == 404
    url = reverse("moderation_post", args=[clinic.slug, shared["chloe_post"].pk])
    response = client.post(url, {"action": "suspend", "reason": "Repeated unkind posts"})
    assert response.status_code == 302
    membership = CohortMembership.objects.get(patient=shared["chloe"].patient)
    assert membership.suspended_at is not None


def test_a_woman_with_appointments_at_both_clinics_is_both_clinics_woman(
    client, shared, clinic, other_clinic
):
    from tests.factories import AppointmentFactory

    chloe = shared["chloe"].patient
    AppointmentFactory(patient=chloe, clinic=other_clinic)
    hillside = StaffRoleFactory(clinic=other_clinic, role=Role.COORDINATOR).user
    client.force_login(hillside)
    page = client.get(reverse("join_requests", args=[other_clinic.slug])).content.decode()
    assert chloe.hospital_number in page


def test_a_patient_without_appointments_belongs_to_no_clinic(clinic):
    from sessions.models import Patient

    PatientFactory(organisation=clinic.organisation)
    assert not Patient.objects.of_clinic(clinic.pk).exists()
