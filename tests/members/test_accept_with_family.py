"""Families (issue 12): from the link in her text she says who is coming with her, and the
people running the session see it on the run sheet."""

import pytest
from django.urls import reverse

from sessions.invitations.models import InvitationState
from tests.artefacts import form_action_of
from tests.factories import StaffRoleFactory
from waitroom.models import Role

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db


def test_she_accepts_with_her_partner_and_children_from_the_link_as_sent(client, clinic):
    invitation = invitation_for(clinic, partners_welcome=True, children_welcome=True, capacity=6)
    page = client.get(link(invitation))
    body = page.content.decode()
    assert "your partner or another adult, and children are welcome too" in body
    assert 'name="adults_with_her"' in body and 'name="children_with_her"' in body

    answer = form_action_of(page, "Yes, I will come")
    response = client.post(
        answer, {"answer": "accept", "adults_with_her": "1", "children_with_her": "2"}, follow=True
    )

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert (invitation.adults_with_her, invitation.children_with_her) == (1, 2)
    assert invitation.places == 4
    after = response.content.decode()
    assert "You are going" in after
    assert "Coming with you" in after and "1 adult and 2 children" in after


def test_the_run_sheet_shows_who_is_coming_with_each_woman(client, clinic):
    peer = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER).user
    invitation = invitation_for(
        clinic, partners_welcome=True, children_welcome=True, capacity=6, facilitators=[peer]
    )
    page = client.get(link(invitation))
    client.post(
        form_action_of(page, "Yes, I will come"),
        {"answer": "accept", "adults_with_her": "1", "children_with_her": "1"},
    )
    client.force_login(peer)
    sheet = client.get(
        reverse("run_sheet", args=[clinic.slug, invitation.session_id])
    ).content.decode()
    assert "Coming with her: 1 adult and 1 child" in sheet
    assert "3 of 6 places taken" in sheet


def test_a_group_just_for_her_asks_nobody_else_and_ignores_a_forged_guest(client, clinic):
    invitation = invitation_for(clinic)
    page = client.get(link(invitation))
    body = page.content.decode()
    assert "This group is just for you." in body
    assert 'name="adults_with_her"' not in body
    client.post(
        form_action_of(page, "Yes, I will come"), {"answer": "accept", "adults_with_her": "2"}
    )
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert (invitation.adults_with_her, invitation.children_with_her) == (0, 0)


def test_a_missing_answer_shows_an_error_summary_linked_to_the_question(client, clinic):
    invitation = invitation_for(clinic, partners_welcome=True)
    page = client.get(link(invitation))
    response = client.post(form_action_of(page, "Yes, I will come"), {"answer": "accept"})
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "There is a problem" in body
    assert 'href="#id_adults_with_her_0">Say whether an adult is coming with you</a>' in body
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT
