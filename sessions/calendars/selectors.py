"""Reads for calendar feeds: whose feed a secret opens, and which sessions it lists."""

from __future__ import annotations

import datetime as dt
import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sessions.models import WaitingRoomSession
from waitroom.access import PROFESSIONALS, RUNS_SESSIONS, clinic_roles
from waitroom.models import Clinic, User

FEED_HISTORY = dt.timedelta(days=30)
# secrets.token_urlsafe(32) is 43 characters; anything else cannot be a feed secret.
TOKEN_LENGTH = 43


def feed_owner(token: str) -> User | None:
    """The active user whose feed secret is `token`, or None.

    The indexed lookup finds the candidate; comparing in constant time afterwards keeps the
    final check from leaking, through timing, how much of a guessed secret was right.
    """
    if len(token) != TOKEN_LENGTH:
        return None
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not hmac.compare_digest(user.calendar_token.encode(), token.encode()):
        return None
    return user


def feed_sessions(user: User) -> QuerySet[WaitingRoomSession]:
    """Her sessions for the feed: not cancelled, from 30 days ago onwards, at clinics where she
    still holds a role that runs sessions."""
    clinic_ids = clinic_roles(user).clinic_ids(*RUNS_SESSIONS)
    return (
        user.facilitated_sessions.not_cancelled()
        .filter(clinic_id__in=clinic_ids, end__gte=timezone.now() - FEED_HISTORY)
        .select_related("clinic", "cohort")
        .prefetch_related("facilitators")
        .order_by("start")
    )


def sees_public_names_only(user: User, clinic_id: int) -> bool:
    """Peer supporters see a cohort's public name, never its clinical staff name."""
    held = clinic_roles(user).roles_at(clinic_id)
    return not held & set(PROFESSIONALS)


def session_for_calendar(
    clinic: Clinic, session_id: int, *, runner: User | None
) -> WaitingRoomSession:
    """The clinic's session for its .ics; only one `runner` runs, when given (a peer supporter
    gets the sessions she runs only). 404 otherwise."""
    sessions = clinic.sessions.select_related("clinic", "cohort").prefetch_related("facilitators")
    if runner is not None:
        sessions = sessions.filter(facilitators=runner)
    return get_object_or_404(sessions, pk=session_id)
