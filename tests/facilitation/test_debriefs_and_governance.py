import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import Debrief, PeerSupporterRecord
from sessions.facilitation.selectors import peer_supporter_standing
from sessions.facilitation.services import peer_supporter_assignment_problem
from tests.factories import StaffRoleFactory, WaitingRoomSessionFactory
from waitroom.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def test_a_peer_supporter_logs_a_debrief_and_the_named_professional_confirms_it(
    as_persona, session, facilitator, coordinator, client
):
    url = reverse("debrief_create", args=[session.clinic.slug, session.pk])
    as_persona("peer_supporter").post(
        url, {"professional": facilitator.pk, "went_well": "Good chat", "was_hard": "Noise"}
    )
    debrief = Debrief.objects.get()
    assert debrief.professional == facilitator and debrief.confirmed_at is None
    detail = reverse("debrief_detail", args=[session.clinic.slug, debrief.pk])

    client.force_login(coordinator)  # not the named professional
    assert client.post(detail).status_code == 403
    debrief.refresh_from_db()
    assert debrief.confirmed_at is None

    client.force_login(facilitator)
    client.post(detail)
    debrief.refresh_from_db()
    assert debrief.confirmed_at is not None
    assert list(
        AuditEvent.objects.filter(object_type="facilitation.debrief")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["create", "change"]


def test_a_debrief_waits_on_the_professionals_list(
    as_persona, session, facilitator, peer_supporter
):
    Debrief.objects.create(
        session=session, peer_supporter=peer_supporter, professional=facilitator, went_well="ok"
    )
    page = as_persona("facilitator").get(reverse("debriefs_to_confirm")).content.decode()
    assert "Debriefs to confirm" in page and "No debriefs are waiting" not in page


def test_a_debrief_is_read_only_by_its_peer_supporter_its_professional_and_coordinators(
    client, session, clinic, peer_supporter, facilitator, coordinator
):
    debrief = Debrief.objects.create(
        session=session, peer_supporter=peer_supporter, professional=facilitator, went_well="ok"
    )
    url = reverse("debrief_detail", args=[clinic.slug, debrief.pk])
    another_facilitator = StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR).user
    another_peer_supporter = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER).user
    for outsider in (another_facilitator, another_peer_supporter):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    for reader in (peer_supporter, facilitator, coordinator):
        client.force_login(reader)
        assert client.get(url).status_code == 200


def test_only_peer_supporters_log_debriefs(as_persona, session):
    url = reverse("debrief_create", args=[session.clinic.slug, session.pk])
    assert as_persona("facilitator").get(url).status_code == 403
    assert as_persona("other_coordinator").get(url).status_code == 403
    assert as_persona("peer_supporter").get(url).status_code == 200


def test_assignment_is_refused_without_training(peer_supporter, clinic):
    problem = peer_supporter_assignment_problem(peer_supporter, clinic, timezone.localdate())
    assert "has not completed peer supporter training" in problem


def test_assignment_is_refused_when_the_dbs_check_has_expired(peer_supporter, clinic, trained):
    trained.dbs_expires_on = timezone.localdate() + dt.timedelta(days=10)
    trained.save()
    on = timezone.localdate() + dt.timedelta(days=11)
    assert "DBS check expired on" in peer_supporter_assignment_problem(peer_supporter, clinic, on)
    assert peer_supporter_assignment_problem(peer_supporter, clinic, timezone.localdate()) is None


def test_professionals_are_not_checked(facilitator, clinic):
    assert peer_supporter_assignment_problem(facilitator, clinic, timezone.localdate()) is None


def test_coordinators_see_renewals_due_and_debriefs_overdue(
    as_persona, clinic, cohort, peer_supporter, trained, django_assert_max_num_queries
):
    trained.dbs_expires_on = timezone.localdate() + dt.timedelta(days=20)
    trained.save()
    long_ago = timezone.now() - dt.timedelta(days=10)
    WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=long_ago,
        end=long_ago + dt.timedelta(minutes=45),
        facilitators=[peer_supporter],
    )
    standing = peer_supporter_standing(clinic)[0]
    assert standing.problems == ["DBS check due for renewal"]
    assert standing.sessions_without_debrief == 1
    client = as_persona("coordinator")
    client.get(reverse("peer_supporters", args=[clinic.slug]))  # starts the session
    with django_assert_max_num_queries(10):
        page = client.get(reverse("peer_supporters", args=[clinic.slug]))
    text = page.content.decode()
    assert "DBS check due for renewal" in text and "Debrief overdue" in text


def test_a_coordinator_records_training_and_dbs_dates(as_persona, clinic, peer_supporter):
    url = reverse("peer_supporter_edit", args=[clinic.slug, peer_supporter.pk])
    as_persona("coordinator").post(
        url,
        {
            "training_completed_on_day": "1",
            "training_completed_on_month": "3",
            "training_completed_on_year": "2026",
            "dbs_checked_on_day": "2",
            "dbs_checked_on_month": "3",
            "dbs_checked_on_year": "2026",
            "dbs_expires_on_day": "2",
            "dbs_expires_on_month": "3",
            "dbs_expires_on_year": "2029",
        },
    )
    record = PeerSupporterRecord.objects.get(user=peer_supporter)
    assert record.dbs_expires_on == dt.date(2029, 3, 2)


def test_a_dbs_expiry_before_the_check_is_refused(as_persona, clinic, peer_supporter):
    url = reverse("peer_supporter_edit", args=[clinic.slug, peer_supporter.pk])
    response = as_persona("coordinator").post(
        url,
        {
            "dbs_checked_on_day": "2",
            "dbs_checked_on_month": "3",
            "dbs_checked_on_year": "2026",
            "dbs_expires_on_day": "1",
            "dbs_expires_on_month": "3",
            "dbs_expires_on_year": "2026",
        },
    )
    assert "The expiry date must be after the DBS check date" in response.content.decode()
    assert not PeerSupporterRecord.objects.exists()
