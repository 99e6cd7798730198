"""Making an account from the invitation link: only through a contact the hospital holds for her.

Holding the link is not enough (a text can be forwarded, a phone shared): the code goes to her
email or mobile on file, and the account is linked only once the code is typed, in the browser
that asked for it (issue 10, items 1 and 12; docs/adr/0029). Every journey reads the code from
the message as actually sent: Django's outbox, the fake GOV.UK Notify server, the demo outbox page.
"""

import re

import pytest
from django.core import mail

from groups.members import account_codes
from sessions.invitations.models import Message, MessageKind
from tests.artefacts import href_of
from tests.factories import PatientFactory, StaffRoleFactory, UserFactory
from tests.invitations.conftest import fake_notify, notify_mode  # noqa: F401 - fixtures
from waitroom.models import AuditEvent, Role, User

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db

CODE = re.compile(r"Your Waitroom code is (\d{6})")


def _code_from_email(to: str) -> str:
    sent = [m for m in mail.outbox if m.to == [to]]
    assert sent, f"no email to {to}"
    return CODE.search(sent[-1].body).group(1)


def _her(clinic, **fields):
    values = {
        "email": "maria.lopez@example.com",
        "mobile": "07700 900123",
        "given_name": "Maria",
        "family_name": "Zyxwvutson",
        **fields,
    }
    patient = PatientFactory(organisation=clinic.organisation, **values)
    return invitation_for(clinic, patient=patient)


def _emailed_code_now_expired(client, invitation) -> str:
    """She asks for a code by email; it then expires in her session. The code she was sent."""
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    session = client.session
    session[account_codes.SESSION_KEY]["expires"] = 0
    session.save()
    return code


def _account_page(client, invitation) -> str:
    """The account page, as linked from her invitation page."""
    return href_of(client.get(link(invitation)), "Create an account")


def _ask_for_code(client, invitation, contact: str):
    return client.post(_account_page(client, invitation), {"contact": contact})


def test_the_page_offers_her_contacts_on_file_masked_and_says_why(client, clinic):
    invitation = _her(clinic)
    page = client.get(_account_page(client, invitation)).content.decode()
    assert "m•••@e•••.com" in page
    assert "07••• •••123" in page
    assert "maria.lopez@example.com" not in page
    assert "900123" not in page
    assert "the hospital already has for you" in page
    assert "messages can be forwarded" in page


def test_the_real_woman_gets_her_account_with_the_code_emailed_to_her_address_on_file(
    client, clinic
):
    invitation = _her(clinic)
    response = _ask_for_code(client, invitation, "email")
    assert response.status_code == 302
    assert response.url.startswith("/invitation/")
    assert response.url.endswith("/account/code/")
    code_page = client.get(response.url).content.decode()
    assert "m•••@e•••.com" in code_page
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None  # nothing is linked before the code

    code = _code_from_email("maria.lopez@example.com")
    response = client.post(response.url, {"code": code, "display_name": "Sunny"})

    assert response.status_code == 302
    assert response.url == "/me/"
    user = User.objects.get(email="maria.lopez@example.com")
    assert user.display_name == "Sunny"
    assert not user.has_usable_password()
    invitation.patient.refresh_from_db()
    assert invitation.patient.user == user
    assert "Zyxwvutson" in client.get("/me/your-information/").content.decode()


def test_the_real_woman_gets_her_account_with_the_code_texted_to_her_mobile_on_file(
    client,
    clinic,
    notify_mode,  # noqa: F811 - the imported fixture
):
    invitation = _her(clinic)
    code_page = _ask_for_code(client, invitation, "mobile").url

    [sms] = [item["json"] for item in notify_mode.accepted if item["type"] == "sms"]
    assert sms["phone_number"] == "07700 900123"
    assert sms["reference"].startswith("msg-")  # ids only, never anything about her
    code = CODE.search(sms["personalisation"]["body"]).group(1)
    record = Message.objects.get(kind=MessageKind.ACCOUNT_CODE)
    assert code not in record.body  # the stored record does not keep the code

    response = client.post(code_page, {"code": code, "display_name": "Sunny"})
    assert response.status_code == 302
    invitation.patient.refresh_from_db()
    assert invitation.patient.user.email == "maria.lopez@example.com"


def test_in_the_demo_the_texted_code_is_read_from_the_clinics_outbox(client, clinic, settings):
    settings.MESSAGE_CHANNEL = "outbox"
    invitation = _her(clinic, email="")
    code_page = _ask_for_code(client, invitation, "mobile").url

    coordinator = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR).user
    staff = type(client)()
    staff.force_login(coordinator)
    outbox = staff.get(f"/clinics/{clinic.slug}/outbox/").content.decode()
    code = CODE.search(outbox).group(1)

    # Only a mobile on file: she gives the email address she will sign in with.
    response = client.post(
        code_page, {"code": code, "display_name": "Sunny", "email": "maria.new@example.com"}
    )
    assert response.status_code == 302
    invitation.patient.refresh_from_db()
    assert invitation.patient.user.email == "maria.new@example.com"


def test_an_attacker_with_a_forwarded_link_cannot_get_her_data(client, clinic):
    invitation = _her(clinic)
    # The old way: post any email address, then that address's code.
    client.post(
        link(invitation) + "account/",
        {"email": "attacker@example.com", "display_name": "Mal", "contact": "email"},
    )
    assert [m.to for m in mail.outbox] == [["maria.lopez@example.com"]]
    for guess in ("000000", "123456", "111111", "999999", "424242", "654321"):
        response = client.post(
            link(invitation) + "account/code/",
            {"code": guess, "display_name": "Mal", "email": "attacker@example.com"},
        )
        assert response.status_code == 200
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None
    assert not User.objects.filter(email="attacker@example.com").exists()
    assert "Ask for a new code" in response.content.decode()
    # After five wrong tries even the right code no longer works in this browser.
    code = _code_from_email("maria.lopez@example.com")
    client.post(link(invitation) + "account/code/", {"code": code, "display_name": "Mal"})
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None
    assert client.get("/me/your-information/").status_code == 302  # to sign in
    assert not AuditEvent.objects.filter(patient_id=invitation.patient_id).exists()


def test_her_code_works_only_in_the_browser_that_asked_for_it(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    attacker = type(client)()
    response = attacker.post(
        link(invitation) + "account/code/", {"code": code, "display_name": "Mal"}
    )
    assert "Ask for a new code" in response.content.decode()
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_a_contact_not_on_file_cannot_be_chosen(client, clinic):
    invitation = _her(clinic, email="")
    response = _ask_for_code(client, invitation, "email")
    assert response.status_code == 200
    assert "Choose where to send your code" in response.content.decode()
    assert response.content.decode().count("<title>Error:") == 1
    assert not mail.outbox


def test_without_a_contact_on_file_she_is_told_to_make_her_account_at_the_clinic(client, clinic):
    invitation = _her(clinic, email="", mobile="")
    page = client.get(link(invitation) + "account/").content.decode()
    assert "Make your account at the clinic" in page
    assert "<form" not in page.split("<main", 1)[1]
    response = client.post(link(invitation) + "account/", {"contact": "email"})
    assert "Make your account at the clinic" in response.content.decode()
    # She still answers the invitation.
    client.post(link(invitation) + "answer/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


def test_codes_an_invitation_may_ask_for_are_limited(client, clinic):
    invitation = _her(clinic)
    for _ in range(account_codes.MAX_CODES_PER_HOUR):
        assert _ask_for_code(client, invitation, "email").status_code == 302
    response = _ask_for_code(client, invitation, "email")
    assert response.status_code == 200
    assert "several codes" in response.content.decode()
    assert len(mail.outbox) == account_codes.MAX_CODES_PER_HOUR


def test_an_expired_code_is_refused(client, clinic):
    invitation = _her(clinic)
    code = _emailed_code_now_expired(client, invitation)
    response = client.post(link(invitation) + "account/code/", {"code": code, "display_name": "S"})
    assert "expired" in response.content.decode()
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_an_address_in_use_gets_the_same_neutral_answer_as_any_refusal(client, clinic, settings):
    """Item 12: nothing on the page says which addresses already have accounts."""
    settings.MESSAGE_CHANNEL = "outbox"
    UserFactory(email="taken@example.com")
    invitation = _her(clinic, email="")
    _ask_for_code(client, invitation, "mobile")
    code = CODE.search(Message.objects.get(kind=MessageKind.ACCOUNT_CODE).body).group(1)
    response = client.post(
        link(invitation) + "account/code/",
        {"code": code, "display_name": "Sunny", "email": "Taken@Example.com"},
    )
    body = response.content.decode()
    assert "already" not in body
    assert "We could not make an account with this email address" in body
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_the_contact_step_never_asks_for_an_email_address(client, clinic):
    """Item 12: the form that could be used to test addresses is gone."""
    invitation = _her(clinic)
    UserFactory(email="taken@example.com")
    page = client.get(link(invitation) + "account/").content.decode()
    assert 'type="email"' not in page
    assert 'name="email"' not in page


def test_a_second_account_cannot_be_made_from_the_same_link(client, clinic, member):
    invitation = invitation_for(clinic, patient=member.patient)
    response = client.get(link(invitation) + "account/")
    assert b"You already have an account" in response.content
    response = client.post(link(invitation) + "account/code/", {"code": "1", "display_name": "X"})
    assert b"You already have an account" in response.content


def test_the_code_page_without_a_code_asked_for_goes_back_to_the_first_step(client, clinic):
    invitation = _her(clinic)
    url = link(invitation)
    response = client.get(url + "account/code/")
    assert response.status_code == 302
    assert response.url == url + "account/"


def test_missing_fields_get_errors_written_for_her(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    body = client.post(link(invitation) + "account/code/", {}).content.decode()
    assert "Enter the code we sent you" in body
    assert "Enter the name you want others in your groups to see" in body


def test_a_tampered_link_cannot_make_an_account(client, clinic):
    invitation = _her(clinic)
    response = client.post(link(invitation).rstrip("/") + "x/account/", {"contact": "email"})
    assert response.status_code == 404
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("maria@example.com", "m•••@e•••.com"),
        ("a@b.co.uk", "a•••@b•••.uk"),
        ("x@localhost", "x•••@l•••"),
    ],
)
def test_email_addresses_are_masked(email, masked):
    assert account_codes.masked_email(email) == masked


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [("07700 900123", "07••• •••123"), ("+447700900456", "44••• •••456")],
)
def test_mobiles_are_masked(mobile, masked):
    assert account_codes.masked_mobile(mobile) == masked


def test_no_text_is_offered_when_messages_go_only_by_email(clinic, settings):
    settings.MESSAGE_CHANNEL = "email"
    invitation = _her(clinic)
    assert [c.key for c in account_codes.contacts_on_file(invitation.patient)] == ["email"]


def test_when_her_email_on_file_cannot_be_used_she_is_sent_to_the_clinic(client, clinic):
    UserFactory(email="maria.lopez@example.com")  # say, a staff account
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    response = client.post(
        link(invitation) + "account/code/", {"code": code, "display_name": "Sunny"}
    )
    body = response.content.decode()
    assert "Ask at the clinic" in body
    assert "already" not in body
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_the_texted_code_is_recorded_as_sent_without_the_code(
    client,
    clinic,
    notify_mode,  # noqa: F811 - the imported fixture
):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "mobile")
    record = Message.objects.get(kind=MessageKind.ACCOUNT_CODE)
    assert record.status == "sent"
    assert record.channel == "sms"
    assert record.sent_at is not None and record.claimed_at is not None
    assert record.attempts == 1
    assert record.provider_id == notify_mode.accepted[0]["id"]
    assert "Your Waitroom code is ••••••" in record.body


def test_a_text_that_cannot_be_sent_says_so_and_is_recorded_as_failed(
    client,
    clinic,
    notify_mode,  # noqa: F811 - the imported fixture
):
    invitation = _her(clinic)
    notify_mode.answer_next(400)
    response = _ask_for_code(client, invitation, "mobile")
    body = response.content.decode()
    assert response.status_code == 200
    assert "We could not send a text message just now" in body
    record = Message.objects.get(kind=MessageKind.ACCOUNT_CODE)
    assert record.status == "technical-failure"
    assert record.failure_reason.startswith("Notify answered 400")
    assert account_codes.SESSION_KEY not in client.session


def test_the_emailed_code_comes_from_the_service_with_a_plain_subject(client, clinic, settings):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    [sent] = mail.outbox
    assert sent.subject == "Waitroom: your code"
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_used_code_is_forgotten(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    client.post(link(invitation) + "account/code/", {"code": code, "display_name": "Sunny"})
    assert account_codes.SESSION_KEY not in client.session


def _type(client, invitation, code):
    return client.post(
        link(invitation) + "account/code/", {"code": code, "display_name": "Sunny"}
    ).content.decode()


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_four_wrong_tries_then_the_right_code_still_works(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    for _ in range(4):
        page = _type(client, invitation, _wrong(code))
        assert "The code is not right. Check the message and try again" in page
    _type(client, invitation, code)
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is not None


def test_after_five_wrong_tries_the_code_is_gone(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    code = _code_from_email("maria.lopez@example.com")
    for _ in range(4):
        _type(client, invitation, _wrong(code))
    page = _type(client, invitation, _wrong(code))
    assert "That code was wrong too many times. Ask for a new code" in page
    assert "Ask for a new code" in _type(client, invitation, code)
    invitation.patient.refresh_from_db()
    assert invitation.patient.user is None


def test_an_expired_code_says_so(client, clinic):
    invitation = _her(clinic)
    code = _emailed_code_now_expired(client, invitation)
    assert "This code has expired. Ask for a new code" in _type(client, invitation, code)
    assert "Ask for a new code" in _type(client, invitation, code)


def test_the_code_message_says_what_to_do_with_it(client, clinic):
    invitation = _her(clinic)
    _ask_for_code(client, invitation, "email")
    body = mail.outbox[0].body
    code = CODE.search(body).group(1)
    assert body == (
        f"Your Waitroom code is {code}\n\n"
        "Type it on the page where you asked for it. It works for 15 minutes. "
        "If you did not ask for it, you can ignore this message."
    )


def test_the_limit_on_codes_is_per_invitation(client, clinic):
    first = _her(clinic)
    second = invitation_for(clinic, patient=PatientFactory(organisation=clinic.organisation))
    for _ in range(account_codes.MAX_CODES_PER_HOUR):
        _ask_for_code(client, first, "email")
    assert _ask_for_code(client, second, "email").status_code == 302
