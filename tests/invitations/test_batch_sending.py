"""The batch sender (issue 15, throughput): one claim for many rows, a pool of sending threads,
one mark-sent. Claimers racing for the same rows, a row finished by someone else between claim and
mark-sent, and one message failing among many.

Real PostgreSQL (each claimer on its own connection, committed data), the real Notify client,
the loopback fake Notify.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from sessions.invitations import sending
from sessions.invitations.models import Message, MessageKind, MessageStatus
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import Outcome, messages_send_batch
from sessions.invitations.wording import message_wording

from .conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

DAYTIME = london(2026, 3, 31, 11, 0)  # the day before the session, outside quiet hours


@pytest.fixture
def invitations(day, notify_mode):
    """`count` women invited by email, their invitations due: the messages, in id order."""

    def make(count: int) -> list[Message]:
        for i in range(count):
            day.woman(10, 5 + i % 30, consent_sms=False)
        plan_invitations_for_session(day.session.pk, now=DAYTIME)
        return list(
            Message.objects.filter(kind=MessageKind.INVITATION)
            .select_related("invitation__session__clinic", "invitation__patient")
            .order_by("pk")
        )

    return make


def in_another_connection(work):
    """Run `work` on a thread, so on its own database connection (as another worker would)."""
    answer = []

    def run():
        try:
            answer.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return answer[0]


def wordings_for(messages):
    return {
        m.pk: message_wording(invitation=m.invitation, kind=m.kind, channel=m.channel)
        for m in messages
    }


def statuses() -> dict[int, str]:
    return dict(Message.objects.values_list("pk", "status"))


def test_two_claimers_racing_for_the_same_rows_claim_disjoint_rows(invitations):
    messages = invitations(6)
    wordings = wordings_for(messages)
    ids = [m.pk for m in messages]

    with transaction.atomic():
        # Claimer A holds the first three (its transaction still open) while B claims all six.
        first = sending._claim_many(messages[:3], wordings, DAYTIME)
        second = in_another_connection(
            lambda: sending._claim_many(messages, wordings, DAYTIME + dt.timedelta(seconds=1))
        )

    assert first == set(ids[:3])
    assert second == set(ids[3:])
    # Once both have committed, a third claimer finds nothing left to claim.
    assert sending._claim_many(messages, wordings, DAYTIME + dt.timedelta(seconds=2)) == set()
    assert set(statuses().values()) == {MessageStatus.SENDING}


def test_two_batch_senders_given_the_same_ids_send_each_message_once(invitations, notify_mode):
    messages = invitations(30)
    ids = [m.pk for m in messages]
    start = threading.Barrier(2)

    def send():
        start.wait(timeout=10)
        return messages_send_batch(message_ids=ids, now=DAYTIME)

    results = []
    threads = [threading.Thread(target=lambda: results.append(in_another_connection(send)))]
    threads.append(threading.Thread(target=lambda: results.append(in_another_connection(send))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    references = notify_mode.references()
    assert sorted(references) == sorted(m.reference for m in messages)  # each once, none lost
    sent_by = [
        {pk for pk, outcome in result.outcomes.items() if outcome == Outcome.SENT}
        for result in results
    ]
    assert sent_by[0].isdisjoint(sent_by[1]) and sent_by[0] | sent_by[1] == set(ids)
    assert set(statuses().values()) == {MessageStatus.SENT}


def test_a_message_another_sender_took_over_meanwhile_is_not_marked_sent_by_this_claim(
    invitations, notify_mode, monkeypatch
):
    messages = invitations(4)
    taken_over, finished, *others = messages
    real_mark = sending._mark_many_sent

    def mark(sent, claimed_at):
        # Between sending and marking: stale-claim recovery took one claim over (still sending),
        # and another message was recorded as sent by someone else with its own id.
        Message.objects.filter(pk=taken_over.pk).update(
            claimed_at=claimed_at + dt.timedelta(minutes=6)
        )
        Message.objects.filter(pk=finished.pk).update(
            status=MessageStatus.SENT, provider_id="recorded-elsewhere", sent_at=DAYTIME
        )
        return real_mark(sent, claimed_at)

    monkeypatch.setattr(sending, "_mark_many_sent", mark)

    result = messages_send_batch(message_ids=[m.pk for m in messages], now=DAYTIME)

    taken_over.refresh_from_db()
    finished.refresh_from_db()
    assert taken_over.status == MessageStatus.SENDING and taken_over.provider_id == ""
    assert finished.provider_id == "recorded-elsewhere" and finished.sent_at == DAYTIME
    assert result.outcomes[taken_over.pk] == result.outcomes[finished.pk] == Outcome.TAKEN
    for message in others:
        message.refresh_from_db()
        assert message.status == MessageStatus.SENT and message.provider_id
        assert result.outcomes[message.pk] == Outcome.SENT


def test_a_rejected_message_in_a_batch_leaves_the_others_sent(invitations, notify_mode):
    messages = invitations(5)
    notify_mode.answer_next(400)  # whichever request comes first is refused for good

    result = messages_send_batch(message_ids=[m.pk for m in messages], now=DAYTIME)

    by_status = Message.objects.values_list("status", flat=True)
    assert sorted(by_status) == sorted([MessageStatus.REJECTED] + [MessageStatus.SENT] * 4)
    assert len(notify_mode.accepted) == len(set(notify_mode.references())) == 4
    assert sorted(result.outcomes.values()) == sorted([Outcome.FAILED] + [Outcome.SENT] * 4)


def test_a_5xx_after_accepting_one_message_is_retried_alone_the_others_are_sent(
    invitations, notify_mode
):
    messages = invitations(5)
    notify_mode.fail_next_after_accepting(500)  # Notify takes one, then answers 500

    result = messages_send_batch(message_ids=[m.pk for m in messages], now=DAYTIME)

    assert len(result.retry) == 1
    (retried,) = result.retry
    maybe = Message.objects.get(pk=retried)
    assert maybe.status == MessageStatus.PENDING and maybe.maybe_sent  # asked before resending
    others = Message.objects.exclude(pk=retried)
    assert {m.status for m in others} == {MessageStatus.SENT}
    assert not result.later


def test_a_429_in_a_batch_holds_back_the_rest_unclaimed_instead_of_each_meeting_it(
    invitations, notify_mode, settings
):
    settings.MESSAGE_SEND_THREADS = 1
    settings.MESSAGE_RATE_PAUSE_SECONDS = 60
    messages = invitations(5)
    notify_mode.answer_next(429)

    result = messages_send_batch(message_ids=[m.pk for m in messages], now=DAYTIME)

    assert len(notify_mode.attempts) == 1  # the others never met the 429
    assert len(result.retry) == 1 and len(result.later) == 4
    untried = Message.objects.filter(pk__in=result.later)
    assert {(m.status, m.attempts, m.claimed_at) for m in untried} == {
        (MessageStatus.PENDING, 0, None)
    }
    # The pause holds every sender: another batch now sends nothing and claims nothing.
    again = messages_send_batch(message_ids=result.later, now=DAYTIME, max_wait=0)
    assert sorted(again.later) == sorted(result.later)
    assert len(notify_mode.attempts) == 1


def test_a_slow_provider_ends_the_batch_in_time_leaving_the_rest_unclaimed(
    invitations, notify_mode, settings
):
    settings.MESSAGE_SEND_THREADS = 1
    messages = invitations(5)
    notify_mode.delay = 1.0  # each reply takes a second; the batch may take half of one

    result = messages_send_batch(message_ids=[m.pk for m in messages], now=DAYTIME, max_wait=0.5)

    sent = {pk for pk, outcome in result.outcomes.items() if outcome == Outcome.SENT}
    assert len(sent) <= 1 and len(result.later) >= 4
    assert sent | set(result.later) == {m.pk for m in messages}
    untried = Message.objects.filter(pk__in=result.later)
    assert {(m.status, m.attempts, m.claimed_at) for m in untried} == {
        (MessageStatus.PENDING, 0, None)
    }
    assert len(notify_mode.accepted) == len(sent)
