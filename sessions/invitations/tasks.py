"""Celery tasks: thin, ids only, safe to run twice. The work is in planner.py and sending.py.

acks_late and reject-on-worker-lost are on for every task (settings); nothing is scheduled with a
countdown longer than a retry's backoff, which stays inside the broker's visibility timeout.
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from sessions.models import SessionStatus, WaitingRoomSession

from .planner import plan_invitations_for_session
from .schedule import DISPATCH_EVERY_SECONDS, PLAN_EVERY_SECONDS
from .sending import RetryLater, message_send, messages_dispatch, messages_send_batch

logger = logging.getLogger(__name__)


def once_per_interval(name: str, seconds: int) -> bool:
    """True for the first beat tick in an interval, False for any other within it.

    The lock is never released: it lapses on its own after most of the interval (the margin
    absorbs queueing jitter between one beat's ticks). So two beats started by mistake, whatever
    their phase, act about once per interval between them, never twice within 80 % of it (a lock
    released at the end of each tick let both act: issue 15, defect 5).
    See docs/adr/0024-one-beat-tick-per-interval.md.
    """
    return cache.add(f"waitroom:beat-tick:{name}", "1", timeout=max(1, int(seconds * 0.8)))


@shared_task(name="invitations.plan_session")
def plan_session(session_id: int) -> None:
    result = plan_invitations_for_session(session_id)
    logger.info(
        "planned session %s: %d invited, %d cancelled, %d messages created, %d changed",
        session_id,
        result.invited,
        result.cancelled,
        result.messages_created,
        result.messages_changed,
    )
    if result.changed:
        dispatch_due.delay()


def sessions_to_plan() -> list[int]:
    """Upcoming sessions that are or were live, and any session marked for planning."""
    now = timezone.now()
    return list(
        WaitingRoomSession.objects.filter(
            Q(end__gt=now) & ~Q(status=SessionStatus.DRAFT) | Q(planning_due_at__isnull=False)
        )
        .order_by("start")
        .values_list("pk", flat=True)
    )


@shared_task(name="invitations.plan_all")
def plan_all() -> int | None:
    """The beat's planning tick: queue a planner run per session. None when another beat's tick
    already acted in this interval, else how many sessions were queued."""
    if not once_per_interval("plan_all", seconds=PLAN_EVERY_SECONDS):
        return None
    session_ids = sessions_to_plan()
    for session_id in session_ids:
        plan_session.delay(session_id)
    return len(session_ids)


@shared_task(name="invitations.dispatch_due")
def dispatch_due(scheduled: bool = False) -> int | None:
    """Queue what is due. A beat tick acts once per interval however many beats run; on-change
    kicks need no slot (skip_locked keeps dispatchers apart). None when skipped, else how many
    messages were queued."""
    if scheduled and not once_per_interval("dispatch", seconds=DISPATCH_EVERY_SECONDS):
        return None
    result = messages_dispatch()
    if result.more:
        dispatch_due.delay()
    return len(result.queued) + len(result.recovering)


@shared_task(name="invitations.send_message", bind=True, max_retries=None)
def send_message(self, message_id: int) -> str:
    try:
        return str(message_send(message_id=message_id))
    except RetryLater as later:
        raise self.retry(countdown=later.countdown) from None


@shared_task(name="invitations.send_batch", bind=True, max_retries=None)
def send_batch(self, message_ids: list[int]) -> str:
    """Send a batch of due messages. Any that fail for now are retried one by one after their
    backoff; any the rate limit held back go in another batch shortly."""
    result = messages_send_batch(message_ids=message_ids)
    for message_id, countdown in result.retry.items():
        send_message.apply_async((message_id,), countdown=countdown)
    if result.later:
        raise self.retry(args=(result.later,), countdown=random.uniform(0.5, 1.5))  # noqa: S311
    return f"{len(result.outcomes)} done"
