"""The page behind the signed link in her message: what it shows, answering, refusals."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from sessions.invitations import links
from sessions.invitations.links import invitation_from_token
from sessions.invitations.models import InvitationState
from sessions.models import SessionStatus
from tests.artefacts import form_action_of, href_of, ics_events, site_path
from tests.factories import CohortFactory, StaffRoleFactory

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db


def test_it_shows_the_session_group_facilitator_and_her_appointment(client, clinic):
    facilitator = StaffRoleFactory(clinic=clinic, user__first_name="Amara").user
    invitation = invitation_for(clinic, facilitators=[facilitator])

    body = client.get(link(invitation)).content.decode()

    assert "Twins and more group" in body
    assert "Meet other women expecting twins." in body
    assert "Bay 2, by the windows" in body
    assert "Amara" in body
    assert facilitator.last_name not in body
    assert "The group runs 09:45–10:30; you will still be called for your 10:20 appointment" in (
        body
    )
    assert invitation.patient.family_name not in body
    assert invitation.session.cohort.staff_name not in body


def test_accepting_takes_one_tap_and_shows_she_is_going(client, clinic):
    invitation = invitation_for(clinic)
    page = client.get(link(invitation))
    answer = form_action_of(page, "Yes, I will come")
    response = client.post(answer, {"answer": "accept"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.state in (InvitationState.ACCEPTED, InvitationState.WAITING_LIST)
    assert b"You are going" in response.content or b"waiting list" in response.content


def test_declining_takes_one_tap(client, clinic):
    invitation = invitation_for(clinic)
    answer = form_action_of(client.get(link(invitation)), "No, I cannot come")
    client.post(answer, {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED


def test_the_calendar_file_names_the_public_group_only(client, clinic):
    invitation = invitation_for(clinic)
    page = client.get(link(invitation))
    response = client.get(href_of(page, "Add it to your calendar"))
    assert response["Content-Type"] == "text/calendar"
    [event] = ics_events(response)
    assert "Twins and more group" in str(event["summary"])
    # The event opens her invitation page again, from her calendar app.
    again = client.get(site_path(str(event["url"])))
    assert again.status_code == 200
    assert b'value="accept"' in again.content
    body = response.content.decode()
    assert invitation.session.cohort.staff_name not in body


def test_a_tampered_link_gets_a_kind_page_that_names_nobody(client, clinic):
    invitation = invitation_for(clinic)
    token = links.invitation_token(invitation)
    response = client.get(f"/invitation/{token[:-2]}xx/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link does not work" in body
    assert "Twins" not in body
    assert invitation.patient.given_name not in body


def test_a_link_for_another_id_with_a_forged_signature_is_refused(client, clinic):
    invitation = invitation_for(clinic)
    forged = signing.TimestampSigner(salt="something-else").sign_object({"i": invitation.pk})
    assert client.get(f"/invitation/{forged}/").status_code == 404
    assert client.post(f"/invitation/{forged}/answer/", {"answer": "accept"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT


def test_an_expired_link_is_refused(client, clinic):
    invitation = invitation_for(clinic)
    url = link(invitation)
    later = dt.datetime.now(dt.UTC).timestamp() + links.MAX_AGE_SECONDS + 60
    with mock.patch("time.time", return_value=later):
        response = client.get(url)
    assert response.status_code == 404
    assert b"This link does not work" in response.content


@pytest.mark.parametrize("what", ["invitation", "session"])
def test_a_cancelled_invitation_or_session_says_so_kindly(client, clinic, what):
    invitation = invitation_for(clinic)
    if what == "invitation":
        invitation.state = InvitationState.CANCELLED
        invitation.save()
    else:
        invitation.session.status = SessionStatus.CANCELLED
        invitation.session.save()
    response = client.get(link(invitation))
    assert response.status_code == 410
    assert b"no longer running" in response.content
    assert b"Twins" not in response.content
    response = client.post(link(invitation) + "answer/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.state != InvitationState.ACCEPTED


def test_a_past_session_cannot_be_answered(client, clinic):
    from .builders import running_now

    start, _ = running_now()
    invitation = invitation_for(
        clinic, start=start - dt.timedelta(hours=3), end=start - dt.timedelta(hours=2)
    )
    client.post(link(invitation) + "answer/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT


def test_the_member_home_lists_only_her_own_invitations(client, clinic, member):
    mine = invitation_for(clinic, patient=member.patient)
    other = invitation_for(clinic, cohort=CohortFactory(public_name="Not hers", clinics=[clinic]))
    client.force_login(member)
    body = client.get(reverse("member_home")).content.decode()
    assert mine.session.location in body
    assert "You are invited" in body
    assert other.session.cohort.public_name not in body


def test_the_member_home_links_to_her_invitation_page(client, clinic, member):
    mine = invitation_for(clinic, patient=member.patient)
    client.force_login(member)
    body = client.get(reverse("member_home")).content.decode()
    (token,) = re.findall(r'href="/invitation/([^/"]+)/"', body)
    assert invitation_from_token(token) == mine
    assert client.get(f"/invitation/{token}/").status_code == 200
