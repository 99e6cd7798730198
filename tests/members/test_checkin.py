"""Checking in from the waiting-room poster, or from her invitation link."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.facilitation.models import Attendance, CheckInMethod
from tests.factories import CohortFactory, CohortMembershipFactory, WaitingRoomSessionFactory

from .builders import invitation_for, link, running_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_now(clinic, member):
    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    start, end = running_now()
    return WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=start, end=end)


def test_the_scan_page_lists_her_groups_today_with_a_check_in_button(
    client, clinic, member, session_now
):
    client.force_login(member)
    body = client.get(f"/check-in/{clinic.checkin_code}/").content.decode()
    assert "Groups in this waiting room today" in body
    assert "Twins and more group" in body
    assert reverse("checkin_session", args=[clinic.checkin_code, session_now.pk]) in body


def test_checking_in_records_attendance_once(client, clinic, member, session_now):
    client.force_login(member)
    url = reverse("checkin_session", args=[clinic.checkin_code, session_now.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert b"You are checked in to Twins and more group" in first.content
    assert b"You are already checked in" in second.content
    attendance = Attendance.objects.get(session=session_now, patient=member.patient)
    assert attendance.method == CheckInMethod.QR_CODE


def test_a_wrong_code_gets_a_clear_page(client, member):
    client.force_login(member)
    response = client.get("/check-in/ZZZZZZ/")
    assert response.status_code == 404
    assert b"We could not find that code" in response.content


def test_typing_the_code_leads_to_the_clinic_page(client, clinic):
    response = client.get("/check-in/", {"code": clinic.checkin_code.lower()})
    assert response.status_code == 302
    assert response.url == f"/check-in/{clinic.checkin_code}/"
    response = client.get("/check-in/", {"code": "NOPE99"})
    assert b"We could not find that code" in response.content


def test_another_clinics_code_cannot_check_her_in(
    client, clinic, other_clinic, member, session_now
):
    client.force_login(member)
    url = reverse("checkin_session", args=[other_clinic.checkin_code, session_now.pk])
    assert client.post(url).status_code == 404
    assert not Attendance.objects.exists()


def test_a_session_not_running_today_is_refused(client, clinic, member, session_now):
    session_now.start += dt.timedelta(days=1)
    session_now.end += dt.timedelta(days=1)
    session_now.save()
    client.force_login(member)
    url = reverse("checkin_session", args=[clinic.checkin_code, session_now.pk])
    response = client.post(url, follow=True)
    assert b"This group is not running today" in response.content
    assert not Attendance.objects.exists()


def test_someone_elses_group_cannot_be_checked_into(client, clinic, member):
    start, end = running_now()
    not_hers = WaitingRoomSessionFactory(clinic=clinic, start=start, end=end)
    client.force_login(member)
    url = reverse("checkin_session", args=[clinic.checkin_code, not_hers.pk])
    assert client.post(url).status_code == 404


def test_without_an_account_the_page_invites_her_to_sign_in(client, clinic, session_now):
    body = client.get(f"/check-in/{clinic.checkin_code}/").content.decode()
    assert "sign in with a code" in body
    assert "Twins and more group" not in body


def test_she_can_check_in_from_her_invitation_link_without_an_account(client, clinic):
    start, end = running_now()
    invitation = invitation_for(clinic, start=start, end=end)
    assert b"check me in" in client.get(link(invitation)).content
    client.post(link(invitation) + "check-in/")
    client.post(link(invitation) + "check-in/")
    assert Attendance.objects.filter(patient=invitation.patient).count() == 1


def test_the_invitation_link_refuses_check_in_on_another_day(client, clinic):
    invitation = invitation_for(clinic)  # tomorrow
    response = client.post(link(invitation) + "check-in/", follow=True)
    assert b"not running today" in response.content
    assert not Attendance.objects.exists()


def test_the_poster_is_for_the_clinics_staff(as_persona, clinic):
    url = reverse("checkin_poster", args=[clinic.slug])
    response = as_persona("peer_supporter").get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert clinic.checkin_code in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    assert as_persona("other_coordinator").get(url).status_code == 404


def test_members_cannot_open_the_poster(as_persona, clinic):
    assert (
        as_persona("member").get(reverse("checkin_poster", args=[clinic.slug])).status_code == 403
    )
