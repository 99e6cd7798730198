"""Check-in and attendance are open only from 30 minutes before a session starts until it ends:
one rule (WaitingRoomSession.check_in_refusal) for the member's check-in, the facilitator's
attendance buttons and every page that offers either."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import Attendance, AttendanceStatus
from sessions.facilitation.selectors import run_sheet_version
from sessions.facilitation.services import FacilitationError, attendance_check_in
from sessions.models import SessionStatus
from tests.artefacts import form_action_of, qr_target, site_path
from tests.factories import CohortMembershipFactory, WaitingRoomSessionFactory
from tests.members.builders import invitation_for, link
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def tomorrow_session(clinic):
    return WaitingRoomSessionFactory(clinic=clinic)  # tomorrow 09:45 to 10:30


def test_the_window_opens_30_minutes_before_the_start_and_closes_at_the_end(tomorrow_session):
    session = tomorrow_session
    opens = session.start - dt.timedelta(minutes=30)
    assert session.check_in_opens_at == opens
    assert not session.check_in_open(opens - SECOND)
    assert session.check_in_open(opens)
    assert session.check_in_open(session.start)
    assert session.check_in_open(session.end)
    assert not session.check_in_open(session.end + SECOND)


def test_the_refusal_says_when_check_in_opens_and_when_it_closed(tomorrow_session):
    session = tomorrow_session
    same_day = session.start - dt.timedelta(minutes=31)
    assert session.check_in_refusal(same_day) == (
        "Check-in opens at 09:15, 30 minutes before the group starts."
    )
    day_before = session.start - dt.timedelta(days=1)
    opens = timezone.localtime(session.start).date()
    assert session.check_in_refusal(day_before) == (
        f"This group is not running today. Check-in opens at 09:15 on {opens:%A} {opens.day} "
        f"{opens:%B}, 30 minutes before it starts."
    )
    assert session.check_in_refusal(session.end + SECOND) == (
        "This group has finished: check-in closed when it ended at 10:30."
    )
    assert session.check_in_window_text == (
        "from 30 minutes before the start (09:15) until the session ends (10:30)"
    )


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (SessionStatus.DRAFT, "This group has not been published yet, so nobody can check in."),
        (SessionStatus.CANCELLED, "This group has been cancelled, so nobody can check in."),
        (SessionStatus.COMPLETED, "This group has finished, so check-in has closed."),
    ],
)
def test_a_session_that_is_not_running_refuses_check_in_even_inside_its_hours(
    clinic, status, refusal
):
    now = timezone.now()
    session = WaitingRoomSessionFactory(
        clinic=clinic, start=now, end=now + dt.timedelta(minutes=45), status=status
    )
    assert session.check_in_refusal(now) == refusal
    assert not session.check_in_open(now)


def test_the_check_in_service_refuses_a_session_days_away(tomorrow_session, expect_woman):
    woman = expect_woman(tomorrow_session)
    with pytest.raises(FacilitationError, match="not running today"):
        attendance_check_in(session=tomorrow_session, patient=woman)
    assert not Attendance.objects.exists()


def test_the_facilitator_cannot_mark_attendance_before_the_window_and_is_told_why(
    as_persona, tomorrow_session, expect_woman, facilitator
):
    tomorrow_session.facilitators.add(facilitator)
    woman = expect_woman(tomorrow_session)
    before = AuditEvent.objects.count()
    url = reverse(
        "attendance_mark", args=[tomorrow_session.clinic.slug, tomorrow_session.pk, woman.pk]
    )
    response = as_persona("facilitator").post(
        url, {"status": AttendanceStatus.ATTENDED}, follow=True
    )
    assert not Attendance.objects.exists()
    assert "This group is not running today. Check-in opens at 09:15" in response.content.decode()
    assert not AuditEvent.objects.filter(action="change").exclude(pk__lte=before).exists()


def test_the_facilitator_can_mark_attendance_inside_the_window(as_persona, session, expect_woman):
    woman = expect_woman(session)  # `session` started ten minutes ago
    url = reverse("attendance_mark", args=[session.clinic.slug, session.pk, woman.pk])
    as_persona("facilitator").post(url, {"status": AttendanceStatus.ATTENDED})
    assert Attendance.objects.get(patient=woman).status == AttendanceStatus.ATTENDED


def test_the_run_sheet_says_the_window_and_offers_no_buttons_outside_it(
    as_persona, tomorrow_session, expect_woman, facilitator
):
    tomorrow_session.facilitators.add(facilitator)
    expect_woman(tomorrow_session)
    url = reverse("run_sheet", args=[tomorrow_session.clinic.slug, tomorrow_session.pk])
    page = as_persona("facilitator").get(url).content.decode()
    assert "from 30 minutes before the start (09:15) until the session ends (10:30)" in page
    assert 'name="status"' not in page


def _starting_in(clinic, member, minutes: int):
    now = timezone.now()
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        start=now + dt.timedelta(minutes=minutes),
        end=now + dt.timedelta(minutes=minutes + 45),
    )
    CohortMembershipFactory(cohort=session.cohort, patient=member.patient)
    return session


@pytest.fixture
def scanned(clinic, peer_supporter) -> str:
    """Where her phone camera takes her from the waiting-room poster's QR code."""
    staff = Client()
    staff.force_login(peer_supporter)
    return site_path(qr_target(staff.get(reverse("checkin_poster", args=[clinic.slug]))))


def test_a_member_cannot_check_in_31_minutes_before_the_start(client, clinic, member, scanned):
    if timezone.localtime().hour == 23:
        pytest.skip("the session would start tomorrow")
    session = _starting_in(clinic, member, 31)
    client.force_login(member)
    page = client.get(scanned).content.decode()
    assert "you can check in from 30 minutes before the start" in page
    assert "Check in to" not in page  # no button yet
    # A stale page or a typed address must be refused by the server too.
    url = reverse("checkin_session", args=[clinic.checkin_code, session.pk])
    response = client.post(url, follow=True)
    assert "Check-in opens at" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_member_can_check_in_29_minutes_before_the_start(client, clinic, member, scanned):
    if timezone.localtime().hour == 23:
        pytest.skip("the session would start tomorrow")
    session = _starting_in(clinic, member, 29)
    client.force_login(member)
    client.post(form_action_of(client.get(scanned), "Check in to"))
    assert Attendance.objects.filter(session=session, patient=member.patient).exists()


def test_the_run_sheet_poller_sees_the_window_open(session):
    open_version = run_sheet_version(session)
    session.start += dt.timedelta(hours=2)  # as it was before the window opened
    session.end += dt.timedelta(hours=2)
    assert run_sheet_version(session) != open_version


def test_the_invitation_page_says_when_she_can_check_in(client, clinic):
    invitation = invitation_for(clinic)  # tomorrow 09:45
    page = client.get(link(invitation)).content.decode()
    assert "you can check in here from 30 minutes before the start (09:15)" in page
    assert "check me in" not in page
