"""Waiting times: the run sheet's "Called in" tap, and the times read back from it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from sessions.facilitation.selectors import clinic_day_waits, waits_between
from sessions.facilitation.waiting_times import Wait, summarise_waits
from sessions.invitations.models import Invitation, InvitationState
from tests.artefacts import form_action_of, href_of
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)
from tests.members.builders import session_running_now
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 3, 10)) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def cohort(clinic):
    return CohortFactory(staff_name="Twins", clinics=[clinic])


@pytest.fixture
def running(clinic, cohort, facilitator, peer_supporter):
    return session_running_now(clinic, cohort, facilitators=[facilitator, peer_supporter])


def invited(session, *, appointment_at: dt.datetime | None = None):
    patient = PatientFactory(organisation=session.clinic.organisation)
    appointment = AppointmentFactory(
        patient=patient,
        clinic=session.clinic,
        start=appointment_at or session.start + dt.timedelta(minutes=20),
    )
    Invitation.objects.create(
        session=session, patient=patient, appointment=appointment, state=InvitationState.ACCEPTED
    )
    return patient


def came(session, patient, *, checked_in_at, called_at) -> Attendance:
    return Attendance.objects.create(
        session=session,
        patient=patient,
        method=CheckInMethod.FACILITATOR,
        status=AttendanceStatus.LEFT_FOR_APPOINTMENT,
        checked_in_at=checked_in_at,
        called_at=called_at,
        left_at=called_at,
    )


# --- The tap -----------------------------------------------------------------------------------


def test_a_peer_supporter_records_when_she_is_called_in_with_one_tap(
    as_persona, running, peer_supporter
):
    woman = invited(running)
    client = as_persona("peer_supporter")
    page = client.get(reverse("run_sheet", args=[running.clinic.slug, running.pk]))
    action = form_action_of(page, "Called in")

    client.post(action, {"status": AttendanceStatus.ATTENDED})
    client.post(action, {"status": AttendanceStatus.LEFT_FOR_APPOINTMENT})

    attendance = Attendance.objects.get(session=running, patient=woman)
    assert attendance.status == AttendanceStatus.LEFT_FOR_APPOINTMENT
    assert attendance.called_at is not None
    assert attendance.left_at == attendance.called_at  # she left the session when called
    assert attendance.checked_in_at <= attendance.called_at
    assert (
        AuditEvent.objects.filter(
            object_type="facilitation.attendance",
            object_id=str(attendance.pk),
            patient_id=woman.pk,
            user=peer_supporter,
            action="change",
        ).count()
        == 2
    )
    page = client.get(reverse("run_sheet", args=[running.clinic.slug, running.pk]))
    assert "Called in for her appointment" in page.content.decode()
    assert "called at" in page.content.decode()


def test_a_second_tap_keeps_the_first_called_time_and_another_state_clears_it(as_persona, running):
    woman = invited(running)
    client = as_persona("facilitator")
    url = reverse("attendance_mark", args=[running.clinic.slug, running.pk, woman.pk])
    client.post(url, {"status": AttendanceStatus.LEFT_FOR_APPOINTMENT})
    first = Attendance.objects.get(patient=woman).called_at

    client.post(url, {"status": AttendanceStatus.LEFT_FOR_APPOINTMENT})
    assert Attendance.objects.get(patient=woman).called_at == first

    client.post(url, {"status": AttendanceStatus.ATTENDED})  # tapped by mistake: undone
    attendance = Attendance.objects.get(patient=woman)
    assert attendance.called_at is None and attendance.left_at is None


@pytest.mark.parametrize(
    ("persona", "status"), [("other_coordinator", 404), ("member", 403), ("anonymous", 302)]
)
def test_only_staff_running_the_session_may_record_it(as_persona, running, persona, status):
    woman = invited(running)
    client = as_persona(persona)
    url = reverse("attendance_mark", args=[running.clinic.slug, running.pk, woman.pk])
    response = client.post(url, {"status": AttendanceStatus.LEFT_FOR_APPOINTMENT})
    assert response.status_code == status
    assert not Attendance.objects.filter(patient=woman).exists()


def test_a_peer_supporter_may_not_record_it_for_a_session_she_does_not_run(
    as_persona, clinic, cohort, facilitator
):
    someone_elses = session_running_now(clinic, cohort, facilitators=[facilitator])
    woman = invited(someone_elses)
    client = as_persona("peer_supporter")
    url = reverse("attendance_mark", args=[clinic.slug, someone_elses.pk, woman.pk])
    assert client.post(url, {"status": "left_for_appointment"}).status_code == 404
    assert not Attendance.objects.filter(patient=woman).exists()


# --- The times ---------------------------------------------------------------------------------


def test_time_in_the_waiting_room_runs_from_check_in_to_called():
    wait = Wait(called_at=at(10, 40), arrived_at=at(10, 5), booked_at=at(10, 30))
    assert wait.minutes_in_waiting_room == 35
    assert wait.minutes_beyond_booked_time == 10


def test_called_early_is_no_wait_beyond_booked_time_and_an_unknown_arrival_is_left_out():
    wait = Wait(called_at=at(10, 20), arrived_at=at(10, 20), booked_at=at(10, 30))
    assert wait.minutes_beyond_booked_time == 0
    assert wait.minutes_in_waiting_room is None  # ticked straight to called: arrival unknown
    assert (
        Wait(called_at=at(10), arrived_at=None, booked_at=None).minutes_beyond_booked_time is None
    )


def test_the_summary_is_the_median_and_says_how_many_women():
    waits = [
        Wait(called_at=at(10) + dt.timedelta(minutes=m), arrived_at=at(10), booked_at=at(10))
        for m in (5, 10, 15, 60)
    ]
    summary = summarise_waits(waits)
    assert summary.in_waiting_room == 12.5 and summary.in_waiting_room_women == 4
    assert summary.beyond_booked_time == 12.5


def test_waits_come_from_the_database_with_her_booked_time(clinic, cohort):
    session = WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=at(10), end=at(10, 45))
    woman = invited(session, appointment_at=at(10, 30))
    came(session, woman, checked_in_at=at(9, 55), called_at=at(10, 50))
    walk_in = PatientFactory(organisation=clinic.organisation)
    AppointmentFactory(patient=walk_in, clinic=clinic, start=at(10, 40))
    came(session, walk_in, checked_in_at=at(10, 10), called_at=at(10, 45))

    waits = sorted(waits_between(clinic, start=at(0), end=at(23, 59)), key=lambda w: w.called_at)

    assert [(w.minutes_in_waiting_room, w.minutes_beyond_booked_time) for w in waits] == [
        (35, 5),  # the walk-in: booked time from her appointment that day
        (55, 20),  # the invited woman: booked time from her invitation's appointment
    ]
    assert {w.cohort_name for w in waits} == {"Twins"}


def test_the_clinic_day_counts_each_cohort_and_everyone(clinic, cohort, other_clinic):
    twins = WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=at(10), end=at(10, 45))
    bmi = CohortFactory(staff_name="BMI over 30", clinics=[clinic])
    later = WaitingRoomSessionFactory(clinic=clinic, cohort=bmi, start=at(14), end=at(14, 45))
    came(
        twins, invited(twins, appointment_at=at(10, 30)), checked_in_at=at(10), called_at=at(10, 40)
    )
    came(
        later, invited(later, appointment_at=at(14, 30)), checked_in_at=at(14), called_at=at(14, 50)
    )
    elsewhere = WaitingRoomSessionFactory(clinic=other_clinic, start=at(10), end=at(10, 45))
    came(elsewhere, invited(elsewhere), checked_in_at=at(9), called_at=at(12))
    next_day = dt.date(2026, 3, 11)
    tomorrow = WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=at(10, day=next_day), end=at(11, day=next_day)
    )
    came(
        tomorrow,
        invited(tomorrow),
        checked_in_at=at(9, day=next_day),
        called_at=at(12, day=next_day),
    )

    day = clinic_day_waits(clinic, dt.date(2026, 3, 10))

    assert [(c.cohort_name, c.summary.in_waiting_room) for c in day.by_cohort] == [
        ("BMI over 30", 50),
        ("Twins", 40),
    ]
    assert day.overall.in_waiting_room == 45 and day.overall.in_waiting_room_women == 2
    assert day.overall.beyond_booked_time == 15


def test_the_clinic_day_page_shows_the_waiting_times(as_persona, clinic, cohort):
    session = WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=at(10), end=at(10, 45))
    came(
        session,
        invited(session, appointment_at=at(10, 30)),
        checked_in_at=at(10),
        called_at=at(10, 40),
    )
    page = as_persona("coordinator").get(reverse("clinic_day", args=[clinic.slug, "2026-03-10"]))
    text = page.content.decode()
    assert "Waiting times" in text
    assert "40 minutes (middle of 1 woman)" in text  # in the waiting room
    assert "10 minutes (middle of 1 woman)" in text  # beyond her booked time
    client = as_persona("coordinator")
    measures = client.get(href_of(page, "See waiting times and other measures over time"))
    assert measures.status_code == 200
    assert "Time in the waiting room" in measures.content.decode()


def test_a_clinic_day_with_nobody_called_says_how_times_get_there(as_persona, clinic):
    page = as_persona("coordinator").get(reverse("clinic_day", args=[clinic.slug, "2026-03-10"]))
    assert 'taps "Called in" on the run sheet' in page.content.decode()
