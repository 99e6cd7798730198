"""The dispatcher and the sender: how a due Message row becomes exactly one SMS or email.

The database holds what must be sent; the broker only carries "look at message 123".

- The dispatcher picks due, pending rows (skipping rows another dispatcher holds), stamps
  `enqueued_at` and queues one send task per batch of ids (the batch sender, at the end). A
  row still pending after it was queued, when the broker's send tasks carry fewer ids than
  such rows, was lost with the broker (Redis flushed or restarted, a process killed while
  publishing) and is queued again at the next tick; a row
  claimed long ago and never finished lost its worker, and is queued for recovery.
- The sender claims the row with a conditional UPDATE (pending -> sending) before it calls the
  provider, so a task run twice, or two workers, send once. It stores the provider's id after.
- Recovery of a claim whose worker died asks the provider by reference (the message id) whether
  it already took the message: if so the id is stored, if not it is sent now. Django's mail
  backend cannot be asked, so such an email is marked failed for staff rather than risk a
  duplicate.
- Transient errors (429, 5xx, no answer) release the claim and retry with exponential backoff and
  jitter; 400 and 403 are final and shown to staff (an SMS that fails for good goes by email).
  After a 5xx or no answer in time the provider may have it (`maybe_sent`): the next attempt
  asks by reference before sending.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from sessions.models import SessionStatus
from waitroom.messaging import (
    OutgoingMessage,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
    channel_backend,
    route_for,
)
from waitroom.messaging.base import UNKNOWN
from waitroom.messaging.ratelimit import rate_limit_acquire, rate_limit_pause, rate_limit_take

from . import timing
from .models import Channel, Invitation, InvitationState, Message, MessageKind, MessageStatus
from .wording import Wording, message_wording

logger = logging.getLogger(__name__)

DISPATCH_BATCH = 5000
UNSUBSCRIBE_SALT = "waitroom.unsubscribe"

# Which invitation states a message of each kind still makes sense in.
_KIND_STATES = {
    MessageKind.INVITATION: {InvitationState.PLANNED, InvitationState.SENT},
    MessageKind.REMINDER: {InvitationState.PLANNED, InvitationState.SENT},
    MessageKind.SAME_DAY: {InvitationState.ACCEPTED},
    MessageKind.PROMOTED: {InvitationState.ACCEPTED},
    MessageKind.WAITING_LIST: {InvitationState.WAITING_LIST},
    MessageKind.CHANGE: {InvitationState.CANCELLED},
    MessageKind.CANCELLATION: {InvitationState.CANCELLED},
}
_NOTICES = {MessageKind.CHANGE, MessageKind.CANCELLATION}


class Outcome(StrEnum):
    SENT = "sent"
    RECOVERED = "recovered"
    SKIPPED = "skipped"
    TAKEN = "taken"
    CANCELLED = "cancelled"
    DEFERRED = "deferred"
    FELL_BACK = "fell_back"
    FAILED = "failed"


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    def __init__(self, countdown: float) -> None:
        super().__init__(countdown)
        self.countdown = countdown


def retry_countdown(attempt: int) -> float:
    """Exponential backoff with jitter, kept well inside the broker's visibility timeout."""
    base = settings.MESSAGE_RETRY_BASE_SECONDS * 2 ** max(0, attempt - 1)
    ceiling = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) / 2
    return min(ceiling, base + random.uniform(0, base))  # noqa: S311 - jitter, not security


# An unsubscribe link works for a year: longer than a pregnancy, so a woman who finds an old
# email can still stop messages with one tap; after that she gets a kind page saying how else.
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=365)


class UnsubscribeLinkExpired(Exception):  # noqa: N818 - an outcome the page explains, not a bug
    """A genuine unsubscribe link, too old to act on."""


def unsubscribe_token(patient_id: int) -> str:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object({"p": patient_id})


def patient_id_from_unsubscribe_token(token: str) -> int | None:
    """The patient a current unsubscribe link names; None for a forged or mangled one.

    Raises UnsubscribeLinkExpired for a genuine link older than UNSUBSCRIBE_MAX_AGE, and for
    links from before they carried a date (they never expired; now they have).
    """
    try:
        payload = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign_object(
            token, max_age=UNSUBSCRIBE_MAX_AGE
        )
        return int(payload["p"])
    except signing.SignatureExpired:
        raise UnsubscribeLinkExpired from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        pass
    try:
        signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    raise UnsubscribeLinkExpired


def unsubscribe_url(patient_id: int) -> str:
    path = reverse("message_unsubscribe", kwargs={"token": unsubscribe_token(patient_id)})
    return f"{settings.SITE_URL}{path}"


# -- the dispatcher -----------------------------------------------------------------------------


@dataclass
class DispatchResult:
    queued: list[int]
    recovering: list[int]
    more: bool


def _requeue_before(now: dt.datetime) -> dt.datetime:
    """Rows queued before this and still pending are queued again.

    Normally after MESSAGE_REQUEUE_AFTER_SECONDS. But when the broker holds fewer tasks than
    there are such rows, it lost some (issue 15, defect 4): then after only
    MESSAGE_LOST_AFTER_SECONDS (time for an on-commit publish to land), so the next dispatcher
    tick, within a minute, puts them back without waiting for the planner.
    A row queued twice is harmless: the claim lets one task send it. The count is of the
    message ids the send tasks carry (a batch task carries many), whatever their state.
    """
    from waitroom.celery import broker_held_tasks

    long_wait = now - dt.timedelta(seconds=settings.MESSAGE_REQUEUE_AFTER_SECONDS)
    short_wait = now - dt.timedelta(seconds=settings.MESSAGE_LOST_AFTER_SECONDS)
    held = broker_held_tasks()
    if held is None:
        return long_wait
    carried = sum(
        len(args[0]) if name == "invitations.send_batch" and args else 1
        for name, args in held
        if name in {"invitations.send_batch", "invitations.send_message"}
    )
    in_flight = (
        Message.objects.pending()
        .filter(enqueued_at__isnull=False, enqueued_at__lt=short_wait)
        .count()
    )
    if carried < in_flight:
        logger.warning("broker holds tasks for %d of %d queued messages", carried, in_flight)
        return short_wait
    return long_wait


def messages_dispatch(
    *, now: dt.datetime | None = None, limit: int = DISPATCH_BATCH
) -> DispatchResult:
    """Queue a send task for each due message (and each abandoned claim), after commit."""
    from .tasks import send_batch, send_message

    now = now or timezone.now()
    requeue_before = _requeue_before(now)
    stale_before = now - dt.timedelta(seconds=settings.MESSAGE_STALE_CLAIM_SECONDS)
    with transaction.atomic():
        due = list(
            Message.objects.due(now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: limit + 1]
        )
        more = len(due) > limit
        due = due[:limit]
        stale = list(
            Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=stale_before)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale_before))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if due or stale:
            Message.objects.filter(pk__in=due + stale).update(enqueued_at=now)

        def queue() -> None:
            size = max(1, settings.MESSAGE_SEND_BATCH)
            for start in range(0, len(due), size):
                send_batch.delay(due[start : start + size])
            for message_id in stale:
                send_message.delay(message_id)

        transaction.on_commit(queue)
    if due or stale:
        logger.info("dispatched %d due, %d abandoned messages", len(due), len(stale))
    return DispatchResult(queued=due, recovering=stale, more=more)


# -- the sender ---------------------------------------------------------------------------------


# What a message needs loaded to be checked, worded and sent.
_SENDING_RELATED = ("invitation__session__clinic", "invitation__patient", "patient", "clinic")


def _load(message_id: int) -> Message | None:
    return Message.objects.select_related(*_SENDING_RELATED).filter(pk=message_id).first()


def _zone(message: Message) -> ZoneInfo:
    return message.sending_clinic.zone


def _send_before(message: Message, now: dt.datetime) -> dt.datetime:
    """After this it is not worth sending: the session's end; a feedback question has no
    such end (quiet hours only move it to the morning)."""
    if message.invitation_id:
        return message.invitation.session.end
    return now + dt.timedelta(days=2)


def _wording(message: Message) -> Wording:
    """What it says: an invitation's messages are worded as they go (the session may have
    moved); a message about her alone carries the words it was planned with."""
    if message.invitation_id is None:
        return Wording(subject=message.subject, body=message.body)
    return message_wording(
        invitation=message.invitation, kind=message.kind, channel=message.channel
    )


def _no_longer_wanted(message: Message, now: dt.datetime) -> str:
    """Why this message must not go now (checked again at the last moment), or ''."""
    patient = message.recipient
    if patient.pregnancy_ended_at is not None:
        return "Stopped: pregnancy ended"
    if patient.opted_out_at is not None:
        return "Stopped: she opted out of messages"
    consent = {
        Channel.SMS: patient.consent_sms and bool(patient.mobile),
        Channel.EMAIL: patient.consent_email and bool(patient.email),
        Channel.OUTBOX: route_for(patient) is not None,
    }
    if not consent.get(message.channel, False):
        return "Stopped: no consent or contact details for this channel"
    if message.invitation_id is None:
        return "" if message.body else "Stopped: nothing to say"
    invitation = message.invitation
    session = invitation.session
    if invitation.state not in _KIND_STATES.get(message.kind, set()):
        return "Stopped: the invitation has changed"
    if session.end <= now:
        return "Stopped: the session is over"
    if message.kind not in _NOTICES and session.status != SessionStatus.PUBLISHED:
        return "Stopped: the session is not going ahead"
    return ""


def _address(message: Message) -> str:
    patient = message.recipient
    return patient.mobile if message.channel == Channel.SMS else patient.email


def _outgoing(message: Message) -> OutgoingMessage:
    email = message.channel == Channel.EMAIL
    return OutgoingMessage(
        reference=message.reference,
        channel=message.channel,
        to=_address(message) if message.channel != Channel.OUTBOX else "",
        subject=message.subject,
        body=message.body,
        unsubscribe_url=unsubscribe_url(message.recipient_id) if email else "",
    )


def _mark_sent(message: Message, provider_id: str, now: dt.datetime) -> None:
    updates = {"status": MessageStatus.SENT, "sent_at": now, "provider_id": provider_id}
    if message.fell_back_at is None:
        updates["failure_reason"] = ""
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(**updates)
    if message.kind == MessageKind.INVITATION:
        Invitation.objects.filter(pk=message.invitation_id, state=InvitationState.PLANNED).update(
            state=InvitationState.SENT
        )


def _fail(message: Message, status: str, reason: str) -> None:
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status, failure_reason=reason[:200]
    )


def _deliver(message: Message, now: dt.datetime) -> Outcome:
    """Hand a claimed message to its channel and record what came of it."""
    try:
        provider_id = channel_backend(message.channel).send(_outgoing(message))
    except (TransientSendError, PermanentSendError) as exc:
        return _after_failure(message, exc, now)
    _mark_sent(message, provider_id, now)
    return Outcome.SENT


def _after_failure(
    message: Message, exc: TransientSendError | PermanentSendError, now: dt.datetime
) -> Outcome:
    """Record a failed send of a claimed message: release it for a retry (raising RetryLater),
    fall back from SMS to email, or show staff it failed."""
    from .services import message_fall_back

    attempt = message.attempts
    if isinstance(exc, TransientSendError):
        if exc.status == 429:
            # Over the provider's limit: slow the whole queue, not just this message.
            rate_limit_pause(seconds=settings.MESSAGE_RATE_PAUSE_SECONDS)
        if attempt >= settings.MESSAGE_RETRY_MAX:
            maybe = isinstance(exc, UncertainSendError)
            _fail(
                message,
                MessageStatus.TECHNICAL_FAILURE,
                f"Gave up after {attempt} tries: {exc.reason}"
                + ("; it may have reached her, check with her" if maybe else ""),
            )
            logger.warning("message %s failed after %d tries", message.pk, attempt)
            return Outcome.FAILED
        countdown = retry_countdown(attempt)
        # Release the claim; the retry (or, if the broker loses it, the dispatcher) takes it up.
        # If the provider may have it, the next attempt asks before sending (issue 15, defect 2).
        uncertain = isinstance(exc, UncertainSendError) or message.maybe_sent
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING,
            claimed_at=None,
            enqueued_at=now + dt.timedelta(seconds=countdown),
            failure_reason=exc.reason[:200],
            maybe_sent=uncertain,
        )
        logger.info("message %s: %s; retry in %.1fs", message.pk, exc.reason, countdown)
        raise RetryLater(countdown) from exc
    logger.warning("message %s rejected (%s)", message.pk, exc.status)
    if message.channel == Channel.SMS:
        with transaction.atomic():
            message.refresh_from_db()
            if message_fall_back(message=message, reason=exc.reason, now=now):
                return Outcome.FELL_BACK
    _fail(message, MessageStatus.REJECTED, exc.reason)
    return Outcome.FAILED


def _recover(message: Message, now: dt.datetime) -> Outcome:
    """A claim whose worker died: find out from the provider whether it went, before sending."""
    stale_before = now - dt.timedelta(seconds=settings.MESSAGE_STALE_CLAIM_SECONDS)
    if message.claimed_at is None or message.claimed_at >= stale_before:
        return Outcome.TAKEN
    took_over = Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
    ).update(claimed_at=now)
    if not took_over:
        return Outcome.TAKEN
    message.claimed_at = now
    backend = channel_backend(message.channel)
    try:
        found = backend.find_sent(message.reference)
    except TransientSendError as exc:
        # Leave the claim to go stale again; ask again later.
        raise RetryLater(retry_countdown(1)) from exc
    settled = _settled_by_provider(
        message, found, now, unknown="Interrupted", after="an interrupted send"
    )
    if settled is not None:
        return settled
    if message.channel != Channel.OUTBOX and not rate_limit_acquire():
        raise RetryLater(1.0 + random.random())  # noqa: S311
    return _deliver(message, now)


def message_send(*, message_id: int, now: dt.datetime | None = None) -> Outcome:
    """Send one message if it is due and still wanted. Safe to call any number of times."""
    now = now or timezone.now()
    message = _load(message_id)
    if message is None:
        return Outcome.SKIPPED
    if message.status == MessageStatus.SENDING:
        return _recover(message, now)
    if message.status != MessageStatus.PENDING or message.due_at > now:
        return Outcome.SKIPPED
    reason = _no_longer_wanted(message, now)
    if reason:
        Message.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(
            status=MessageStatus.CANCELLED, failure_reason=reason
        )
        return Outcome.CANCELLED
    tz = _zone(message)
    if message.channel == Channel.SMS and timing.in_quiet_hours(now, tz):
        later = timing.sendable_at(due=now, sms=True, session_end=_send_before(message, now), tz=tz)
        if later is None:
            Message.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(
                status=MessageStatus.CANCELLED, failure_reason="Stopped: quiet hours until the end"
            )
            return Outcome.CANCELLED
        Message.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(
            due_at=later, enqueued_at=None
        )
        return Outcome.DEFERRED
    wording = _wording(message)
    if message.channel != Channel.OUTBOX and not rate_limit_acquire():
        raise RetryLater(1.0 + random.random())  # noqa: S311
    claimed = Message.objects.filter(
        pk=message.pk, status=MessageStatus.PENDING, due_at__lte=now
    ).update(
        status=MessageStatus.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        subject=wording.subject,
        body=wording.body,
    )
    if not claimed:
        return Outcome.TAKEN
    message.status, message.claimed_at = MessageStatus.SENDING, now
    message.attempts += 1
    message.subject, message.body = wording.subject, wording.body
    if message.maybe_sent:
        return _ask_then_deliver(message, now)
    return _deliver(message, now)


def _ask_then_deliver(message: Message, now: dt.datetime) -> Outcome:
    """A claimed message an earlier attempt may have delivered to the provider (its answer
    came too late, or was a 5xx): ask by reference; send only if the provider has none."""
    try:
        found = channel_backend(message.channel).find_sent(message.reference)
    except TransientSendError as exc:
        countdown = retry_countdown(message.attempts)
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING,
            claimed_at=None,
            enqueued_at=now + dt.timedelta(seconds=countdown),
        )
        raise RetryLater(countdown) from exc
    settled = _settled_by_provider(
        message, found, now, unknown="No answer", after="an unanswered send"
    )
    return settled if settled is not None else _deliver(message, now)


def _settled_by_provider(
    message: Message, found: object, now: dt.datetime, *, unknown: str, after: str
) -> Outcome | None:
    """What the provider's answer about an earlier attempt (`find_sent`) settles: it has the
    message (RECOVERED, marked sent), or it cannot say (FAILED: never risk sending twice). None
    when it has none and the message may be sent."""
    if found is UNKNOWN:
        _fail(
            message,
            MessageStatus.TECHNICAL_FAILURE,
            f"{unknown} while sending: not sent again in case it went. Check with her.",
        )
        return Outcome.FAILED
    if found:
        _mark_sent(message, str(found), now)
        logger.info("message %s: found at the provider after %s", message.pk, after)
        return Outcome.RECOVERED
    return None


# -- the batch sender ---------------------------------------------------------------------------
#
# Throughput (issue 15): one task per batch of ids. The rows are loaded in one query, claimed in
# one conditional UPDATE (the one-row claim's conditions, over a SKIP LOCKED sub-select), sent
# through a small pool of threads that each keep one Notify client (and connection) alive, and
# marked sent in one UPDATE conditional on still being held by this claim. Everything unusual (a
# stale claim, a "maybe sent" lookup, a message to stop or defer, a failed send) goes through the
# one-message code above, so its guarantees are the same. See docs/adr/0035-batch-sender.md.

_NOT_TRIED = object()  # a send skipped because another in its chunk met a 429
_pool_lock = threading.Lock()
_pool: tuple[tuple[int, int], ThreadPoolExecutor] | None = None


def _send_pool() -> ThreadPoolExecutor:
    """This process's sending threads (made afresh in a forked worker child)."""
    global _pool
    with _pool_lock:
        key = (os.getpid(), max(1, settings.MESSAGE_SEND_THREADS))
        if _pool is None or _pool[0] != key:
            if _pool is not None and _pool[0][0] == key[0]:
                _pool[1].shutdown(wait=False)
            _pool = (key, ThreadPoolExecutor(max_workers=key[1], thread_name_prefix="send"))
        return _pool[1]


@dataclass
class BatchResult:
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    retry: dict[int, float] = field(default_factory=dict)  # id -> countdown, retried on its own
    later: list[int] = field(default_factory=list)  # not claimed (rate limit): another batch


def _ready(message: Message, now: dt.datetime) -> bool:
    """A due, wanted message that can go now with no questions asked."""
    if message.status != MessageStatus.PENDING or message.due_at > now or message.maybe_sent:
        return False
    if _no_longer_wanted(message, now):
        return False
    return not (message.channel == Channel.SMS and timing.in_quiet_hours(now, _zone(message)))


def _claim_many(messages: list[Message], wordings: dict, now: dt.datetime) -> set[int]:
    """Claim, in one statement, those of `messages` still pending, due and not maybe sent, and
    not held by another claimer; store each one's words. The ids claimed."""
    table = connection.ops.quote_name(Message._meta.db_table)
    values = ", ".join(["(%s::bigint, %s, %s)"] * len(messages))
    params: list = []
    for message in messages:
        wording = wordings[message.pk]
        params += [message.pk, wording.subject, wording.body]
    sql = f"""
        UPDATE {table} AS m
        SET status = %s, claimed_at = %s, attempts = m.attempts + 1,
            subject = v.subject, body = v.body
        FROM (VALUES {values}) AS v(id, subject, body)
        WHERE m.id = v.id AND m.status = %s AND m.id IN (
            SELECT id FROM {table}
            WHERE id = ANY(%s) AND status = %s AND due_at <= %s AND NOT maybe_sent
            ORDER BY id
            FOR UPDATE SKIP LOCKED
            LIMIT %s
        )
        RETURNING m.id
    """  # noqa: S608 - only the table name is formatted in; values are parameters
    ids = [message.pk for message in messages]
    params = [
        MessageStatus.SENDING,
        now,
        *params,
        MessageStatus.PENDING,
        ids,
        MessageStatus.PENDING,
        now,
        len(ids),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _mark_many_sent(sent: list[tuple[Message, str]], claimed_at: dt.datetime) -> set[int]:
    """Mark sent, in one statement, the messages still held by this claim. The ids marked."""
    if not sent:
        return set()
    table = connection.ops.quote_name(Message._meta.db_table)
    values = ", ".join(["(%s::bigint, %s)"] * len(sent))
    params: list = [MessageStatus.SENT, claimed_at]
    for message, provider_id in sent:
        params += [message.pk, provider_id]
    params += [MessageStatus.SENDING, claimed_at]
    sql = f"""
        UPDATE {table} AS m
        SET status = %s, sent_at = %s, provider_id = v.provider_id,
            failure_reason = CASE WHEN m.fell_back_at IS NULL THEN '' ELSE m.failure_reason END
        FROM (VALUES {values}) AS v(id, provider_id)
        WHERE m.id = v.id AND m.status = %s AND m.claimed_at = %s
        RETURNING m.id
    """  # noqa: S608 - only the table name is formatted in; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        marked = {row[0] for row in cursor.fetchall()}
    invitations = [
        message.invitation_id
        for message, _ in sent
        if message.pk in marked and message.kind == MessageKind.INVITATION
    ]
    if invitations:
        Invitation.objects.filter(pk__in=invitations, state=InvitationState.PLANNED).update(
            state=InvitationState.SENT
        )
    return marked


def _send_one(job: tuple, stop: threading.Event, deadline: float) -> object:
    """In a sending thread: no database here, only the provider. Past the batch's deadline a
    send is not started (the task must end well inside Celery's time limit)."""
    backend, outgoing = job
    if stop.is_set() or time.monotonic() > deadline:
        return _NOT_TRIED
    try:
        return backend.send(outgoing)
    except TransientSendError as exc:
        if exc.status == 429:
            stop.set()  # the rest of this chunk waits for the pause instead of meeting it too
        return exc
    except Exception as exc:  # noqa: BLE001 - recorded by the caller
        return exc


def _send_chunk(
    messages: list[Message],
    wordings: dict,
    result: BatchResult,
    now: dt.datetime,
    deadline: float,
) -> None:
    claimed_ids = _claim_many(messages, wordings, now)
    claimed = []
    for message in messages:
        if message.pk not in claimed_ids:
            result.outcomes[message.pk] = Outcome.TAKEN
            continue
        wording = wordings[message.pk]
        message.status, message.claimed_at = MessageStatus.SENDING, now
        message.attempts += 1
        message.subject, message.body = wording.subject, wording.body
        claimed.append(message)
    if not claimed:
        return
    backends = {channel: channel_backend(channel) for channel in {m.channel for m in claimed}}
    jobs = [(backends[m.channel], _outgoing(m)) for m in claimed]
    stop = threading.Event()
    answers = list(_send_pool().map(lambda job: _send_one(job, stop, deadline), jobs))
    sent, untried = [], []
    for message, answer in zip(claimed, answers, strict=True):
        if isinstance(answer, str):
            sent.append((message, answer))
        elif answer is _NOT_TRIED:
            untried.append(message)
    marked = _mark_many_sent(sent, now)
    for message, _ in sent:
        result.outcomes[message.pk] = Outcome.SENT if message.pk in marked else Outcome.TAKEN
    if untried:
        # Never sent (a 429 paused the queue, or time ran out): give the claim back as it was,
        # for another batch shortly.
        Message.objects.filter(
            pk__in=[m.pk for m in untried], status=MessageStatus.SENDING, claimed_at=now
        ).update(status=MessageStatus.PENDING, claimed_at=None, attempts=F("attempts") - 1)
        result.later += [m.pk for m in untried]
    for message, answer in zip(claimed, answers, strict=True):
        if isinstance(answer, (TransientSendError, PermanentSendError)):
            try:
                result.outcomes[message.pk] = _after_failure(message, answer, now)
            except RetryLater as later:
                result.retry[message.pk] = later.countdown
        elif isinstance(answer, Exception):
            # Unexpected: the claim stays; stale-claim recovery asks the provider by reference.
            logger.error("message %s: unexpected error while sending", message.pk, exc_info=answer)


def messages_send_batch(
    *, message_ids: list[int], now: dt.datetime | None = None, max_wait: float = 20.0
) -> BatchResult:
    """Send the due messages among `message_ids`, many at a time. Safe to call any number of
    times, and alongside other callers: each message goes once. Those not started within
    `max_wait` seconds (held back by the rate limit, a 429 pause or a slow provider) are left
    unclaimed, in `later`: the task ends well inside Celery's time limit even if every send
    meets the client's timeout (max_wait + NOTIFY_TIMEOUT_SECONDS)."""
    result = BatchResult()
    deadline = time.monotonic() + max_wait
    fixed_now = now
    now = now or timezone.now()
    ready = []
    for message in (
        Message.objects.select_related(*_SENDING_RELATED).filter(pk__in=message_ids).order_by("pk")
    ):
        if _ready(message, now):
            ready.append(message)
        elif message.status == MessageStatus.SENDING or (
            message.status == MessageStatus.PENDING and message.due_at <= now
        ):
            # Recovery, a "maybe sent" lookup, stopping or deferring: the one-message path.
            if time.monotonic() > deadline:
                result.later.append(message.pk)
                continue
            try:
                result.outcomes[message.pk] = message_send(message_id=message.pk, now=now)
            except RetryLater as later:
                result.retry[message.pk] = later.countdown
        else:
            result.outcomes[message.pk] = Outcome.SKIPPED
    if connection.vendor != "postgresql":
        # The batch claim and mark-sent are PostgreSQL statements; the demo's SQLite (make run,
        # tasks in-process) sends each through the one-message path, with the same guarantees.
        for message in ready:
            try:
                result.outcomes[message.pk] = message_send(message_id=message.pk, now=fixed_now)
            except RetryLater as later:
                result.retry[message.pk] = later.countdown
        return result
    wordings = {m.pk: _wording(m) for m in ready}
    # The outbox needs no slot from the provider's rate limit: those go first, all at once.
    ready.sort(key=lambda m: m.channel != Channel.OUTBOX)
    position = 0
    while position < len(ready) and time.monotonic() < deadline:
        if ready[position].channel == Channel.OUTBOX:
            count = sum(1 for m in ready[position:] if m.channel == Channel.OUTBOX)
        else:
            count, wait = rate_limit_take(count=len(ready) - position)
            if not count:
                if time.monotonic() + wait > deadline:
                    break
                time.sleep(wait)
                continue
        chunk = ready[position : position + count]
        _send_chunk(chunk, wordings, result, fixed_now or timezone.now(), deadline)
        position += count
    result.later += [m.pk for m in ready[position:]]
    return result
