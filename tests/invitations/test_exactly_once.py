"""Exactly once (issue 15): the planner and the sender racing for a row, replies slower than the
client's timeout, receipts that overtake the stored id, and the one-message-per-kind constraint.

The races are made deterministic by running one side at the exact point inside the other
(the sender between the planner's read and its write; the planner between claim and mark-sent).
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from groups.models import MembershipStatus
from sessions.invitations import planner as planner_module
from sessions.invitations.models import Message, MessageKind, MessageStatus
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import Outcome, RetryLater, message_send
from tests.waiting import wait_until
from waitroom.messaging.notify import NotifyChannel

from .conftest import CALLBACK_TOKEN, DAYTIME, invitation_message

pytestmark = pytest.mark.django_db

LATER = DAYTIME + dt.timedelta(minutes=10)


@pytest.fixture
def send_while_planning(monkeypatch):
    """Run the sender for one message after the planner has read the rows and before it writes
    anything (as a worker on another connection would, while the planner's transaction is open)."""

    def arm(message_id: int, now: dt.datetime):
        real_load = planner_module._load_invitations
        outcomes = []

        def load(session):
            invitations = real_load(session)
            if not outcomes:
                outcomes.append(message_send(message_id=message_id, now=now))
            return invitations

        monkeypatch.setattr(planner_module, "_load_invitations", load)
        return outcomes

    return arm


# -- defect 1: the planner overwrites rows mid-send ---------------------------------------------


def test_an_overdue_pending_message_is_not_re_timed_on_every_planner_run(day, planned):
    woman = planned()
    before = invitation_message(woman)
    result = plan_invitations_for_session(day.session.pk, now=LATER)
    assert result.messages_changed == 0
    after = invitation_message(woman)
    assert after.due_at == before.due_at
    assert after.status == MessageStatus.PENDING


def test_a_message_sent_while_the_planner_works_stays_sent_and_goes_once(
    day, planned, notify_mode, send_while_planning
):
    woman = planned()
    message = invitation_message(woman)
    outcomes = send_while_planning(message.pk, LATER)

    plan_invitations_for_session(day.session.pk, now=LATER)

    assert outcomes == [Outcome.SENT]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == notify_mode.accepted[0]["id"]
    assert message_send(message_id=message.pk, now=LATER) == Outcome.SKIPPED
    assert len(notify_mode.accepted) == 1


def test_a_message_sent_while_the_planner_stops_it_is_not_marked_stopped(
    day, planned, notify_mode, send_while_planning
):
    woman = planned()
    message = invitation_message(woman)
    woman.cohort_memberships.update(status=MembershipStatus.LEFT)  # the planner will stop it
    outcomes = send_while_planning(message.pk, LATER)

    plan_invitations_for_session(day.session.pk, now=LATER)

    assert outcomes == [Outcome.SENT]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(notify_mode.accepted) == 1


def test_the_planner_running_between_claim_and_mark_sent_changes_nothing(
    day, planned, notify_mode, monkeypatch
):
    woman = planned()
    message = invitation_message(woman)
    woman.cohort_memberships.update(status=MembershipStatus.LEFT)
    real_send = NotifyChannel.send
    seen = []

    def send(self, outgoing):
        seen.append(Message.objects.get(pk=message.pk).status)
        plan_invitations_for_session(day.session.pk, now=LATER)
        return real_send(self, outgoing)

    monkeypatch.setattr(NotifyChannel, "send", send)

    assert message_send(message_id=message.pk, now=LATER) == Outcome.SENT

    assert seen == [MessageStatus.SENDING]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_id
    assert len(notify_mode.accepted) == 1


# -- the one-message-per-(invitation, kind) constraint ------------------------------------------


def test_the_database_holds_one_message_per_invitation_and_kind(planned):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Message._meta.db_table)
    unique_columns = [
        tuple(c["columns"]) for c in constraints.values() if c["unique"] and not c["primary_key"]
    ]
    assert ("invitation_id", "kind") in unique_columns


def test_a_second_message_of_the_same_kind_for_one_invitation_is_refused(planned):
    message = invitation_message(planned())
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            invitation=message.invitation,
            kind=MessageKind.INVITATION,
            channel="email",
            due_at=DAYTIME,
        )
    assert (
        Message.objects.filter(invitation=message.invitation, kind=MessageKind.INVITATION).count()
        == 1
    )


# -- defect 5: two beats run everything twice --------------------------------------------------


def test_two_beats_ticking_in_one_interval_plan_once(day, outbox_mode):
    from sessions.invitations.tasks import plan_all

    day.session.planning_due_at = day.session.start  # marked for planning: the tick picks it up
    day.session.save()
    assert plan_all() == 1  # the first beat's tick queues the session
    assert plan_all() is None  # the second beat's tick, moments later, does nothing


def test_two_beats_ticking_in_one_interval_dispatch_once(planned):
    from sessions.invitations.tasks import dispatch_due

    planned()
    assert dispatch_due(scheduled=True) is not None
    assert dispatch_due(scheduled=True) is None
    assert dispatch_due() is not None  # an on-change kick is never held back


def test_the_beat_lock_lapses_by_itself_so_the_next_interval_acts():
    from sessions.invitations.tasks import once_per_interval

    assert once_per_interval("probe", seconds=2)
    assert not once_per_interval("probe", seconds=2)
    assert wait_until(lambda: once_per_interval("probe", seconds=2), timeout=5), (
        "the lock never lapsed"
    )


# -- defect 3: receipts that arrive before the provider's id is stored --------------------------


def post_receipt(client, **body):
    return client.post(
        reverse("notify_delivery"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {CALLBACK_TOKEN}"},
    )


def test_a_receipt_that_overtakes_mark_sent_is_recorded_by_reference(
    planned, notify_mode, client, monkeypatch
):
    message = invitation_message(planned())
    real_send = NotifyChannel.send
    answers = []

    def send_then_receipt_arrives(self, outgoing):
        provider_id = real_send(self, outgoing)
        # Notify's callback, before the sender has stored the id it was given.
        sent = notify_mode.accepted[-1]
        answers.append(
            post_receipt(
                client, id=sent["id"], reference=sent["json"]["reference"], status="delivered"
            ).status_code
        )
        return provider_id

    monkeypatch.setattr(NotifyChannel, "send", send_then_receipt_arrives)

    message_send(message_id=message.pk, now=DAYTIME)

    assert answers == [200]
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.provider_id == notify_mode.accepted[0]["id"]
    assert message.sent_at is not None


def test_a_receipt_for_a_send_whose_worker_died_is_kept_and_nothing_is_sent_again(
    planned, notify_mode, client, settings
):
    settings.MESSAGE_STALE_CLAIM_SECONDS = 1
    message = invitation_message(planned())
    message_send(message_id=message.pk, now=DAYTIME)
    sent = notify_mode.accepted[0]
    # As if the worker died after Notify took it and before the id was stored.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, provider_id="", claimed_at=DAYTIME, sent_at=None
    )

    post_receipt(client, id=sent["id"], reference=message.reference, status="delivered")

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.DELIVERED, sent["id"])
    assert message_send(message_id=message.pk, now=LATER) == Outcome.SKIPPED
    assert len(notify_mode.accepted) == 1


def test_a_late_sms_receipt_does_not_touch_the_email_it_fell_back_to(planned, client):
    message = invitation_message(planned())
    sms_reference = message.reference
    Message.objects.filter(pk=message.pk).update(channel="email", status=MessageStatus.SENDING)

    post_receipt(client, id="someone-else", reference=sms_reference, status="delivered")

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.SENDING, "")


# -- defect 2: a reply slower than the client's timeout, or a 5xx after accepting ---------------


def test_a_reply_slower_than_the_timeout_is_looked_up_not_sent_again(
    planned, notify_mode, settings
):
    settings.NOTIFY_TIMEOUT_SECONDS = 0.3
    message = invitation_message(planned())
    gate = notify_mode.hold_replies()
    try:
        with pytest.raises(RetryLater):
            message_send(message_id=message.pk, now=DAYTIME)  # Notify took it; no answer in time
    finally:
        gate.set()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.maybe_sent
    assert len(notify_mode.accepted) == 1

    assert message_send(message_id=message.pk, now=LATER) == Outcome.RECOVERED

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == notify_mode.accepted[0]["id"]
    assert len(notify_mode.attempts) == 1  # asked by reference, never posted again


def test_a_5xx_after_notify_took_the_message_is_looked_up_not_sent_again(planned, notify_mode):
    message = invitation_message(planned())
    notify_mode.fail_next_after_accepting(500)
    with pytest.raises(RetryLater):
        message_send(message_id=message.pk, now=DAYTIME)

    assert message_send(message_id=message.pk, now=LATER) == Outcome.RECOVERED
    assert len(notify_mode.attempts) == 1 and len(notify_mode.accepted) == 1


def test_a_5xx_that_took_nothing_is_sent_after_the_lookup_finds_nothing(planned, notify_mode):
    message = invitation_message(planned())
    notify_mode.answer_next(503)
    with pytest.raises(RetryLater):
        message_send(message_id=message.pk, now=DAYTIME)

    assert message_send(message_id=message.pk, now=LATER) == Outcome.SENT
    assert len(notify_mode.attempts) == 2 and len(notify_mode.accepted) == 1


def test_connection_refused_is_retried_without_a_lookup(planned, notify_mode, settings):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused_url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    settings.NOTIFY_BASE_URL = refused_url
    message = invitation_message(planned())
    with pytest.raises(RetryLater):
        message_send(message_id=message.pk, now=DAYTIME)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and not message.maybe_sent


# -- a 429 slows the whole queue ----------------------------------------------------------------


def test_a_429_holds_every_sender_back_instead_of_each_message_meeting_it(
    day, notify_mode, settings
):
    settings.MESSAGE_RATE_PAUSE_SECONDS = 60
    first, _ = day.woman(10, 15)
    second, _ = day.woman(10, 20)
    plan_invitations_for_session(day.session.pk, now=DAYTIME)
    notify_mode.answer_next(429)
    with pytest.raises(RetryLater):
        message_send(message_id=invitation_message(first).pk, now=DAYTIME)

    with pytest.raises(RetryLater):  # paused: it waits its turn without calling Notify
        message_send(message_id=invitation_message(second).pk, now=DAYTIME)

    assert len(notify_mode.attempts) == 1
    assert invitation_message(second).status == MessageStatus.PENDING


# -- throughput: one long-lived Notify client per worker thread ---------------------------------


def test_a_worker_thread_sends_through_one_notify_client_on_one_connection(
    day, notify_mode, settings
):
    from .fake_notify import FakeNotify

    keep_alive = FakeNotify(keep_alive=True).start()  # answers HTTP/1.1, as Notify does
    settings.NOTIFY_BASE_URL = keep_alive.url
    try:
        women = [day.woman(10, 15 + i)[0] for i in range(3)]
        plan_invitations_for_session(day.session.pk, now=DAYTIME)
        for woman in women:
            outcome = message_send(message_id=invitation_message(woman).pk, now=DAYTIME)
            assert outcome == Outcome.SENT
        assert len(keep_alive.accepted) == 3
        assert keep_alive.connections == 1
    finally:
        keep_alive.stop()


def test_giving_up_after_5xx_tells_staff_it_may_have_reached_her(planned, notify_mode, settings):
    settings.MESSAGE_RETRY_MAX = 1
    message = invitation_message(planned())
    notify_mode.fail_next_after_accepting(500)
    assert message_send(message_id=message.pk, now=DAYTIME) == Outcome.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert "may have reached her" in message.failure_reason
