"""Celery tasks: thin, ids only, safe to run twice. The work is in planner.py and sending.py.

acks_late and reject-on-worker-lost are on for every task (settings); nothing is scheduled with a
countdown longer than a retry's backoff, which stays inside the broker's visibility timeout.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from celery import shared_task
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from sessions.models import SessionStatus, WaitingRoomSession

from .planner import plan_invitations_for_session
from .sending import RetryLater, message_send, messages_dispatch

logger = logging.getLogger(__name__)


@contextmanager
def beat_lock(name: str, seconds: int):
    """Yield True for exactly one holder at a time (across processes, through the cache).

    If two beat schedulers run by mistake, each tick still acts once.
    """
    key = f"waitroom:beat-lock:{name}"
    acquired = cache.add(key, "1", timeout=seconds)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)


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
def plan_all() -> None:
    with beat_lock("plan_all", seconds=240) as acquired:
        if not acquired:
            return
        for session_id in sessions_to_plan():
            plan_session.delay(session_id)


@shared_task(name="invitations.dispatch_due")
def dispatch_due(scheduled: bool = False) -> None:
    # A beat tick takes the lock; on-change kicks need not (skip_locked keeps them apart).
    with beat_lock("dispatch", seconds=50) as acquired:
        if scheduled and not acquired:
            return
        result = messages_dispatch()
    if result.more:
        dispatch_due.delay()


@shared_task(name="invitations.send_message", bind=True, max_retries=None)
def send_message(self, message_id: int) -> str:
    try:
        return str(message_send(message_id=message_id))
    except RetryLater as later:
        raise self.retry(countdown=later.countdown) from None
