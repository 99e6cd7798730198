""" "May she still answer?" and "may she check in now?" are each one rule on a model
(Invitation.answer_refusal, WaitingRoomSession.check_in_refusal), with one wording: every
member page offers the buttons exactly when the rule allows, and what she posts is refused in
the rule's own words, whichever way she came (issue 13, item 3)."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import Attendance
from sessions.invitations.models import (
    ANSWER_ALREADY_DECLINED,
    ANSWER_GROUP_FINISHED,
    ANSWER_NOT_GOING_AHEAD,
    InvitationState,
)
from sessions.invitations.services import InvitationClosed, invitation_accept
from sessions.models import SessionStatus
from tests.artefacts import form_action_of, qr_target, site_path
from tests.factories import CohortMembershipFactory

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- May she still answer? ----------------------------------------------------------------------

ANSWER_CASES = {
    # name: (invitation state, session status, session ends how many hours from now, refusal)
    "open": (InvitationState.SENT, SessionStatus.PUBLISHED, 26, None),
    "accepted, changing her mind": (InvitationState.ACCEPTED, SessionStatus.PUBLISHED, 26, None),
    "declined": (InvitationState.DECLINED, SessionStatus.PUBLISHED, 26, ANSWER_ALREADY_DECLINED),
    "finished": (InvitationState.SENT, SessionStatus.PUBLISHED, -2, ANSWER_GROUP_FINISHED),
    "finished, already going": (
        InvitationState.ACCEPTED,
        SessionStatus.PUBLISHED,
        -2,
        ANSWER_GROUP_FINISHED,
    ),
    "completed": (InvitationState.SENT, SessionStatus.COMPLETED, 26, ANSWER_NOT_GOING_AHEAD),
    "draft": (InvitationState.SENT, SessionStatus.DRAFT, 26, ANSWER_NOT_GOING_AHEAD),
}


def _answer_case(clinic, name):
    state, status, ends_in_hours, refusal = ANSWER_CASES[name]
    end = timezone.now() + dt.timedelta(hours=ends_in_hours)
    invitation = invitation_for(
        clinic, start=end - dt.timedelta(minutes=45), end=end, state=state, status=status
    )
    return invitation, refusal


@pytest.mark.parametrize("name", list(ANSWER_CASES))
def test_the_invitation_page_offers_an_answer_exactly_when_the_rule_allows(client, clinic, name):
    invitation, refusal = _answer_case(clinic, name)
    assert invitation.answer_refusal() == refusal
    page = _page_text(client.get(link(invitation)))
    assert ("Can you come?" in page) == (refusal is None)


@pytest.mark.parametrize("name", [n for n, case in ANSWER_CASES.items() if case[3] is not None])
def test_an_answer_the_rule_refuses_is_refused_in_its_words_from_her_link(client, clinic, name):
    invitation, refusal = _answer_case(clinic, name)
    before = invitation.state
    # A page opened earlier (or a double tap) still posts the answer.
    response = client.post(link(invitation) + "answer/", {"answer": "accept"}, follow=True)
    assert refusal in _page_text(response)
    invitation.refresh_from_db()
    assert invitation.state == before


@pytest.mark.parametrize("name", [n for n, case in ANSWER_CASES.items() if case[3] is not None])
def test_the_invitations_service_refuses_in_the_same_words(clinic, name):
    invitation, refusal = _answer_case(clinic, name)
    with pytest.raises(InvitationClosed) as refused:
        invitation_accept(invitation=invitation)
    assert str(refused.value) == refusal


def test_declining_twice_while_the_group_is_on_changes_nothing_and_is_not_an_error(client, clinic):
    invitation = invitation_for(clinic)
    decline = form_action_of(client.get(link(invitation)), "No, I cannot come")
    client.post(decline, {"answer": "decline"})
    again = _page_text(client.post(decline, {"answer": "decline"}, follow=True))
    assert "Thank you for letting us know" in again
    assert ANSWER_ALREADY_DECLINED not in again
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED


# --- May she check in now? ----------------------------------------------------------------------

# Minutes from now to the start, and to the end: just before the window opens (30 minutes
# before the start), just inside it, and just after the group ended.
WINDOW_CASES = {"not yet": (31, 76), "open": (29, 74), "over": (-46, -1)}


def _check_in_case(clinic, name):
    to_start, to_end = WINDOW_CASES[name]
    now = timezone.now()
    start, end = now + dt.timedelta(minutes=to_start), now + dt.timedelta(minutes=to_end)
    return invitation_for(clinic, start=start, end=end)


@pytest.mark.parametrize("name", list(WINDOW_CASES))
def test_her_invitation_link_offers_and_refuses_check_in_by_the_session_rule(client, clinic, name):
    invitation = _check_in_case(clinic, name)
    session = invitation.session
    page = _page_text(client.get(link(invitation)))
    if name == "over":
        assert "This group session has finished" in page
    else:
        assert ("I am here: check me in" in page) == session.check_in_open()
    response = client.post(link(invitation) + "check-in/", follow=True)
    refusal = session.check_in_refusal()
    if refusal is None:
        assert "You are checked in" in _page_text(response)
    else:
        assert refusal in _page_text(response)
    assert Attendance.objects.filter(patient=invitation.patient).exists() == (refusal is None)


@pytest.mark.parametrize("name", ["not yet", "open"])
def test_the_poster_offers_and_refuses_check_in_by_the_session_rule(
    client, clinic, member, peer_supporter, name
):
    invitation = _check_in_case(clinic, name)
    session = invitation.session
    if clinic.day_of(session.start) != clinic.today():
        pytest.skip("the session would start tomorrow in the clinic's zone")
    CohortMembershipFactory(cohort=session.cohort, patient=member.patient)
    staff = Client()
    staff.force_login(peer_supporter)
    scanned = site_path(qr_target(staff.get(reverse("checkin_poster", args=[clinic.slug]))))
    client.force_login(member)
    page = _page_text(client.get(scanned))
    url = reverse("checkin_session", args=[clinic.checkin_code, session.pk])
    assert (f'action="{url}"' in page) == session.check_in_open()
    # A stale page or a typed address reaches the server whatever the page showed.
    response = _page_text(client.post(url, follow=True))
    refusal = session.check_in_refusal()
    assert (refusal or "You are checked in to") in response
    assert Attendance.objects.filter(patient=member.patient).exists() == (refusal is None)
