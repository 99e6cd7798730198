"""Privacy: no message names a cohort or a condition, and references carry only the message id."""

import re

import pytest

from demo.seed import demo_seed
from groups.models import Cohort
from sessions.invitations.models import CancelReason, Channel, Invitation, Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import message_send
from sessions.invitations.wording import message_wording
from sessions.lock_screen import LOCK_SCREEN_FORBIDDEN_WORDS
from sessions.models import SessionStatus, WaitingRoomSession
from tests.artefacts import links_in

from .conftest import NOW

pytestmark = pytest.mark.django_db

FORBIDDEN = LOCK_SCREEN_FORBIDDEN_WORDS
ALL_KINDS = [
    MessageKind.INVITATION,
    MessageKind.REMINDER,
    MessageKind.SAME_DAY,
    MessageKind.CHANGE,
    MessageKind.CANCELLATION,
    MessageKind.WAITING_LIST,
    MessageKind.PROMOTED,
]


def problems(text: str, cohorts, invitation, patient=None) -> list[str]:
    """What in `text` must not be on a lock screen. `invitation` is None for a message about
    her alone (a feedback question): then `patient` is who it went to."""
    found = [w for w in FORBIDDEN if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]
    for cohort in cohorts:
        for name in (cohort.staff_name, cohort.public_name):
            if name.lower() in text.lower():
                found.append(name)
    if invitation is not None:
        session = invitation.session
        if session.topic and session.topic.lower() in text.lower():
            found.append("topic")
    patient = patient or invitation.patient
    for personal in (
        patient.family_name,
        patient.nhs_number,
        patient.hospital_number,
        patient.mobile,
        patient.email,
    ):
        if personal and personal in text:
            found.append("personal data")
    return found


def test_every_message_for_the_demo_data_is_neutral_and_references_only_ids(settings):
    settings.MESSAGE_CHANNEL = "outbox"
    demo_seed()
    cohorts = list(Cohort.objects.all())
    published = WaitingRoomSession.objects.filter(status=SessionStatus.PUBLISHED)
    assert published.exists()
    for session in published:
        plan_invitations_for_session(session.pk)
    invitations = list(
        Invitation.objects.select_related("session__clinic", "patient", "appointment")
    )
    assert invitations, "the demo should invite someone"
    checked = 0
    for invitation in invitations:
        for kind in ALL_KINDS:
            for reason in ("", CancelReason.APPOINTMENT_CANCELLED):
                invitation.cancel_reason = reason
                for channel in (Channel.SMS, Channel.EMAIL, Channel.OUTBOX):
                    wording = message_wording(invitation=invitation, kind=kind, channel=channel)
                    text = f"{wording.subject}\n{wording.body}"
                    assert not problems(text, cohorts, invitation), (kind, text)
                    assert invitation.patient.first_name in wording.body
                    assert invitation.session.clinic.name in wording.body
                    checked += 1
    assert checked > 100
    # Messages actually sent to the outbox, too.
    for message in Message.objects.due():
        message_send(message_id=message.pk)
    sent = list(Message.objects.exclude(body=""))
    for message in sent:
        assert not problems(message.body, cohorts, message.invitation, message.recipient)
        assert re.fullmatch(r"msg-\d+-(sms|email|outbox)", message.reference)


def test_the_link_in_a_message_carries_no_personal_data(day):
    woman, _ = day.woman(given_name="Zinnia", family_name="Quibble")
    plan_invitations_for_session(day.session.pk, now=NOW)
    invitation = Invitation.objects.get(patient=woman)
    body = message_wording(invitation=invitation, kind=MessageKind.INVITATION, channel="sms").body
    [link] = links_in(body)
    assert "Zinnia" not in link and "Quibble" not in link and woman.mobile not in link
    assert str(woman.pk) not in link.split("/")
