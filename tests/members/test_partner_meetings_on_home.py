"""Her home shows partner meetings for her groups on or near her appointment days, at the
clinics she comes to, in the clinic's time (issue 12)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import GroupMeeting, Partner
from sessions.models import SessionStatus
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    CohortMembershipFactory,
    WaitingRoomSessionFactory,
)

pytestmark = pytest.mark.django_db


def wall(clinic, days: int, hour: int, minute: int = 0) -> dt.datetime:
    """`days` from the clinic's today at hour:minute on the clinic's wall clock."""
    day = clinic.today() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic.zone)


def meeting(clinic, cohort, starts_at, *, partner="Twins Trust", place="the café", **kw):
    partner, _ = Partner.objects.get_or_create(clinic=clinic, name=partner)
    m = GroupMeeting.objects.create(
        clinic=clinic,
        partner=partner,
        title=f"{partner.name} meet-up",
        starts_at=starts_at,
        place=place,
        **kw,
    )
    m.cohorts.set([cohort])
    return m


@pytest.fixture
def her(member, clinic):
    cohort = CohortFactory(clinics=[clinic], public_name="Twins and more group")
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    appointment = AppointmentFactory(
        patient=member.patient, clinic=clinic, start=wall(clinic, 3, 10, 20)
    )
    return member, cohort, appointment


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("member_home")).content.decode()


def test_a_meeting_after_her_appointment_is_shown_in_the_clinics_words_and_time(
    client, clinic, her
):
    user, cohort, appointment = her
    meeting(clinic, cohort, wall(clinic, 3, 11, 30))
    day = clinic.local(appointment.start)
    body = home(client, user)
    assert (
        f"After your appointment on {day:%A} {day.day} {day:%B}, Twins Trust meet at 11:30: "
        "the café." in body
    )


def test_the_time_is_the_clinics_wall_clock_not_the_servers(client, member):
    """A clinic an hour ahead of the server's zone: her 10:00 and the meeting's 11:30 are its
    wall clock's."""
    paris = ClinicFactory(timezone="Europe/Paris")
    cohort = CohortFactory(clinics=[paris])
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    AppointmentFactory(patient=member.patient, clinic=paris, start=wall(paris, 2, 10))
    meeting(paris, cohort, wall(paris, 2, 11, 30))
    assert "meet at 11:30" in home(client, member)


def test_a_meeting_the_day_before_her_appointment_is_shown(client, clinic, her):
    user, cohort, _ = her
    meeting(clinic, cohort, wall(clinic, 2, 18))
    assert "The day before your appointment on" in home(client, user)


def test_meetings_far_from_her_days_of_other_groups_or_other_clinics_are_not_shown(
    client, clinic, other_clinic, her
):
    user, cohort, _ = her
    other_group = CohortFactory(clinics=[clinic])
    shared = CohortFactory(clinics=[clinic, other_clinic])
    CohortMembershipFactory(cohort=shared, patient=user.patient)
    meeting(clinic, cohort, wall(clinic, 6, 11), partner="Far away")
    meeting(clinic, other_group, wall(clinic, 3, 11), partner="Other group")
    meeting(other_clinic, shared, wall(other_clinic, 3, 11), partner="Hillside partner")
    meeting(clinic, cohort, timezone.now() - dt.timedelta(hours=1), partner="Already over")
    body = home(client, user)
    for name in ("Far away", "Other group", "Hillside partner", "Already over"):
        assert name not in body
    assert "When a partner organisation" in body  # the empty state


def test_a_waiting_room_meeting_shows_once_published_and_in_the_waiting_room(client, clinic, her):
    user, cohort, _ = her
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=wall(clinic, 3, 9),
        status=SessionStatus.DRAFT,
        location="Bay 4",
    )
    meeting(clinic, cohort, session.start, partner="NCT", place=session.location, session=session)
    assert "NCT meet" not in home(client, user)
    session.status = SessionStatus.PUBLISHED
    session.save(update_fields=["status"])
    body = home(client, user)
    assert "Before your appointment on" in body
    assert "NCT meet at 09:00: in the waiting room, Bay 4." in body
    # Listed once: not again among the other groups on her appointment days.
    assert body.count("Bay 4") == 1
