"""Changing sessions: create, update, publish, cancel. Views call these and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from groups.models import Cohort
from sessions.models import (
    SessionStatus,
    WaitingAreaPlace,
    WaitingRoomSession,
    place_name_problem,
)
from waitroom.audit import audit_by
from waitroom.models import AuditEvent, Clinic, User


class SessionStateError(Exception):
    """The session is not in a state that allows this (for example, publishing a cancelled one)."""


def request_invitation_planning(session: WaitingRoomSession) -> None:
    """Hand the session to invitation planning.

    The hook the invitations issue fills in (enqueue the planner after commit). Until then it
    records that planning is due, which the planner will read: the database, not the broker,
    holds what must be done.
    """
    session.planning_due_at = timezone.now()
    WaitingRoomSession.objects.filter(pk=session.pk).update(planning_due_at=session.planning_due_at)
    # The invitations planner runs after commit; if the broker loses the task, the beat's
    # planner still finds planning_due_at set.
    from sessions.invitations.tasks import plan_session

    session_id = session.pk
    transaction.on_commit(lambda: plan_session.delay(session_id))


def _check_place(place: WaitingAreaPlace, clinic: Clinic) -> None:
    """A session meets at one of its own clinic's places, whose name is safe to text."""
    if place.clinic_id != clinic.pk:
        raise ValueError("The place is not at this session's clinic.")
    if place_name_problem(place.name):
        raise ValueError("The place's name must not be sent in a text message.")


@transaction.atomic
def session_create(
    *,
    clinic: Clinic,
    cohort: Cohort,
    start: dt.datetime,
    end: dt.datetime,
    place: WaitingAreaPlace,
    capacity: int,
    topic: str = "",
    facilitators: Iterable[User] = (),
    partners_welcome: bool = False,
    children_welcome: bool = False,
    buggy_space: bool = False,
    by: User,
) -> WaitingRoomSession:
    """A new draft session. Nobody is invited until it is published."""
    _check_place(place, clinic)
    session = WaitingRoomSession.objects.create(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=end,
        place=place,
        location=place.name,
        capacity=capacity,
        topic=topic,
        partners_welcome=partners_welcome,
        children_welcome=children_welcome,
        buggy_space=buggy_space,
        created_by=by,
        status=SessionStatus.DRAFT,
    )
    session.facilitators.set(facilitators)
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=session, clinic=clinic)
    return session


@transaction.atomic
def session_update(
    *,
    session: WaitingRoomSession,
    cohort: Cohort,
    start: dt.datetime,
    end: dt.datetime,
    place: WaitingAreaPlace,
    capacity: int,
    topic: str = "",
    facilitators: Iterable[User] = (),
    partners_welcome: bool = False,
    children_welcome: bool = False,
    buggy_space: bool = False,
    by: User,
) -> WaitingRoomSession:
    """Change a draft or published session; a published one has its invitations re-planned."""
    if not session.is_changeable:
        raise SessionStateError(f"A {session.get_status_display().lower()} session cannot change.")
    _check_place(place, session.clinic)
    session.cohort, session.start, session.end = cohort, start, end
    session.place, session.location = place, place.name
    session.capacity, session.topic = capacity, topic
    session.partners_welcome, session.children_welcome = partners_welcome, children_welcome
    session.buggy_space = buggy_space
    session.save(
        update_fields=[
            "cohort",
            "start",
            "end",
            "place",
            "location",
            "capacity",
            "topic",
            "partners_welcome",
            "children_welcome",
            "buggy_space",
        ]
    )
    session.facilitators.set(facilitators)
    audit_by(user=by, action=AuditEvent.Action.CHANGE, obj=session, clinic=session.clinic)
    if session.status == SessionStatus.PUBLISHED:
        request_invitation_planning(session)
    return session


@transaction.atomic
def session_publish(*, session: WaitingRoomSession, by: User) -> WaitingRoomSession:
    """Publish a draft and hand it to invitation planning.

    A conditional update claims the change, so two clicks (or two coordinators) publish once.
    """
    now = timezone.now()
    claimed = WaitingRoomSession.objects.filter(pk=session.pk, status=SessionStatus.DRAFT).update(
        status=SessionStatus.PUBLISHED, published_at=now
    )
    if not claimed:
        session.refresh_from_db(fields=["status"])
        raise SessionStateError(
            f"This session is {session.get_status_display().lower()}: only a draft can be "
            "published."
        )
    session.status, session.published_at = SessionStatus.PUBLISHED, now
    audit_by(user=by, action=AuditEvent.Action.PUBLISH, obj=session, clinic=session.clinic)
    request_invitation_planning(session)
    return session


@transaction.atomic
def session_cancel(*, session: WaitingRoomSession, by: User) -> WaitingRoomSession:
    """Cancel a draft or published session, keeping the state explicit.

    Planning is marked due so that the planner cancels invitations not yet sent and tells the
    women already invited.
    """
    now = timezone.now()
    claimed = (
        WaitingRoomSession.objects.filter(pk=session.pk)
        .changeable()
        .update(status=SessionStatus.CANCELLED, cancelled_at=now)
    )
    if not claimed:
        session.refresh_from_db(fields=["status"])
        raise SessionStateError(
            f"This session is {session.get_status_display().lower()} and cannot be cancelled."
        )
    session.status, session.cancelled_at = SessionStatus.CANCELLED, now
    audit_by(user=by, action=AuditEvent.Action.CANCEL, obj=session, clinic=session.clinic)
    request_invitation_planning(session)
    return session


def waiting_area_place_add(*, clinic: Clinic, name: str) -> WaitingAreaPlace:
    """A new place at `clinic`. ValueError if its name must not be texted to women."""
    name = " ".join(name.split())
    if place_name_problem(name):
        raise ValueError("The place's name must not be sent in a text message.")
    return WaitingAreaPlace.objects.create(clinic=clinic, name=name)


def waiting_area_place_retire(*, place: WaitingAreaPlace) -> None:
    """No new session may choose `place`; sessions already there keep it."""
    WaitingAreaPlace.objects.filter(pk=place.pk, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
