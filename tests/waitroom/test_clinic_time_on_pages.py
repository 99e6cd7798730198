"""A clinic's times read on its own wall clock on every page, wherever the server is.

The server's zone is Europe/London (settings.TIME_ZONE); this clinic is in India (UTC+5:30, no
summer time), so a session at 10:00 there is 04:30 in London and a page in the wrong zone shows
it plainly (waitroom/templatetags/clinic_time.py).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from sessions.invitations.models import InvitationState
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    PatientFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.members.builders import invitation_for, link
from waitroom.models import Role

pytestmark = pytest.mark.django_db

KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def kolkata():
    return ClinicFactory(name="Kolkata Antenatal Clinic", slug="kolkata", timezone="Asia/Kolkata")


@pytest.fixture
def day(kolkata):
    return kolkata.today() + dt.timedelta(days=3)


@pytest.fixture
def staff(kolkata):
    return {
        role: StaffRoleFactory(clinic=kolkata, role=role).user
        for role in (Role.COORDINATOR, Role.FACILITATOR)
    }


@pytest.fixture
def invitation(kolkata, day, staff):
    """Her invitation to a session 10:00 to 10:45 at the clinic, for her 10:35 appointment."""
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=KOLKATA)
    patient = PatientFactory(organisation=kolkata.organisation, user=UserFactory())
    invitation = invitation_for(
        kolkata,
        patient=patient,
        start=start,
        state=InvitationState.ACCEPTED,
        facilitators=[staff[Role.FACILITATOR]],
    )
    assert invitation.appointment.start == start + dt.timedelta(minutes=35)
    return invitation


def london_clock(moment: dt.datetime) -> str:
    return f"{moment.astimezone(LONDON):%H:%M}"


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_coordinators_pages_show_the_session_at_the_clinics_time(
    client, kolkata, day, staff, invitation
):
    session = invitation.session
    AppointmentFactory(clinic=kolkata, start=session.start + dt.timedelta(minutes=5))
    coordinator = staff[Role.COORDINATOR]
    urls = [
        reverse("clinic_day", args=[kolkata.slug, day]),
        reverse("clinic_sessions", args=[kolkata.slug]),
        reverse("session_detail", args=[kolkata.slug, session.pk]),
        reverse("coordinator_home"),
    ]
    for url in urls:
        body = page(client, coordinator, url)
        assert "10:00" in body and "10:45" in body, url
        assert london_clock(session.start) not in body, url


def test_the_run_sheet_and_its_poll_show_her_check_in_at_the_clinics_time(
    client, kolkata, staff, invitation
):
    session = invitation.session
    checked_in = session.start + dt.timedelta(minutes=5)
    Attendance.objects.create(
        session=session,
        patient=invitation.patient,
        status=AttendanceStatus.ATTENDED,
        method=CheckInMethod.QR_CODE,
        checked_in_at=checked_in,
    )
    facilitator = staff[Role.FACILITATOR]

    sheet = page(client, facilitator, reverse("run_sheet", args=[kolkata.slug, session.pk]))
    poll = page(client, facilitator, reverse("run_sheet_women", args=[kolkata.slug, session.pk]))
    home = page(client, facilitator, reverse("sessions_home"))

    assert "10:00 to 10:45" in sheet
    assert "in at 10:05" in sheet and "in at 10:05" in poll
    assert "10:00–10:45" in home
    for body in (sheet, poll, home):
        assert london_clock(session.start) not in body
        assert london_clock(checked_in) not in body


def test_her_invitation_page_and_home_show_the_clinics_time(client, invitation):
    answer = client.get(link(invitation)).content.decode()
    assert "The group runs 10:00–10:45; you will still be called for your 10:35 appointment" in (
        answer
    )

    home = page(client, invitation.patient.user, reverse("member_home"))
    assert "at 10:35, Kolkata Antenatal Clinic" in home  # her next appointment
    assert "10:00–10:45" in home  # the session she is going to
    for body in (answer, home):
        assert london_clock(invitation.session.start) not in body
        assert london_clock(invitation.appointment.start) not in body


def test_the_presenter_uses_the_clinics_zone_and_leaves_other_pages_alone(kolkata):
    moment = dt.datetime(2030, 12, 3, 4, 30, tzinfo=dt.UTC)
    template = Template(
        '{% load clinic_time %}{{ moment|clinic_time:clinic|time:"H:i" }} '
        '{% clinic_zone clinic %}{{ moment|time:"H:i" }}{% endclinic_zone %} '
        '{% clinic_zone nothing %}{{ moment|time:"H:i" }}{% endclinic_zone %}'
    )
    assert template.render(Context({"moment": moment, "clinic": kolkata})) == "10:00 10:00 04:30"
