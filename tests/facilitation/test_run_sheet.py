import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from sessions.facilitation.services import attendance_check_in
from sessions.invitations.models import InvitationState
from waitroom.models import AuditEvent

from .conftest import forbidden_fields

pytestmark = pytest.mark.django_db


def clock(start, minutes_after: int) -> str:
    return f"{timezone.localtime(start + dt.timedelta(minutes=minutes_after)):%H:%M}"


def run_url(session):
    return reverse("run_sheet", args=[session.clinic.slug, session.pk])


def women_url(session):
    return reverse("run_sheet_women", args=[session.clinic.slug, session.pk])


def test_it_lists_the_women_expected_with_appointment_answer_and_interpreter(
    as_persona, session, expect_woman
):
    expect_woman(session, display_name="Sunflower", minutes_after_start=25)
    second = expect_woman(
        session, state=InvitationState.SENT, interpreter=True, language="pl", minutes_after_start=40
    )
    page = as_persona("peer_supporter").get(run_url(session)).content.decode()
    assert f"Sunflower, appointment {clock(session.start, 25)}" in page
    # No display name: her initial and appointment time, never a number that shifts.
    assert f"{second.given_name[0]}., appointment {clock(session.start, 40)}" in page
    assert "Accepted" in page and "Sent" in page
    assert "Interpreter needed (Polish)" in page
    assert "Eating well" in page and session.location in page


def test_peer_supporter_never_sees_clinical_or_contact_details(
    as_persona, session, cohort, expect_woman
):
    women = [
        expect_woman(session, display_name="Sunflower"),
        expect_woman(session, interpreter=True),
    ]
    client = as_persona("peer_supporter")
    pages = [
        client.get(run_url(session)).content.decode(),
        client.get(women_url(session)).content.decode(),
    ]
    for page in pages:
        for woman in women:
            for value in forbidden_fields(woman, cohort):
                assert value not in page


def test_facilitator_sees_real_name_and_hospital_number(as_persona, session, expect_woman):
    woman = expect_woman(session, display_name="Sunflower")
    page = as_persona("facilitator").get(run_url(session)).content.decode()
    assert woman.family_name in page
    assert woman.hospital_number in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("facilitator", 200),
        ("peer_supporter", 200),
        ("other_coordinator", 404),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_run_sheet_access_by_persona(as_persona, session, persona, status):
    assert as_persona(persona).get(run_url(session)).status_code == status
    assert as_persona(persona).get(women_url(session)).status_code in (status, 204)


def test_a_peer_supporter_reaches_only_sessions_she_runs(as_persona, session, peer_supporter):
    session.facilitators.remove(peer_supporter)
    assert as_persona("peer_supporter").get(run_url(session)).status_code == 404


def test_a_qr_check_in_appears_in_the_polled_fragment(as_persona, session, expect_woman):
    woman = expect_woman(session, display_name="Sunflower")
    client = as_persona("facilitator")
    page = client.get(run_url(session)).content.decode()
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    assert client.get(women_url(session), {"version": version}).status_code == 204

    attendance_check_in(session=session, patient=woman)

    response = client.get(women_url(session), {"version": version})
    assert response.status_code == 200
    assert "1 of 1 checked in" in response.content.decode()
    assert "scanned the code" in response.content.decode()


def test_an_unchanged_poll_reads_and_audits_nothing(as_persona, session, expect_woman):
    expect_woman(session)
    client = as_persona("facilitator")
    version = re.search(
        r'data-version="([^"]+)"', client.get(run_url(session)).content.decode()
    ).group(1)
    before = AuditEvent.objects.count()
    client.get(women_url(session), {"version": version})
    assert AuditEvent.objects.count() == before


def test_marking_attendance_records_times(as_persona, session, expect_woman, facilitator):
    woman = expect_woman(session)
    client = as_persona("peer_supporter")
    url = reverse("attendance_mark", args=[session.clinic.slug, session.pk, woman.pk])
    client.post(url, {"status": AttendanceStatus.LATE})
    attendance = Attendance.objects.get(session=session, patient=woman)
    assert attendance.status == AttendanceStatus.LATE
    assert attendance.method == CheckInMethod.FACILITATOR
    assert attendance.checked_in_at is not None and attendance.left_at is None

    client.post(url, {"status": AttendanceStatus.LEFT_FOR_APPOINTMENT})
    attendance.refresh_from_db()
    assert attendance.left_at is not None

    client.post(url, {"status": AttendanceStatus.DID_NOT_ATTEND})
    attendance.refresh_from_db()
    assert attendance.checked_in_at is None and attendance.left_at is None
    assert (
        AuditEvent.objects.filter(
            object_type="facilitation.attendance", patient_id=woman.pk, action="change"
        ).count()
        == 3
    )


def test_marking_a_woman_not_expected_is_refused(as_persona, session, expect_woman, clinic):
    from tests.factories import PatientFactory

    stranger = PatientFactory(organisation=clinic.organisation)
    url = reverse("attendance_mark", args=[clinic.slug, session.pk, stranger.pk])
    assert as_persona("facilitator").post(url, {"status": "attended"}).status_code == 404


def test_a_walk_in_who_checked_in_by_qr_is_listed(as_persona, session, clinic):
    from tests.factories import AppointmentFactory, PatientFactory

    walk_in = PatientFactory(organisation=clinic.organisation)
    AppointmentFactory(patient=walk_in, clinic=clinic, start=session.start)
    attendance_check_in(session=session, patient=walk_in)
    page = as_persona("peer_supporter").get(run_url(session)).content.decode()
    label = f"{walk_in.given_name[0]}., appointment {clock(session.start, 0)}"
    assert label in page and "Not invited (checked in)" in page


def test_viewing_the_run_sheet_audits_each_woman_shown(as_persona, session, expect_woman):
    women = [expect_woman(session), expect_woman(session)]
    as_persona("peer_supporter").get(run_url(session))
    audited = set(
        AuditEvent.objects.filter(action="view", object_type="waitingroom.patient").values_list(
            "patient_id", flat=True
        )
    )
    assert audited == {w.pk for w in women}
    assert AuditEvent.objects.filter(object_type="waitingroom.waitingroomsession").exists()


def test_run_sheet_query_count_does_not_grow_with_women(
    as_persona, session, expect_woman, django_assert_max_num_queries
):
    client = as_persona("facilitator")
    for _ in range(8):
        woman = expect_woman(session, display_name="Rose")
        attendance_check_in(session=session, patient=woman)
    with django_assert_max_num_queries(16):
        assert client.get(run_url(session)).status_code == 200
