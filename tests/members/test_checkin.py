"""Checking in from the waiting-room poster, or from her invitation link."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sessions.facilitation.models import Attendance, CheckInMethod
from tests.artefacts import form_action_of, printed_checkin, qr_target, site_path
from tests.factories import CohortFactory, CohortMembershipFactory, WaitingRoomSessionFactory

from .builders import invitation_for, link, running_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster(clinic, peer_supporter):
    """The waiting-room poster as the clinic's staff print it."""
    staff = Client()
    staff.force_login(peer_supporter)
    return staff.get(reverse("checkin_poster", args=[clinic.slug]))


@pytest.fixture
def scanned(poster) -> str:
    """Where her phone camera takes her from the poster's QR code."""
    return site_path(qr_target(poster))


@pytest.fixture
def session_now(clinic, member):
    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    start, end = running_now()
    return WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=start, end=end)


def test_the_scan_page_lists_her_groups_today_with_a_check_in_button(
    client, clinic, member, session_now, scanned
):
    client.force_login(member)
    body = client.get(scanned).content.decode()
    assert "Groups in this waiting room today" in body
    assert "Twins and more group" in body
    assert reverse("checkin_session", args=[clinic.checkin_code, session_now.pk]) in body


def test_checking_in_records_attendance_once(client, clinic, member, session_now, scanned):
    client.force_login(member)
    url = form_action_of(client.get(scanned), "Check in to Twins and more group at")

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


def test_the_poster_s_qr_code_and_printed_address_lead_to_the_same_page(poster, clinic):
    address, code = printed_checkin(poster)
    assert code == clinic.checkin_code
    assert qr_target(poster) == f"{address.rstrip('/')}/{code}/"


def test_typing_the_printed_code_leads_to_the_clinic_page(client, poster, scanned):
    address, code = printed_checkin(poster)
    typed_at = site_path(address)
    response = client.get(typed_at, {"code": code.lower()})
    assert response.status_code == 302
    assert response.url == scanned
    response = client.get(typed_at, {"code": "NOPE99"})
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


def test_without_an_account_the_page_invites_her_to_sign_in(client, session_now, scanned):
    body = client.get(scanned).content.decode()
    assert "sign in with a code" in body
    assert "Twins and more group" not in body


def test_she_can_check_in_from_her_invitation_link_without_an_account(client, clinic):
    start, end = running_now()
    invitation = invitation_for(clinic, start=start, end=end)
    check_in = form_action_of(client.get(link(invitation)), "I am here: check me in")
    client.post(check_in)
    client.post(check_in)
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
    assert as_persona("member").get(site_path(qr_target(response))).status_code == 200
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    assert as_persona("other_coordinator").get(url).status_code == 404


def test_members_cannot_open_the_poster(as_persona, clinic):
    assert (
        as_persona("member").get(reverse("checkin_poster", args=[clinic.slug])).status_code == 403
    )


def test_guessing_codes_is_stopped_after_a_few_wrong_ones_even_for_the_right_code(client, clinic):
    from groups.members.views.checkin import CHECKIN_CODE_GUESSES

    poster_code = clinic.checkin_code
    for n in range(CHECKIN_CODE_GUESSES.count):
        response = client.get("/check-in/", {"code": f"ZZZZ{n:02d}"})
        assert response.status_code == 200

    # Once the limit is reached, right and wrong codes get the same answer, on every way in.
    for response in (
        client.get("/check-in/", {"code": poster_code}),
        client.get(f"/check-in/{poster_code}/"),
        client.get("/check-in/ZZZZZZ/"),
    ):
        assert response.status_code == 429
        assert b"Too many tries" in response.content
        assert poster_code.encode() not in response.content


def test_wrong_codes_from_one_phone_do_not_stop_another(client, clinic):
    from groups.members.views.checkin import CHECKIN_CODE_GUESSES

    for n in range(CHECKIN_CODE_GUESSES.count):
        client.get(f"/check-in/ZZZZ{n:02d}/", REMOTE_ADDR="203.0.113.1")
    assert client.get("/check-in/ZZZZZZ/", REMOTE_ADDR="203.0.113.1").status_code == 429

    response = client.get(f"/check-in/{clinic.checkin_code}/", REMOTE_ADDR="203.0.113.2")

    assert response.status_code == 200


def test_the_right_code_does_not_count_as_a_guess(client, clinic):
    from groups.members.views.checkin import CHECKIN_CODE_GUESSES

    for _ in range(CHECKIN_CODE_GUESSES.count + 5):
        assert client.get(f"/check-in/{clinic.checkin_code}/").status_code == 200
