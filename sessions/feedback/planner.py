"""Who is asked what, and when: the feedback planner. Reads only the database, so it can run
from Celery beat every few minutes and at any time: what it creates is held once by the
database (one FeedbackRequest per woman and occasion), and each request's message is sent once
by the invitations sender's claim (docs/adr/0039).

It asks nobody whose pregnancy has ended, and writes no message for a woman who opted out or
has no consented channel (she can still answer from her home when signed in); consent, opt-out
and pregnancy are checked again by the sender at the last moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.facilitation.models import Attendance, AttendanceStatus
from sessions.invitations.models import (
    REACHED_STATUSES,
    Channel,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
)
from sessions.models import Patient, WaitingRoomSession
from waitroom.messaging import route_for
from waitroom.models import Clinic

from . import asking
from .links import feedback_link
from .models import FeedbackRequest, FeedbackSettings, Instrument, Occasion
from .wording import feedback_wording

logger = logging.getLogger(__name__)

CAME = [
    AttendanceStatus.ATTENDED,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_FOR_APPOINTMENT,
]


@dataclass
class FeedbackPlanResult:
    requests: int = 0
    messages: int = 0
    due_now: bool = False


def settings_for(clinic: Clinic) -> FeedbackSettings:
    """The clinic's settings, or the documented defaults when it has none saved."""
    found = FeedbackSettings.objects.filter(clinic=clinic).first()
    return found or FeedbackSettings(clinic=clinic)


def _instruments(slugs: list[str]) -> list[Instrument]:
    found = {i.slug: i for i in Instrument.objects.current().filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def feedback_request_create(
    *,
    patient: Patient,
    clinic: Clinic,
    occasion_kind: str,
    occasion: str,
    instruments: list[Instrument],
    due: dt.datetime,
    session: WaitingRoomSession | None = None,
    now: dt.datetime,
) -> FeedbackRequest | None:
    """Ask her, once: the request and (when she can be messaged) its message, in one
    transaction. None when she was already asked on this occasion."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = FeedbackRequest.objects.create(
                    patient=patient,
                    clinic=clinic,
                    occasion_kind=occasion_kind,
                    occasion=occasion,
                    session=session,
                    order=[i.slug for i in instruments],
                    created_at=now,
                )
        except IntegrityError:
            return None
        request.instruments.set(instruments)
        channel = route_for(patient)
        if channel is None or patient.opted_out_at is not None:
            return request
        words = feedback_wording(
            first_name=patient.first_name,
            clinic_name=clinic.name,
            occasion_kind=occasion_kind,
            link=feedback_link(request),
            channel=channel,
        )
        request.message = Message.objects.create(
            patient=patient,
            clinic=clinic,
            kind=MessageKind.FEEDBACK,
            channel=channel,
            due_at=asking.ask_at(due=due, sms=channel == Channel.SMS, tz=clinic.zone),
            subject=words.subject,
            body=words.body,
        )
        request.save(update_fields=["message"])
    return request


def _after_sessions(
    clinic: Clinic, config: FeedbackSettings, now: dt.datetime, result: FeedbackPlanResult
) -> None:
    instruments = _instruments(config.slugs(config.after_session_instruments))
    if not config.ask_after_sessions or not instruments:
        return
    attended = list(
        Attendance.objects.filter(
            session__clinic=clinic,
            status__in=CAME,
            session__end__lte=now,
            session__end__gte=now - asking.AFTER_SESSION_LOOKBACK,
            patient__pregnancy_ended_at__isnull=True,
        ).select_related("session", "patient")
    )
    if not attended:
        return
    asked = set(
        FeedbackRequest.objects.filter(
            patient_id__in={a.patient_id for a in attended},
            occasion__in={f"session-{a.session_id}" for a in attended},
        ).values_list("patient_id", "occasion")
    )
    appointments = {
        (i.session_id, i.patient_id): i.appointment
        for i in Invitation.objects.filter(
            session_id__in={a.session_id for a in attended},
            patient_id__in={a.patient_id for a in attended},
        ).select_related("appointment")
    }
    delay = dt.timedelta(minutes=config.after_appointment_minutes)
    for attendance in attended:
        occasion = f"session-{attendance.session_id}"
        if (attendance.patient_id, occasion) in asked:
            continue
        appointment = appointments.get((attendance.session_id, attendance.patient_id))
        due = asking.after_session_due(
            session_end=attendance.session.end,
            appointment_end=appointment.end if appointment else None,
            delay=delay,
            sms=False,  # quiet hours are applied for the channel chosen, on creation
            tz=clinic.zone,
        )
        _ask(
            result,
            now=now,
            patient=attendance.patient,
            clinic=clinic,
            occasion_kind=Occasion.AFTER_SESSION,
            occasion=occasion,
            session=attendance.session,
            instruments=instruments,
            due=due,
        )


def _baselines(
    clinic: Clinic, config: FeedbackSettings, now: dt.datetime, result: FeedbackPlanResult
) -> None:
    instruments = _instruments(config.slugs(config.pair_instruments))
    if not config.ask_baseline_and_later or not instruments:
        return
    first_invited = set(
        Message.objects.filter(
            kind=MessageKind.INVITATION,
            status__in=[*REACHED_STATUSES, MessageStatus.DELIVERED],
            invitation__session__clinic=clinic,
            sent_at__gte=now - asking.BASELINE_LOOKBACK,
            invitation__patient__pregnancy_ended_at__isnull=True,
        ).values_list("invitation__patient_id", flat=True)
    )
    already = set(
        FeedbackRequest.objects.filter(
            patient_id__in=first_invited, occasion=Occasion.BASELINE
        ).values_list("patient_id", flat=True)
    )
    for patient in Patient.objects.filter(pk__in=first_invited - already).order_by("pk"):
        _ask(
            result,
            now=now,
            patient=patient,
            clinic=clinic,
            occasion=Occasion.BASELINE,
            instruments=instruments,
        )

    today = clinic.today(now)
    baseline_here = FeedbackRequest.objects.filter(
        clinic=clinic,
        occasion=Occasion.BASELINE,
        patient__pregnancy_ended_at__isnull=True,
        patient__estimated_due_date__isnull=False,
        patient__estimated_due_date__gte=today,
    ).exclude(patient__feedback_requests__occasion=Occasion.LATER)
    for baseline in baseline_here.select_related("patient").order_by("pk"):
        patient = baseline.patient
        if not asking.later_ask_is_due(
            due_date=patient.estimated_due_date, at_weeks=config.later_at_weeks, today=today
        ):
            continue
        _ask(
            result,
            now=now,
            patient=patient,
            clinic=clinic,
            occasion=Occasion.LATER,
            instruments=instruments,
        )


def _ask(
    result: FeedbackPlanResult,
    *,
    now: dt.datetime,
    occasion: str,
    occasion_kind: str | None = None,
    due: dt.datetime | None = None,
    **fields,
) -> None:
    """Create the request (`feedback_request_create`; kind defaults to the occasion, due to
    now) and count it, and its message, in `result`."""
    request = feedback_request_create(
        occasion=occasion,
        occasion_kind=occasion_kind or occasion,
        due=due if due is not None else now,
        now=now,
        **fields,
    )
    if request is None:
        return
    result.requests += 1
    if request.message_id:
        result.messages += 1
        result.due_now = result.due_now or request.message.due_at <= now


def feedback_plan_for_clinic(
    *, clinic_id: int, now: dt.datetime | None = None
) -> FeedbackPlanResult:
    """Bring one clinic's feedback requests in line with who came and who is due to be asked."""
    now = now or timezone.now()
    result = FeedbackPlanResult()
    clinic = Clinic.objects.filter(pk=clinic_id, is_active=True).first()
    if clinic is None:
        return result
    config = settings_for(clinic)
    _after_sessions(clinic, config, now, result)
    _baselines(clinic, config, now, result)
    if result.requests:
        logger.info(
            "feedback planned for clinic %s: %d requests, %d messages",
            clinic_id,
            result.requests,
            result.messages,
        )
    return result
