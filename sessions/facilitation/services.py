"""Changes made in and after a session: attendance, notes, concerns, debriefs, governance.

Keyword-only functions named `<thing>_<action>`. Each runs in the caller's transaction (requests
are atomic), so the audit event a view writes beside it commits or rolls back with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from waitroom.access import PEER_SUPPORTERS, PROFESSIONALS
from waitroom.models import Clinic, StaffRole, User

from .models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Concern,
    ConcernLead,
    ConcernStatus,
    Debrief,
    DiscussionNote,
    DiscussionTopic,
    NoteAddendum,
    PeerSupporterRecord,
)


class FacilitationError(Exception):
    """A change the rules do not allow; the message is written for the person who tried it."""


def _check_in_window_open(session) -> None:
    refusal = session.check_in_refusal()
    if refusal is not None:
        raise FacilitationError(refusal)


@transaction.atomic
def attendance_check_in(
    *, session, patient, method: str = CheckInMethod.QR_CODE, by=None
) -> tuple[Attendance, bool]:
    """Record that `patient` is at `session`. Returns (attendance, created); a second check-in
    changes nothing and returns created=False, so she can be told she is already in. Refused
    (FacilitationError) outside the session's check-in window."""
    _check_in_window_open(session)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                patient=patient,
                method=method,
                status=AttendanceStatus.ATTENDED,
                checked_in_at=timezone.now(),
                recorded_by=by,
            )
        return attendance, True
    except IntegrityError:
        return Attendance.objects.get(session=session, patient=patient), False


def attendance_mark(*, session, patient, status: str, by: User) -> Attendance:
    """Set how she attended. Times are taken from the clock when the facilitator marks it:
    arriving (attended, late) stamps the check-in time once; being called in for her appointment
    stamps the time she was called, once (a second tap keeps the first time), and she left the
    session then. Any other state clears the called time, so a mistaken tap can be undone.
    Refused (FacilitationError) outside the session's check-in window."""
    _check_in_window_open(session)
    now = timezone.now()
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        session=session,
        patient=patient,
        defaults={"method": CheckInMethod.FACILITATOR, "status": status, "recorded_by": by},
    )
    attendance.status = status
    attendance.recorded_by = by
    attendance.updated_at = now
    if status in (AttendanceStatus.ATTENDED, AttendanceStatus.LATE):
        attendance.checked_in_at = attendance.checked_in_at or now
        attendance.left_at = attendance.called_at = None
    elif status == AttendanceStatus.LEFT_FOR_APPOINTMENT:
        attendance.checked_in_at = attendance.checked_in_at or now
        attendance.called_at = attendance.called_at or now
        attendance.left_at = attendance.called_at
    else:  # did not attend
        attendance.checked_in_at = None
        attendance.left_at = attendance.called_at = None
    attendance.save()
    return attendance


# --- Notes ------------------------------------------------------------------------------------


def _signpost(*, session, resources: Iterable, by: User) -> None:
    from resources.services import signposting_record

    signposting_record(session=session, resources=resources, by=by)


def note_create(
    *, session, author: User, topics: Iterable[DiscussionTopic], summary: str, resources: Iterable
) -> DiscussionNote:
    note = DiscussionNote.objects.create(session=session, author=author, summary=summary)
    note.topics.set(topics)
    _signpost(session=session, resources=resources, by=author)
    return note


def note_update(
    *,
    note: DiscussionNote,
    by: User,
    topics: Iterable[DiscussionTopic],
    summary: str,
    resources: Iterable,
    now: dt.datetime | None = None,
) -> DiscussionNote:
    if not note.editable_by(by, now):
        raise FacilitationError(
            "This note is locked: notes can be changed by their author for 24 hours. "
            "Add an addendum instead."
        )
    note.summary = summary
    note.updated_at = now or timezone.now()
    note.save(update_fields=["summary", "updated_at"])
    note.topics.set(topics)
    _signpost(session=note.session, resources=resources, by=by)
    return note


def note_add_addendum(*, note: DiscussionNote, author: User, text: str) -> NoteAddendum:
    return NoteAddendum.objects.create(note=note, author=author, text=text)


def topic_add(*, clinic: Clinic, name: str) -> DiscussionTopic:
    topic, _ = DiscussionTopic.objects.update_or_create(
        clinic=clinic, name=name.strip(), defaults={"is_active": True}
    )
    return topic


def topic_retire(*, topic: DiscussionTopic) -> None:
    topic.is_active = False
    topic.save(update_fields=["is_active"])


# --- Concerns ---------------------------------------------------------------------------------


def concern_lead_for(*, clinic: Clinic, category: str) -> User | None:
    lead = ConcernLead.objects.filter(clinic=clinic, category=category).select_related("lead")
    found = lead.first()
    return found.lead if found else None


def concern_lead_set(*, clinic: Clinic, category: str, lead: User | None) -> None:
    if lead is None:
        ConcernLead.objects.filter(clinic=clinic, category=category).delete()
    else:
        ConcernLead.objects.update_or_create(
            clinic=clinic, category=category, defaults={"lead": lead}
        )


def concern_raise(
    *,
    session,
    patient,
    category: str,
    urgency: str,
    description: str,
    raised_by: User,
) -> Concern:
    """Record the concern, route it to the clinic's lead for its category and alert her at
    once. The alert is queued after commit, so it never points at a concern that rolled back."""
    from .tasks import send_concern_alert

    concern = Concern.objects.create(
        clinic=session.clinic,
        session=session,
        patient=patient,
        category=category,
        urgency=urgency,
        description=description,
        raised_by=raised_by,
        assignee=concern_lead_for(clinic=session.clinic, category=category),
    )
    transaction.on_commit(lambda: send_concern_alert.delay(concern.pk))
    return concern


def concern_acknowledge(*, concern: Concern, by: User) -> Concern:
    if concern.status != ConcernStatus.OPEN:
        raise FacilitationError("This concern has already been acknowledged.")
    concern.status = ConcernStatus.ACKNOWLEDGED
    concern.acknowledged_by = by
    concern.acknowledged_at = timezone.now()
    concern.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return concern


def concern_close(*, concern: Concern, by: User, outcome: str) -> Concern:
    if concern.status == ConcernStatus.CLOSED:
        raise FacilitationError("This concern is already closed.")
    if not outcome.strip():
        raise FacilitationError("Enter the outcome before closing the concern.")
    now = timezone.now()
    if concern.status == ConcernStatus.OPEN:
        # Closing an open concern acknowledges it too: the lifecycle has no skipped step.
        concern.acknowledged_by = by
        concern.acknowledged_at = now
    concern.status = ConcernStatus.CLOSED
    concern.closed_by = by
    concern.closed_at = now
    concern.outcome = outcome.strip()
    concern.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "closed_by",
            "closed_at",
            "outcome",
        ]
    )
    return concern


# --- Debriefs and governance ------------------------------------------------------------------


def debrief_log(
    *,
    session,
    peer_supporter: User,
    professional: User,
    went_well: str,
    was_hard: str = "",
    follow_up: str = "",
) -> Debrief:
    if Debrief.objects.filter(session=session, peer_supporter=peer_supporter).exists():
        raise FacilitationError("You have already logged a debrief for this session.")
    return Debrief.objects.create(
        session=session,
        peer_supporter=peer_supporter,
        professional=professional,
        went_well=went_well,
        was_hard=was_hard,
        follow_up=follow_up,
    )


def debrief_confirm(*, debrief: Debrief, by: User) -> Debrief:
    if by.pk != debrief.professional_id:
        raise FacilitationError("Only the professional named on the debrief can confirm it.")
    if debrief.confirmed_at is None:
        debrief.confirmed_at = timezone.now()
        debrief.save(update_fields=["confirmed_at"])
    return debrief


def peer_supporter_record_update(
    *,
    user: User,
    training_completed_on: dt.date | None,
    dbs_checked_on: dt.date | None,
    dbs_expires_on: dt.date | None,
) -> PeerSupporterRecord:
    record, _ = PeerSupporterRecord.objects.update_or_create(
        user=user,
        defaults={
            "training_completed_on": training_completed_on,
            "dbs_checked_on": dbs_checked_on,
            "dbs_expires_on": dbs_expires_on,
            "updated_at": timezone.now(),
        },
    )
    return record


def peer_supporter_assignment_problem(user: User, clinic: Clinic, on_date: dt.date) -> str | None:
    """Why `user` may not run a session at `clinic` on `on_date`, or None when she may.

    Only peer supporters are checked: a professional (facilitator or coordinator at the clinic)
    is governed by her employer, not here. The message is shown to the coordinator as it is.
    """
    roles = set(
        StaffRole.objects.current().filter(user=user, clinic=clinic).values_list("role", flat=True)
    )
    if not roles & set(PEER_SUPPORTERS) or roles & set(PROFESSIONALS):
        return None
    name = user.get_full_name() or user.display_name or user.email
    record = PeerSupporterRecord.objects.filter(user=user).first()
    if record is None or record.training_completed_on is None:
        return (
            f"{name} cannot be assigned: she has not completed peer supporter training. "
            "Record her training date first."
        )
    if record.training_completed_on > on_date:
        return (
            f"{name} cannot be assigned: her training is not complete until "
            f"{date_format(record.training_completed_on, 'j F Y')}."
        )
    if record.dbs_expires_on is None:
        return f"{name} cannot be assigned: she has no DBS check recorded. Record it first."
    if record.dbs_expires_on < on_date:
        return (
            f"{name} cannot be assigned: her DBS check expired on "
            f"{date_format(record.dbs_expires_on, 'j F Y')}. It must be renewed first."
        )
    return None
