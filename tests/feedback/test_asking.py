"""When she is asked: after a session she came to (once her appointment is over, outside quiet
hours), at her first invitation and around 36 weeks; never twice for one occasion; with the
same consent, opt-out, STOP and pregnancy-loss rules as invitations, and neutral words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sessions.facilitation.models import AttendanceStatus
from sessions.feedback.models import FeedbackRequest, FeedbackSettings, Occasion
from sessions.feedback.planner import feedback_plan_for_clinic
from sessions.invitations.models import (
    Channel,
    Invitation,
    InvitationState,
    Message,
    MessageKind,
    MessageStatus,
)
from sessions.invitations.sending import Outcome, message_send
from sessions.invitations.services import inbound_sms_record, patient_pregnancy_ended
from sessions.lock_screen import lock_screen_forbidden_words
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)
from tests.invitations.conftest import LONDON, london

from .conftest import AFTER_IT, SESSION_START

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox_off(settings):
    settings.MESSAGE_CHANNEL = "notify"


def feedback_message(patient) -> Message:
    return Message.objects.get(patient=patient, kind=MessageKind.FEEDBACK)


def test_she_is_asked_once_after_a_session_she_came_to_an_hour_after_her_appointment(clinic, came):
    her = came(appointment_at=(10, 30))  # appointment 10:30-10:50; the session ends 10:45

    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT + dt.timedelta(minutes=5))

    request = FeedbackRequest.objects.get(patient=her.patient)
    assert request.occasion == f"session-{her.session.pk}"
    assert request.order == ["session-experience", "fft"]
    message = feedback_message(her.patient)
    assert message.due_at == london(2026, 5, 6, 11, 50)
    assert message.channel == Channel.SMS
    assert request.message == message
    assert Message.objects.filter(kind=MessageKind.FEEDBACK).count() == 1


def test_a_late_appointment_moves_the_question_after_it_and_out_of_quiet_hours(clinic, came):
    her = came(appointment_at=(19, 30))  # ends 19:50: +1 hour is 20:50, inside quiet hours
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=london(2026, 5, 6, 21, 0))
    assert feedback_message(her.patient).due_at == london(2026, 5, 7, 8, 0)


def test_the_sender_holds_a_due_text_until_quiet_hours_end(clinic, came):
    her = came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    message = feedback_message(her.patient)
    night = london(2026, 5, 6, 23, 0)
    assert message_send(message_id=message.pk, now=night) == Outcome.DEFERRED
    message.refresh_from_db()
    assert message.due_at == london(2026, 5, 7, 8, 0)


def test_women_who_did_not_come_or_whose_session_is_not_over_are_not_asked(clinic, came):
    came(status=AttendanceStatus.DID_NOT_ATTEND)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=SESSION_START + dt.timedelta(minutes=30))
    assert not FeedbackRequest.objects.exists()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert not FeedbackRequest.objects.exists()


def test_a_clinic_that_turned_after_session_asks_off_asks_nothing(clinic, came):
    FeedbackSettings.objects.create(clinic=clinic, ask_after_sessions=False)
    came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert not FeedbackRequest.objects.filter(occasion_kind=Occasion.AFTER_SESSION).exists()


def test_no_message_without_consent_or_after_opting_out_but_she_may_answer_from_home(clinic, came):
    no_consent = came(consent_sms=False, consent_email=False)
    opted_out = came(opted_out_at=AFTER_IT - dt.timedelta(days=1))
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    for her in (no_consent, opted_out):
        request = FeedbackRequest.objects.get(patient=her.patient)
        assert request.message is None
    assert not Message.objects.filter(kind=MessageKind.FEEDBACK).exists()


def test_a_woman_whose_pregnancy_ended_is_not_asked(clinic, came):
    her = came(pregnancy_ended_at=SESSION_START - dt.timedelta(days=1))
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert not FeedbackRequest.objects.filter(patient=her.patient).exists()


def test_pregnancy_ending_stops_her_pending_question_at_once(clinic, came):
    her = came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    patient_pregnancy_ended(patient=her.patient)
    assert feedback_message(her.patient).status == MessageStatus.CANCELLED


def test_stop_by_text_stops_her_pending_question_at_once(clinic, came):
    her = came(mobile="07700900555")
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert inbound_sms_record(source_number="447700900555", text="STOP") == 1
    assert feedback_message(her.patient).status == MessageStatus.CANCELLED


def test_the_sender_checks_consent_again_at_the_last_moment(clinic, came):
    her = came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    type(her.patient).objects.filter(pk=her.patient.pk).update(consent_sms=False)
    message = feedback_message(her.patient)
    assert message_send(message_id=message.pk, now=london(2026, 5, 6, 12, 0)) == Outcome.CANCELLED
    message.refresh_from_db()
    assert "consent" in message.failure_reason


def test_the_words_are_neutral_and_carry_only_a_signed_link(clinic, came):
    her = came(given_name="Amara")
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    message = feedback_message(her.patient)
    text = f"{message.subject} {message.body}"
    assert "Amara" in text
    assert lock_screen_forbidden_words(text) == []
    assert her.session.cohort.public_name not in text
    assert her.patient.family_name not in text
    assert "/feedback/" in message.body


def invited(clinic, **patient):
    """A woman whose first invitation to a session at `clinic` went out this morning."""
    woman = PatientFactory(organisation=clinic.organisation, **patient)
    session = WaitingRoomSessionFactory(
        clinic=clinic, cohort=CohortFactory(clinics=[clinic]), start=AFTER_IT + dt.timedelta(days=7)
    )
    appointment = AppointmentFactory(patient=woman, clinic=clinic, start=session.start)
    invitation = Invitation.objects.create(
        session=session, patient=woman, appointment=appointment, state=InvitationState.SENT
    )
    Message.objects.create(
        invitation=invitation,
        kind=MessageKind.INVITATION,
        channel=Channel.SMS,
        due_at=AFTER_IT - dt.timedelta(hours=4),
        status=MessageStatus.SENT,
        sent_at=AFTER_IT - dt.timedelta(hours=4),
    )
    return woman


def test_her_first_invitation_brings_the_baseline_questions_once(clinic, instruments):
    woman = invited(clinic)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT + dt.timedelta(hours=1))
    request = FeedbackRequest.objects.get(patient=woman)
    assert request.occasion == Occasion.BASELINE
    assert request.order == [
        "ons4",
        "placeholder-health-confidence",
        "placeholder-service-integration",
    ]
    assert feedback_message(woman).due_at == AFTER_IT


def test_the_later_questions_come_at_36_weeks_and_not_before(clinic, instruments):
    today = AFTER_IT.astimezone(LONDON).date()
    # 36 weeks is 4 weeks before her due date: due in 29 days is 35 weeks 6 days today.
    woman = invited(clinic, estimated_due_date=today + dt.timedelta(days=29))
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert not FeedbackRequest.objects.filter(patient=woman, occasion=Occasion.LATER).exists()

    next_day = AFTER_IT + dt.timedelta(days=1)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=next_day)
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=next_day + dt.timedelta(hours=1))
    later = FeedbackRequest.objects.get(patient=woman, occasion=Occasion.LATER)
    assert later.message.due_at == next_day
    assert FeedbackRequest.objects.filter(patient=woman).count() == 2


def test_the_clinics_week_for_the_later_questions_is_a_setting(clinic, instruments):
    FeedbackSettings.objects.create(clinic=clinic, later_at_weeks=34)
    today = AFTER_IT.astimezone(LONDON).date()
    woman = invited(clinic, estimated_due_date=today + dt.timedelta(days=6 * 7))
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    assert FeedbackRequest.objects.filter(patient=woman, occasion=Occasion.LATER).exists()


def test_a_coordinator_changes_when_her_clinic_asks_and_the_planner_follows(
    client, clinic, coordinator, came
):
    client.force_login(coordinator)
    url = reverse("feedback_settings", args=[clinic.slug])
    page = client.get(url).content.decode()
    assert 'value="60"' in page  # the documented default, before anything is saved
    response = client.post(
        url,
        {
            "ask_after_sessions": "on",
            "after_appointment_minutes": "15",
            "after_session_instruments": ["fft"],
            "later_at_weeks": "36",
        },
    )
    assert response.status_code == 302
    her = came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    request = FeedbackRequest.objects.get(patient=her.patient)
    assert request.order == ["fft"]
    assert feedback_message(her.patient).due_at == london(2026, 5, 6, 11, 5)


def test_asking_with_no_questions_chosen_is_an_error_linked_to_the_field(
    client, clinic, coordinator, instruments
):
    client.force_login(coordinator)
    url = reverse("feedback_settings", args=[clinic.slug])
    page = client.post(
        url,
        {"ask_after_sessions": "on", "after_appointment_minutes": "60", "later_at_weeks": "36"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: " in text
    assert 'href="#id_after_session_instruments_0"' in text
    assert not FeedbackSettings.objects.exists()
