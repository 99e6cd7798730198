"""Making an account from the invitation link, then signing in by emailed code."""

import re

import pytest
from django.core import mail

from tests.artefacts import href_of
from waitroom.models import User

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db


def test_the_account_is_linked_to_her_patient_and_a_code_is_emailed(client, clinic):
    invitation = invitation_for(clinic)
    account = href_of(client.get(link(invitation)), "Create an account")
    response = client.post(account, {"email": "Sam@Example.com", "display_name": "Sunny"})
    assert response.status_code == 302
    assert response.url == "/account/login/code/confirm/"
    user = User.objects.get(email="sam@example.com")
    assert user.display_name == "Sunny"
    assert not user.has_usable_password()
    invitation.patient.refresh_from_db()
    assert invitation.patient.user == user
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE).group(
        1
    )

    response = client.post(response.url, {"code": code})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_second_account_cannot_be_made_from_the_same_link(client, clinic, member):
    invitation = invitation_for(clinic, patient=member.patient)
    response = client.get(link(invitation) + "account/")
    assert b"You already have an account" in response.content
    client.post(link(invitation) + "account/", {"email": "x@example.com", "display_name": "X"})
    assert not User.objects.filter(email="x@example.com").exists()


def test_an_email_already_in_use_gets_a_clear_error(client, clinic, member):
    invitation = invitation_for(clinic)
    account = href_of(client.get(link(invitation)), "Create an account")
    response = client.post(account, {"email": member.email, "display_name": "Sunny"})
    assert response.status_code == 200
    assert b"already an account with this email" in response.content
    assert response.content.decode().count("<title>Error:") == 1
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_missing_fields_get_errors_written_for_her(client, clinic):
    invitation = invitation_for(clinic)
    account = href_of(client.get(link(invitation)), "Create an account")
    body = client.post(account, {}).content.decode()
    assert "Enter your email address" in body
    assert "Enter the name you want others in your groups to see" in body


def test_a_tampered_link_cannot_make_an_account(client, clinic):
    invitation = invitation_for(clinic)
    response = client.post(
        link(invitation).rstrip("/") + "x/account/",
        {"email": "sam@example.com", "display_name": "Sunny"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="sam@example.com").exists()
