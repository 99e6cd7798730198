"""Who reaches which home, and what each home shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import GroupMeeting, Partner
from sessions.models import SessionStatus
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    WaitingRoomSessionFactory,
)

pytestmark = pytest.mark.django_db

# persona → (status of GET /, where it redirects)
LANDING = {
    "coordinator": "/coordinator/",
    "other_coordinator": "/coordinator/",
    "facilitator": "/my-sessions/",
    "peer_supporter": "/my-sessions/",
    "member": "/me/",
}

# home → persona → expected status
HOME_ACCESS = {
    "coordinator_home": {
        "coordinator": 200,
        "other_coordinator": 200,
        "facilitator": 403,
        "peer_supporter": 403,
        "member": 403,
        "anonymous": 302,
    },
    "sessions_home": {
        "coordinator": 403,
        "other_coordinator": 403,
        "facilitator": 200,
        "peer_supporter": 200,
        "member": 403,
        "anonymous": 302,
    },
    "member_home": {
        "coordinator": 403,
        "other_coordinator": 403,
        "facilitator": 403,
        "peer_supporter": 403,
        "member": 200,
        "anonymous": 302,
    },
}


@pytest.mark.parametrize("persona", LANDING)
def test_it_sends_each_role_to_its_home(as_persona, persona):
    response = as_persona(persona).get("/")
    assert response.status_code == 302
    assert response.url == LANDING[persona]


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_tells_a_user_without_a_role_what_to_do(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(email="nobody@example.com"))
    response = client.get("/")
    assert response.status_code == 403
    assert b"ask your clinic coordinator" in response.content


@pytest.mark.parametrize(
    ("home", "persona", "status"),
    [(home, p, s) for home, row in HOME_ACCESS.items() for p, s in row.items()],
)
def test_home_access(as_persona, home, persona, status):
    response = as_persona(persona).get(reverse(home))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "other_coordinator", "facilitator", "peer_supporter", "member", "anonymous"],
)
def test_admin_is_for_superusers_only(as_persona, persona):
    response = as_persona(persona).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_admin_opens_for_a_superuser(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/waitingroom/patient/").status_code == 200


def _tomorrow(hour, minute=0):
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_coordinator_home_shows_her_clinic_days_and_sessions(
    client, coordinator, clinic, other_clinic
):
    cohort = CohortFactory(staff_name="Twins and multiples", clinics=[clinic])
    AppointmentFactory.create_batch(3, clinic=clinic, start=_tomorrow(10))
    AppointmentFactory(clinic=other_clinic, start=_tomorrow(11))
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=_tomorrow(9, 45))
    WaitingRoomSessionFactory(clinic=other_clinic, cohort=cohort, location="Elsewhere")
    client.force_login(coordinator)

    response = client.get(reverse("coordinator_home"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Riverside Antenatal Clinic" in body
    assert "Hillside" not in body
    assert "3 appointments" in body
    assert "Twins and multiples" in body
    assert "Elsewhere" not in body


def test_coordinator_home_has_an_empty_state(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("coordinator_home"))
    assert b"Import the clinic's appointment list" in response.content


def test_sessions_home_lists_only_her_sessions(client, facilitator, clinic):
    cohort = CohortFactory(clinics=[clinic])
    WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, facilitators=[facilitator], topic="Sleep"
    )
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, topic="Feeding")
    WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        facilitators=[facilitator],
        topic="Cancelled one",
        status=SessionStatus.CANCELLED,
    )
    client.force_login(facilitator)
    body = client.get(reverse("sessions_home")).content.decode()
    assert "Sleep" in body
    assert "Feeding" not in body
    assert "Cancelled one" not in body


def test_sessions_home_shows_peer_supporters_the_public_name_only(client, peer_supporter, clinic):
    cohort = CohortFactory(
        staff_name="BMI over 30", public_name="Healthy pregnancy group", clinics=[clinic]
    )
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, facilitators=[peer_supporter])
    client.force_login(peer_supporter)
    body = client.get(reverse("sessions_home")).content.decode()
    assert "Healthy pregnancy group" in body
    assert "BMI over 30" not in body


def test_sessions_home_has_an_empty_state(client, facilitator):
    client.force_login(facilitator)
    assert b"You have no sessions coming up" in client.get(reverse("sessions_home")).content


def test_member_home_shows_her_appointment_sessions_and_groups(client, member, clinic):
    patient = member.patient
    cohort = CohortFactory(public_name="Twins and more", clinics=[clinic])
    CohortMembershipFactory(cohort=cohort, patient=patient)
    AppointmentFactory(patient=patient, clinic=clinic, start=_tomorrow(10, 20))
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=_tomorrow(9, 45))
    other_cohort = CohortFactory(public_name="Not hers", clinics=[clinic])
    WaitingRoomSessionFactory(clinic=clinic, cohort=other_cohort, start=_tomorrow(9, 45))
    client.force_login(member)

    body = client.get(reverse("member_home")).content.decode()

    assert "10:20" in body
    assert "Twins and more" in body
    assert "Not hers" not in body


def test_member_home_has_empty_states(client, member):
    client.force_login(member)
    body = client.get(reverse("member_home")).content.decode()
    assert "You have no appointments booked" in body
    assert "You are not in any groups yet" in body


def _fill_clinic(clinic, n):
    cohort = CohortFactory(clinics=[clinic])
    for i in range(n):
        AppointmentFactory(clinic=clinic, start=_tomorrow(9) + dt.timedelta(days=i % 5))
        WaitingRoomSessionFactory(
            clinic=clinic, cohort=cohort, start=_tomorrow(9) + dt.timedelta(days=i % 5)
        )


@pytest.mark.parametrize("n", [1, 20])
def test_coordinator_home_query_count_does_not_grow(
    client, coordinator, clinic, django_assert_max_num_queries, n
):
    _fill_clinic(clinic, n)
    client.force_login(coordinator)
    # roles, clinics, day counts, sessions, urgent concerns, plus session/user/transaction
    with django_assert_max_num_queries(9):
        assert client.get(reverse("coordinator_home")).status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_sessions_home_query_count_does_not_grow(
    client, facilitator, clinic, django_assert_max_num_queries, n
):
    cohort = CohortFactory(clinics=[clinic])
    WaitingRoomSessionFactory.create_batch(
        n, clinic=clinic, cohort=cohort, facilitators=[facilitator]
    )
    client.force_login(facilitator)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("sessions_home")).status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_member_home_query_count_does_not_grow(
    client, member, clinic, django_assert_max_num_queries, n
):
    patient = member.patient
    for i in range(n):
        cohort = CohortFactory(clinics=[clinic])
        CohortMembershipFactory(cohort=cohort, patient=patient)
        AppointmentFactory(
            patient=patient, clinic=clinic, start=_tomorrow(10) + dt.timedelta(days=i)
        )
        session = WaitingRoomSessionFactory(
            clinic=clinic, cohort=cohort, start=_tomorrow(9, 45) + dt.timedelta(days=i)
        )
        # Partner meetings near her days (issue 12): one outside, one in the waiting room.
        partner = Partner.objects.create(clinic=clinic, name=f"Partner {i}")
        for kwargs in (
            {"place": "The café"},
            {
                "place": "Bay 3",
                "session": WaitingRoomSessionFactory(
                    clinic=clinic, cohort=cohort, start=_tomorrow(12) + dt.timedelta(days=i)
                ),
            },
        ):
            meeting = GroupMeeting.objects.create(
                clinic=clinic,
                partner=partner,
                title="Meet-up",
                starts_at=session.start + dt.timedelta(hours=2),
                **kwargs,
            )
            meeting.cohorts.set([cohort])
    client.force_login(member)
    # Cold cache: her cohorts' resource list is read once here, then cached (issue 14). Partner
    # meetings near her days (issue 12) take one query, and the clinics whose library she sees
    # one more (ADR 41), and her unfinished questionnaires one (sessions/feedback), however
    # many; her appointments are read once for the sessions and the meetings.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("member_home"))
    assert response.status_code == 200
    assert response.content.decode().count("<strong>Meet-up</strong>") == 2 * n
    with django_assert_max_num_queries(14):
        assert client.get(reverse("member_home")).status_code == 200


def test_a_superuser_without_a_clinic_role_is_sent_to_the_admin_site(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(email="owner@example.com", password="x-y-z-1")
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_staff_status_alone_does_not_send_anyone_to_the_admin_site(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user(email="staff@example.com", is_staff=True)
    )
    response = client.get("/")
    assert response.status_code == 403
    assert b"ask your clinic coordinator" in response.content


def test_a_signed_in_user_with_no_role_and_no_record_has_no_home(db):
    from tests.factories import UserFactory
    from waitroom.access import home_role

    assert home_role(UserFactory()) is None
