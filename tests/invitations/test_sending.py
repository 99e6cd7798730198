"""The sender through the real notifications-python-client against the fake Notify server,
the callbacks (delivery receipts, inbound STOP) and one-click unsubscribe."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from sessions.invitations.models import (
    Invitation,
    InvitationState,
    Message,
    MessageStatus,
)
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import (
    Outcome,
    RetryLater,
    message_send,
    messages_dispatch,
)
from tests.artefacts import site_path

from .conftest import CALLBACK_TOKEN, DAYTIME, invitation_message, london

pytestmark = pytest.mark.django_db


def test_it_sends_an_sms_once_through_notify_with_the_message_id_as_reference(planned, notify_mode):
    woman = planned(consent_email=False)
    message = invitation_message(woman)
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.SENT
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.SKIPPED
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [sent] = notify_mode.accepted
    assert message.provider_id == sent["id"]
    assert sent["json"]["reference"] == f"msg-{message.pk}-sms"
    assert sent["json"]["phone_number"] == woman.mobile
    assert woman.first_name in sent["json"]["personalisation"]["body"]
    assert Invitation.objects.get(patient=woman).state == InvitationState.SENT


def test_an_email_carries_the_one_click_unsubscribe_url(planned, notify_mode):
    woman = planned(consent_sms=False)
    message_send(message_id=invitation_message(woman).pk, now=DAYTIME)
    [sent] = notify_mode.accepted
    assert sent["type"] == "email"
    assert "/messages/unsubscribe/" in sent["json"]["one_click_unsubscribe_url"]


def test_a_429_is_retried_after_backoff_and_sent_once(planned, notify_mode):
    woman = planned()
    message = invitation_message(woman)
    notify_mode.answer_next(429)
    with pytest.raises(RetryLater) as later:
        message_send(message_id=message.pk, now=DAYTIME)
    assert 0.05 <= later.value.countdown <= 0.1
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.SENT
    assert len(notify_mode.accepted) == 1 and len(notify_mode.attempts) == 2


def test_a_500_is_retried_and_gives_up_as_a_technical_failure(planned, notify_mode, settings):
    settings.MESSAGE_RETRY_MAX = 2
    message = invitation_message(planned())
    notify_mode.answer_next(500, 503, 500)
    with pytest.raises(RetryLater):
        message_send(message_id=message.pk, now=DAYTIME)
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert not notify_mode.accepted


def test_a_400_is_not_retried_and_is_shown_as_failed(planned, notify_mode):
    woman = planned(consent_email=False)
    message = invitation_message(woman)
    notify_mode.answer_next(400)
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.FAILED
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.SKIPPED
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert "400" in message.failure_reason
    assert len(notify_mode.attempts) == 1


def test_a_rejected_sms_falls_back_to_email(planned, notify_mode):
    woman = planned()
    message = invitation_message(woman)
    notify_mode.answer_next(400)
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.FELL_BACK
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.SENT
    message.refresh_from_db()
    assert message.channel == "email" and message.status == MessageStatus.SENT
    assert [a["type"] for a in notify_mode.accepted] == ["email"]


def test_an_sms_in_quiet_hours_is_held_until_eight(planned, notify_mode):
    message = invitation_message(planned(consent_email=False))
    night = london(2026, 3, 31, 22, 0)
    assert message_send(message_id=message.pk, now=night) == Outcome.DEFERRED
    message.refresh_from_db()
    assert message.due_at == london(2026, 4, 1, 8, 0)
    assert not notify_mode.attempts


def test_a_message_for_a_woman_whose_pregnancy_ended_is_never_sent(planned, notify_mode):
    woman = planned()
    message = invitation_message(woman)
    woman.pregnancy_ended_at = DAYTIME
    woman.save()
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.CANCELLED
    assert not notify_mode.attempts


def test_an_interrupted_send_is_recovered_from_notify_by_reference(planned, notify_mode, settings):
    settings.MESSAGE_STALE_CLAIM_SECONDS = 1
    message = invitation_message(planned())
    message_send(message_id=message.pk, now=DAYTIME)
    # As if the worker died after Notify took it and before the id was stored.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, provider_id="", claimed_at=DAYTIME
    )
    later = DAYTIME + dt.timedelta(minutes=1)
    assert messages_dispatch(now=later).recovering == [message.pk]
    assert message_send(message_id=message.pk, now=later) == Outcome.RECOVERED
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == notify_mode.accepted[0]["id"]
    assert len(notify_mode.accepted) == 1


def receipt(client, token, **body):
    return client.post(
        reverse("notify_delivery"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_delivery_receipt_with_a_bad_token_is_refused_and_records_nothing(planned, client):
    message = invitation_message(planned())
    message_send(message_id=message.pk, now=DAYTIME)
    message.refresh_from_db()
    response = receipt(client, "wrong", id=message.provider_id, status="delivered")
    assert response.status_code == 401
    assert (
        client.post(reverse("notify_delivery"), {}, content_type="application/json").status_code
        == 401
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_delivery_receipt_records_delivered(planned, client):
    message = invitation_message(planned())
    message_send(message_id=message.pk, now=DAYTIME)
    message.refresh_from_db()
    response = receipt(
        client,
        CALLBACK_TOKEN,
        id=message.provider_id,
        reference=message.reference,
        status="delivered",
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_a_permanent_sms_failure_receipt_falls_back_to_email(planned, client, notify_mode):
    message = invitation_message(planned())
    message_send(message_id=message.pk, now=DAYTIME)
    message.refresh_from_db()
    receipt(client, CALLBACK_TOKEN, id=message.provider_id, status="permanent-failure")
    message.refresh_from_db()
    assert message.channel == "email" and message.status == MessageStatus.PENDING
    assert message.fell_back_at is not None


def test_a_permanent_failure_without_email_is_shown_as_failed(planned, client):
    message = invitation_message(planned(consent_email=False))
    message_send(message_id=message.pk, now=DAYTIME)
    message.refresh_from_db()
    receipt(client, CALLBACK_TOKEN, id=message.provider_id, status="permanent-failure")
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE


def test_replying_stop_opts_her_out_at_once(planned, client):
    woman = planned(mobile="07700900456")
    response = client.post(
        reverse("notify_inbound"),
        {
            "id": "x",
            "source_number": "447700900456",
            "destination_number": "07700900000",
            "message": "Stop",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {CALLBACK_TOKEN}"},
    )
    assert response.status_code == 200
    woman.refresh_from_db()
    assert woman.opted_out_at is not None
    assert not Message.objects.filter(
        invitation__patient=woman, status=MessageStatus.PENDING
    ).exists()


def test_inbound_sms_with_a_bad_token_changes_nothing(planned, client):
    woman = planned(mobile="07700900456")
    response = client.post(
        reverse("notify_inbound"),
        {"source_number": "447700900456", "message": "STOP"},
        content_type="application/json",
        headers={"Authorization": "Bearer nope"},
    )
    assert response.status_code == 401
    woman.refresh_from_db()
    assert woman.opted_out_at is None


def test_one_click_unsubscribe_opts_her_out_and_get_only_asks(planned, notify_mode, client):
    woman = planned(consent_sms=False)
    message_send(message_id=invitation_message(woman).pk, now=DAYTIME)
    [sent] = notify_mode.accepted  # the address Notify's one-click unsubscribe will call
    url = site_path(sent["json"]["one_click_unsubscribe_url"])
    assert client.get(url).status_code == 200
    woman.refresh_from_db()
    assert woman.opted_out_at is None
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    woman.refresh_from_db()
    assert woman.opted_out_at is not None
    assert (
        client.post(reverse("message_unsubscribe", kwargs={"token": "forged"})).status_code == 404
    )


def test_django_email_channel_sets_rfc_8058_headers(day, settings, client):
    settings.MESSAGE_CHANNEL = "email"
    woman, _ = day.woman(10, 15)
    plan_invitations_for_session(day.session.pk, now=DAYTIME)
    assert message_send(message_id=invitation_message(woman).pk, now=DAYTIME) == Outcome.SENT
    [email] = mail.outbox
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert email.to == [woman.email]
    # Her mail client's one-click unsubscribe POSTs to the address in the header.
    unsubscribe = site_path(email.extra_headers["List-Unsubscribe"].strip("<>"))
    response = client.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    woman.refresh_from_db()
    assert woman.opted_out_at is not None


class _Clock:
    """Stands in for the `time` module inside django.core.signing: signed links age."""

    def __init__(self, offset: dt.timedelta) -> None:
        import time

        self._time = time.time
        self.offset = offset.total_seconds()

    def time(self) -> float:
        return self._time() + self.offset


@pytest.mark.parametrize(("age_days", "works"), [(364, True), (366, False)])
def test_the_unsubscribe_link_in_an_email_works_for_a_year_then_explains_kindly(
    planned, notify_mode, client, monkeypatch, age_days, works
):
    from django.core import signing

    woman = planned(consent_sms=False)
    message_send(message_id=invitation_message(woman).pk, now=DAYTIME)
    [sent] = notify_mode.accepted
    url = site_path(sent["json"]["one_click_unsubscribe_url"])
    monkeypatch.setattr(signing, "time", _Clock(dt.timedelta(days=age_days)))

    page = client.get(url)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    woman.refresh_from_db()
    if works:
        assert page.status_code == 200 and b"Stop messages" in page.content
        assert woman.opted_out_at is not None
    else:
        for answer in (page, response):
            assert answer.status_code == 410
            assert b"This link has expired" in answer.content
            assert b"reply STOP" in answer.content
            assert woman.first_name.encode() not in answer.content
        assert woman.opted_out_at is None


def test_an_unsubscribe_link_from_before_links_expired_gets_the_kind_page(planned, client):
    from django.core import signing

    from sessions.invitations.sending import UNSUBSCRIBE_SALT

    woman = planned()
    old_style = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"p": woman.pk})

    response = client.get(reverse("message_unsubscribe", kwargs={"token": old_style}))

    assert response.status_code == 410
    assert b"This link has expired" in response.content


def test_a_deeply_nested_delivery_receipt_is_a_bad_request_not_an_error(planned, client):
    body = '{"id":' + "[" * 100_000 + "]" * 100_000 + ',"status":"delivered"}'

    response = client.post(
        reverse("notify_delivery"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {CALLBACK_TOKEN}"},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "expected JSON with id and status"}
