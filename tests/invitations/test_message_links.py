"""The link in every invitation as actually sent opens her invitation page, logged out.

Each test sends an invitation through the real sender and channel (the demo outbox, GOV.UK Notify
through the fake server, Django email), takes the link out of what was sent, and opens it.
"""

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from sessions.invitations.models import Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import Outcome, message_send
from tests.artefacts import links_in, site_path

from .conftest import LONDON, make_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_invitation(clinic):
    """Send one invitation to a woman with an appointment tomorrow; return its Message row."""

    def send(**patient) -> Message:
        tomorrow = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=1)
        day = make_day(clinic, dt.datetime.combine(tomorrow, dt.time(10), tzinfo=LONDON))
        woman, _ = day.woman(10, 15, **patient)
        plan_invitations_for_session(day.session.pk, now=timezone.now())
        message = Message.objects.get(invitation__patient=woman, kind=MessageKind.INVITATION)
        assert message_send(message_id=message.pk, now=max(timezone.now(), message.due_at)) == (
            Outcome.SENT
        )
        message.refresh_from_db()
        return message

    return send


def _opens_her_invitation_page(client, link: str, public_name: str | None = "Tuesday friends"):
    response = client.get(site_path(link))
    assert response.status_code == 200
    body = response.content.decode()
    if public_name:
        assert public_name in body  # the cohort's public name, shown only behind the link
    assert 'value="accept"' in body
    assert 'value="decline"' in body


def test_the_link_in_an_outbox_message_opens_her_invitation_page(
    client, sent_invitation, outbox_mode
):
    message = sent_invitation()
    [link] = links_in(message)
    _opens_her_invitation_page(client, link)


def test_the_link_in_a_text_sent_through_notify_opens_her_invitation_page(
    client, sent_invitation, notify_mode
):
    sent_invitation(consent_email=False)
    [request] = notify_mode.accepted
    assert request["type"] == "sms"
    [link] = links_in(request)
    _opens_her_invitation_page(client, link)


def test_the_link_in_an_invitation_email_opens_her_invitation_page(
    client, sent_invitation, settings
):
    settings.MESSAGE_CHANNEL = "email"
    sent_invitation(consent_sms=False)
    [email] = mail.outbox
    [link] = links_in(email)
    _opens_her_invitation_page(client, link)


def test_message_links_point_at_the_address_the_site_is_served_on(
    client, sent_invitation, outbox_mode
):
    outbox_mode.SITE_URL = "http://127.0.0.1:8123"
    [link] = links_in(sent_invitation())
    assert link.startswith("http://127.0.0.1:8123/invitation/")
    _opens_her_invitation_page(client, link)


def test_every_invitation_in_the_demo_outbox_opens_her_invitation_page(
    client, outbox_mode, django_capture_on_commit_callbacks
):
    from demo.seed import demo_seed
    from demo.spec import SIGN_INS

    with django_capture_on_commit_callbacks(execute=True):
        result = demo_seed()
    coordinator = next(s for s in SIGN_INS if s.role == "coordinator")
    staff = Client()
    assert staff.login(username=coordinator.email, password=coordinator.password)
    outbox = staff.get(f"/clinics/{result.clinic.slug}/outbox/")
    texts = [m.body for m in outbox.context["page"].object_list if m.kind == "invitation"]
    assert texts, "The demo outbox has no invitations to follow"
    page = outbox.content.decode()
    # What staff read is what she was sent: the words, with the link as a link she could tap.
    page_words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for text in texts:
        assert " ".join(text.split()) in page_words
        [link] = links_in(text)
        assert f'href="{html.escape(link)}"' in page
        _opens_her_invitation_page(client, link, public_name=None)
