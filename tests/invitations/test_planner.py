"""The reconciling planner, case by case, with a fixed clock."""

import datetime as dt

import pytest

from groups.models import MembershipStatus
from sessions.invitations.models import (
    CancelReason,
    Invitation,
    InvitationState,
    Message,
    MessageKind,
    MessageStatus,
)
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.services import patient_pregnancy_ended
from sessions.models import AppointmentStatus, SessionStatus
from tests.factories import AppointmentFactory, ClinicFactory

from .conftest import NOW, london

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def plan(day, now=NOW):
    return plan_invitations_for_session(day.session.pk, now=now)


def invited_patient_ids(day):
    return set(
        Invitation.objects.filter(session=day.session)
        .exclude(state=InvitationState.CANCELLED)
        .values_list("patient_id", flat=True)
    )


def messages_of(patient, **filters):
    return {m.kind: m for m in Message.objects.filter(invitation__patient=patient, **filters)}


def mark_sent(patient, kind=MessageKind.INVITATION):
    Message.objects.filter(invitation__patient=patient, kind=kind).update(
        status=MessageStatus.SENT, sent_at=NOW
    )
    Invitation.objects.filter(patient=patient).update(state=InvitationState.SENT)


def test_it_invites_members_in_the_waiting_room_during_the_session(day):
    during, _ = day.woman(10, 15)
    just_before, _ = day.woman(9, 30)  # in the waiting room 09:15 to 09:50
    afternoon, _ = day.woman(15, 0)
    not_member, _ = day.woman(10, 15, member=False)
    elsewhere = day.woman(10, 15)[0]
    elsewhere.appointments.update(clinic=ClinicFactory())

    plan(day)

    # Arrives 15 minutes early and may wait 20 minutes after her time (clinic defaults).
    assert invited_patient_ids(day) == {during.pk}
    assert just_before.pk not in invited_patient_ids(day)
    assert afternoon.pk not in invited_patient_ids(day)
    assert not_member.pk not in invited_patient_ids(day)


def test_a_woman_in_the_waiting_room_for_half_the_session_is_invited_and_less_is_not(day):
    # The session is 10:00-10:45; half of it is 22.5 minutes. She waits from 15 minutes
    # before her booked time until 20 minutes after it.
    only_the_start, _ = day.woman(9, 45)  # 09:30-10:05: 5 minutes of it
    just_short, _ = day.woman(10, 2)  # 09:47-10:22: 22 minutes
    enough, _ = day.woman(10, 3)  # 09:48-10:23: 23 minutes
    late_enough, _ = day.woman(10, 37)  # 10:22-10:57: 23 minutes
    too_late, _ = day.woman(10, 38)  # 10:23-10:58: 22 minutes
    plan(day)
    assert invited_patient_ids(day) == {enough.pk, late_enough.pk}


def test_it_invites_only_women_who_consent_to_a_channel_it_can_use(day):
    both, _ = day.woman(consent_sms=True, consent_email=True)
    sms_only, _ = day.woman(consent_sms=True, consent_email=False)
    email_only, _ = day.woman(consent_sms=False, consent_email=True)
    neither, _ = day.woman(consent_sms=False, consent_email=False)
    sms_without_number, _ = day.woman(consent_sms=True, consent_email=False, mobile="")

    plan(day)

    assert invited_patient_ids(day) == {both.pk, sms_only.pk, email_only.pk}
    assert neither.pk not in invited_patient_ids(day)
    assert sms_without_number.pk not in invited_patient_ids(day)


def test_it_does_not_invite_women_who_opted_out_or_whose_pregnancy_ended(day):
    fine, _ = day.woman()
    day.woman(opted_out_at=NOW)
    day.woman(pregnancy_ended_at=NOW)
    plan(day)
    assert invited_patient_ids(day) == {fine.pk}


def test_it_ignores_cancelled_appointments_and_left_memberships(day):
    fine, _ = day.woman()
    _, cancelled = day.woman()
    cancelled.status = AppointmentStatus.CANCELLED
    cancelled.save()
    left, _ = day.woman()
    left.cohort_memberships.update(status=MembershipStatus.LEFT)
    plan(day)
    assert invited_patient_ids(day) == {fine.pk}


def test_running_it_twice_changes_nothing(day):
    for hour, minute in ((10, 5), (10, 5), (10, 30)):
        day.woman(hour, minute)
    first = plan(day)
    rows = list(Message.objects.values_list("pk", "kind", "due_at", "status", "channel"))
    second = plan(day)

    assert first.changed and first.invited == 3
    assert not second.changed
    assert list(Message.objects.values_list("pk", "kind", "due_at", "status", "channel")) == rows


def test_it_times_the_invitation_a_week_ahead_and_the_reminder_two_days_ahead_on_the_wall_clock(
    day,
):
    # Appointment Wednesday 1 April 10:15 BST. A week before is 25 March, still GMT; two days
    # before is 30 March, after the clocks went forward on 29 March.
    woman, _ = day.woman(10, 15)
    plan(day)
    messages = messages_of(woman)
    assert set(messages) == {MessageKind.INVITATION, MessageKind.REMINDER}
    assert messages[MessageKind.INVITATION].due_at == london(2026, 3, 25, 10, 15)
    assert messages[MessageKind.INVITATION].due_at == dt.datetime(2026, 3, 25, 10, 15, tzinfo=UTC)
    assert messages[MessageKind.REMINDER].due_at == london(2026, 3, 30, 10, 15)
    assert messages[MessageKind.REMINDER].due_at == dt.datetime(2026, 3, 30, 9, 15, tzinfo=UTC)


def test_it_times_across_the_autumn_clock_change(clinic):
    from .conftest import make_day

    day = make_day(clinic, london(2026, 10, 27, 10, 0))  # Tuesday after the change on 25 Oct
    woman, _ = day.woman(10, 15)
    plan(day, now=london(2026, 10, 1, 9, 0))
    messages = messages_of(woman)
    assert messages[MessageKind.INVITATION].due_at == dt.datetime(2026, 10, 20, 9, 15, tzinfo=UTC)
    assert messages[MessageKind.REMINDER].due_at == dt.datetime(2026, 10, 25, 10, 15, tzinfo=UTC)


def test_a_session_published_late_invites_at_once_and_skips_a_reminder_too_close(day):
    woman, _ = day.woman(10, 15)
    late = london(2026, 3, 31, 11, 0)
    plan(day, now=late)
    messages = messages_of(woman)
    assert messages[MessageKind.INVITATION].due_at == late
    assert MessageKind.REMINDER not in messages


def test_an_sms_due_in_quiet_hours_waits_for_eight_in_the_morning(day, settings):
    settings.MESSAGE_CHANNEL = "notify"
    texted, _ = day.woman(10, 15, consent_sms=True, consent_email=False)
    emailed, _ = day.woman(10, 15, consent_sms=False, consent_email=True)
    evening = london(2026, 3, 30, 21, 30)
    plan(day, now=evening)
    assert messages_of(texted)[MessageKind.INVITATION].channel == "sms"
    assert messages_of(texted)[MessageKind.INVITATION].due_at == london(2026, 3, 31, 8, 0)
    # Email is not held back by quiet hours.
    assert messages_of(emailed)[MessageKind.INVITATION].due_at == evening


def test_a_moved_appointment_before_anything_went_cancels_quietly(day):
    woman, appointment = day.woman(10, 15)
    plan(day)
    appointment.start = london(2026, 4, 1, 15, 0)
    appointment.save()
    plan(day)
    invitation = Invitation.objects.get(patient=woman)
    assert invitation.state == InvitationState.CANCELLED
    assert invitation.cancel_reason == CancelReason.APPOINTMENT_MOVED
    assert {m.status for m in messages_of(woman).values()} == {MessageStatus.CANCELLED}


def test_a_moved_appointment_within_the_session_reschedules_what_has_not_gone(day):
    woman, appointment = day.woman(10, 15)
    plan(day)
    appointment.start = london(2026, 4, 1, 10, 30)
    appointment.save()
    result = plan(day)
    assert result.messages_changed == 2
    assert messages_of(woman)[MessageKind.INVITATION].due_at == london(2026, 3, 25, 10, 30)


def test_a_moved_appointment_after_the_invitation_went_sends_one_change_notice(day):
    woman, appointment = day.woman(10, 15)
    plan(day)
    mark_sent(woman)
    appointment.start = london(2026, 4, 1, 15, 0)
    appointment.save()
    plan(day)
    plan(day)
    messages = messages_of(woman)
    assert messages[MessageKind.CHANGE].status == MessageStatus.PENDING
    assert messages[MessageKind.REMINDER].status == MessageStatus.CANCELLED
    assert Message.objects.filter(invitation__patient=woman, kind=MessageKind.CHANGE).count() == 1


def test_a_cancelled_appointment_after_the_invitation_went_sends_a_cancellation(day):
    woman, appointment = day.woman(10, 15)
    plan(day)
    mark_sent(woman)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save()
    plan(day)
    invitation = Invitation.objects.get(patient=woman)
    assert invitation.cancel_reason == CancelReason.APPOINTMENT_CANCELLED
    assert messages_of(woman)[MessageKind.CANCELLATION].status == MessageStatus.PENDING


def test_a_cancelled_session_stops_everything_unsent_and_tells_only_those_invited(day):
    told, _ = day.woman(10, 15)
    not_yet, _ = day.woman(10, 20)
    plan(day)
    mark_sent(told)
    day.session.status = SessionStatus.CANCELLED
    day.session.save()
    plan(day)
    assert messages_of(told)[MessageKind.CANCELLATION].status == MessageStatus.PENDING
    assert messages_of(told)[MessageKind.REMINDER].status == MessageStatus.CANCELLED
    assert MessageKind.CANCELLATION not in messages_of(not_yet)
    assert set(Invitation.objects.values_list("state", flat=True)) == {InvitationState.CANCELLED}


def test_an_ended_pregnancy_stops_every_unsent_message_at_once_and_sends_nothing_about_it(day):
    woman, _ = day.woman(10, 15)
    plan(day)
    mark_sent(woman)
    patient_pregnancy_ended(patient=woman)
    plan(day)
    messages = messages_of(woman)
    assert messages[MessageKind.REMINDER].status == MessageStatus.CANCELLED
    assert set(messages) == {MessageKind.INVITATION, MessageKind.REMINDER}
    assert Invitation.objects.get(patient=woman).cancel_reason == CancelReason.PREGNANCY_ENDED
    # ...and she leaves the pregnancy cohort quietly.
    assert woman.cohort_memberships.get().status == MembershipStatus.LEFT


def test_staff_mark_a_pregnancy_ended_from_the_admin(day, admin_client):
    woman, _ = day.woman(10, 15)
    plan(day)
    response = admin_client.post(
        "/admin/waitingroom/patient/",
        {"action": "mark_pregnancy_ended", "_selected_action": [woman.pk]},
    )
    assert response.status_code == 302
    woman.refresh_from_db()
    assert woman.pregnancy_ended_at is not None
    assert not Message.objects.filter(
        invitation__patient=woman, status=MessageStatus.PENDING
    ).exists()


def test_leaving_the_group_cancels_quietly(day):
    woman, _ = day.woman(10, 15)
    plan(day)
    mark_sent(woman)
    woman.cohort_memberships.update(status=MembershipStatus.LEFT)
    plan(day)
    assert set(messages_of(woman)) == {MessageKind.INVITATION, MessageKind.REMINDER}
    assert Invitation.objects.get(patient=woman).state == InvitationState.CANCELLED


def test_a_woman_who_fits_again_before_anything_went_is_invited_again(day):
    woman, appointment = day.woman(10, 15)
    plan(day)
    appointment.start = london(2026, 4, 1, 15, 0)
    appointment.save()
    plan(day)
    appointment.start = london(2026, 4, 1, 10, 10)
    appointment.save()
    plan(day)
    assert Invitation.objects.get(patient=woman).state == InvitationState.PLANNED
    assert messages_of(woman)[MessageKind.INVITATION].status == MessageStatus.PENDING


def test_a_second_appointment_the_same_day_is_used_when_the_first_moves_away(day):
    woman, first = day.woman(10, 15)
    plan(day)
    AppointmentFactory(patient=woman, clinic=day.clinic, start=london(2026, 4, 1, 10, 25))
    first.start = london(2026, 4, 1, 16, 0)
    first.save()
    plan(day)
    invitation = Invitation.objects.get(patient=woman)
    assert invitation.state == InvitationState.PLANNED
    assert invitation.appointment.start == london(2026, 4, 1, 10, 25)


def test_a_past_session_is_left_alone(day):
    day.woman(10, 15)
    result = plan(day, now=london(2026, 4, 2, 9, 0))
    assert not result.changed
    assert not Invitation.objects.exists()
