"""Booking alignment: the days a cohort gathers, and who could move to one, against hand counts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import MembershipStatus
from sessions.alignment.selectors import AlignmentDay, booking_alignment
from sessions.models import AppointmentStatus
from tests.artefacts import href_of, records_of, rows_of
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
)
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2030, 3, 4)


@pytest.fixture
def cohort(clinic):
    return CohortFactory(slug="twins", staff_name="Twin pregnancy", clinics=[clinic])


@pytest.fixture
def book(clinic, cohort):
    """book(day, hour=10, member=True, ...) → an appointment for a new (or given) woman."""

    def make(
        day,
        hour=10,
        *,
        patient=None,
        member=True,
        membership_status=MembershipStatus.ACTIVE,
        status=AppointmentStatus.BOOKED,
        **patient_fields,
    ):
        if patient is None:
            patient = PatientFactory(organisation=clinic.organisation, **patient_fields)
            if member:
                CohortMembershipFactory(cohort=cohort, patient=patient, status=membership_status)
        return AppointmentFactory(
            patient=patient,
            clinic=clinic,
            status=status,
            start=dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON),
        )

    return make


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def _moves(alignment):
    return [(m.appointment.patient_id, m.suggested_day) for m in alignment.moves]


def test_it_counts_distinct_members_per_day_and_ranks_the_fullest_first(clinic, cohort, book):
    tuesday, thursday = _day(1), _day(3)
    first = book(tuesday, 9)
    book(tuesday, 14, patient=first.patient)  # twice that day: still one woman
    book(tuesday)
    book(tuesday)
    book(thursday)
    book(thursday, member=False)  # not in the cohort
    book(thursday, membership_status=MembershipStatus.LEFT)  # left the cohort
    book(_day(2), status=AppointmentStatus.CANCELLED)  # cancelled: no day at all
    book(_day(2), status=AppointmentStatus.ENTERED_IN_ERROR)

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert alignment.days == [AlignmentDay(tuesday, 3), AlignmentDay(thursday, 1)]
    assert alignment.top_days[0] == AlignmentDay(tuesday, 3)
    assert alignment.last_day == _day(27)


def test_it_suggests_the_better_day_to_members_booked_within_a_week_of_it(clinic, cohort, book):
    best = _day(8)  # Tuesday of week two
    for _ in range(3):
        book(best)
    two_days_before = book(_day(6))
    a_week_after = book(_day(15))  # exactly seven days: still within a week
    eight_days_after = book(_day(16))  # beyond a week: not listed

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert _moves(alignment) == [
        (two_days_before.patient_id, best),
        (a_week_after.patient_id, best),
    ]
    move = alignment.moves[0]
    assert (move.member_count, move.suggested_member_count, move.days_apart) == (1, 3, 2)
    assert eight_days_after.patient_id not in dict(_moves(alignment))


def test_cancelled_appointments_neither_count_nor_get_listed(clinic, cohort, book):
    best = _day(1)
    book(best)
    book(best)
    for status in (AppointmentStatus.CANCELLED, AppointmentStatus.NOSHOW):
        book(best, status=status)  # would make Tuesday look fuller
        book(_day(3), status=status)  # would be listed to move
    lonely = book(_day(2))

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert alignment.days == [AlignmentDay(best, 2), AlignmentDay(_day(2), 1)]
    assert _moves(alignment) == [(lonely.patient_id, best)]


def test_the_fullest_nearby_day_wins_and_of_two_as_full_the_nearer(clinic, cohort, book):
    for _ in range(2):
        book(_day(7))  # two women, one day after
    for _ in range(3):
        book(_day(11))  # three women, five days after
    for _ in range(3):
        book(_day(1))  # three women, five days before, but earlier
    for _ in range(3):
        book(_day(9))  # three women, three days after: the nearest of the fullest
    here = book(_day(6))

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert dict(_moves(alignment))[here.patient_id] == _day(9)


def test_days_as_full_as_hers_are_not_better(clinic, cohort, book):
    book(_day(1))
    book(_day(3))

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert alignment.moves == []


def test_a_woman_already_booked_on_the_better_day_is_not_asked_to_move_there(clinic, cohort, book):
    for _ in range(2):
        book(_day(1))
    both = book(_day(1))
    book(_day(3), patient=both.patient)

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=4, first_day=MONDAY)

    assert alignment.moves == []


def test_it_looks_only_at_the_chosen_weeks_and_this_clinic(clinic, other_clinic, cohort, book):
    book(_day(1))
    book(_day(6))  # week one's last day
    book(_day(7))  # week two: outside one week
    book(MONDAY - dt.timedelta(days=1))  # before the first day
    elsewhere = PatientFactory(organisation=other_clinic.organisation)
    CohortMembershipFactory(cohort=cohort, patient=elsewhere)
    AppointmentFactory(
        patient=elsewhere,
        clinic=other_clinic,
        start=dt.datetime.combine(_day(1), dt.time(10), tzinfo=LONDON),
    )

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=1, first_day=MONDAY)

    assert [d.day for d in alignment.days] == [_day(1), _day(6)]


def test_it_places_appointments_on_the_clinics_calendar_day_in_summer(clinic, cohort, book):
    summer_monday = dt.date(2030, 7, 1)
    # 00:30 BST on Tuesday is still Monday in UTC.
    book(summer_monday + dt.timedelta(days=1), 0)

    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=1, first_day=summer_monday)

    assert alignment.days == [AlignmentDay(summer_monday + dt.timedelta(days=1), 1)]


# --- the page and the export ---


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def one_to_move(book):
    """Two women on the day after tomorrow, one the day after: she should move back a day."""
    best = _tomorrow() + dt.timedelta(days=1)
    book(best)
    book(best)
    return book(
        best + dt.timedelta(days=1),
        hospital_number="RX1234567",
        given_name="Amara",
        family_name="Okafor",
    )


def _page(clinic, **query):
    url = reverse("booking_alignment", args=[clinic.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _export(clinic, **query):
    url = reverse("booking_alignment_export", args=[clinic.slug])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


ACCESS = {
    "coordinator": 200,
    "other_coordinator": 404,
    "facilitator": 403,
    "peer_supporter": 403,
    "member": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "status"), ACCESS.items())
@pytest.mark.parametrize("view", [_page, _export])
def test_only_the_clinics_coordinator_sees_or_exports_the_list(
    as_persona, clinic, cohort, one_to_move, view, persona, status
):
    response = as_persona(persona).get(view(clinic, cohort="twins", weeks=4))

    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    if status != 200:
        assert b"RX1234567" not in response.content
        assert not AuditEvent.objects.exists()


def test_the_page_lists_who_could_move_and_records_the_view(
    as_persona, clinic, cohort, one_to_move
):
    response = as_persona("coordinator").get(_page(clinic, cohort="twins", weeks=4))

    assert response.status_code == 200
    content = response.content.decode()
    assert "RX1234567" in content
    assert "Okafor, Amara" in content
    assert _export(clinic, cohort="twins", weeks=4).replace("&", "&amp;") in content
    event, woman = AuditEvent.objects.order_by("pk")
    assert (event.action, event.object_type, event.object_id) == (
        AuditEvent.Action.VIEW,
        "groups.cohort",
        str(cohort.pk),
    )
    assert event.clinic == clinic
    assert event.role == "coordinator"
    assert (woman.action, woman.patient_id, woman.clinic, woman.role) == (
        AuditEvent.Action.VIEW,
        one_to_move.patient_id,
        clinic,
        "coordinator",
    )


def test_the_page_asks_for_a_cohort_first_and_records_nothing(as_persona, clinic, cohort):
    response = as_persona("coordinator").get(_page(clinic))

    assert response.status_code == 200
    assert b'name="cohort"' in response.content
    assert b'value="4"' in response.content
    assert not AuditEvent.objects.exists()


def test_a_cohort_this_clinic_does_not_run_is_refused_with_a_clear_error(
    as_persona, clinic, other_clinic
):
    CohortFactory(slug="elsewhere", clinics=[other_clinic])

    response = as_persona("coordinator").get(_page(clinic, cohort="elsewhere", weeks=99))

    content = response.content.decode()
    assert "<title>Error: " in content
    assert "Choose a cohort that this clinic runs" in content
    assert "Enter a number of weeks from 1 to 12" in content
    assert not AuditEvent.objects.exists()


def _downloaded(client, clinic, **query):
    """The CSV behind the page's download link, as the coordinator gets it."""
    page = client.get(_page(clinic, **query))
    return client.get(href_of(page, "Download this list as a spreadsheet (CSV)"))


def test_the_export_is_a_csv_attachment_named_without_personal_data(
    as_persona, clinic, cohort, one_to_move
):
    response = _downloaded(as_persona("coordinator"), clinic, cohort="twins", weeks=2)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"booking-alignment-riverside-twins-{_tomorrow():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    best = _tomorrow() + dt.timedelta(days=1)
    current = dt.datetime.combine(best + dt.timedelta(days=1), dt.time(10))
    expected = {
        "Hospital number": "RX1234567",
        "Family name": "Okafor",
        "Given name": "Amara",
        "Current appointment": f"{current:%d/%m/%Y %H:%M}",
        "Appointment type": "Antenatal check",
        "Appointment identifier": one_to_move.external_id,
        "Cohort members that day": "1",
        "Suggested day": f"{best:%d/%m/%Y}",
        "Cohort members on suggested day": "2",
        "Days apart": "1",
    }
    records = records_of(response)
    assert records == [expected]
    assert list(records[0]) == list(expected)  # the columns, in this order
    # One view of the page, then one export, each with its one woman: nothing else.
    assert list(
        AuditEvent.objects.order_by("pk").values_list("action", "object_type", "patient_id")
    ) == [
        (AuditEvent.Action.VIEW, "groups.cohort", None),
        (AuditEvent.Action.VIEW, "waitingroom.patient", one_to_move.patient_id),
        (AuditEvent.Action.EXPORT, "groups.cohort", None),
        (AuditEvent.Action.EXPORT, "waitingroom.patient", one_to_move.patient_id),
    ]
    event, woman = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("pk")
    assert (event.action, event.object_id, event.clinic) == (
        AuditEvent.Action.EXPORT,
        str(cohort.pk),
        clinic,
    )
    assert (woman.action, woman.object_type, woman.patient_id) == (
        AuditEvent.Action.EXPORT,
        "waitingroom.patient",
        one_to_move.patient_id,
    )


def test_the_export_does_not_let_a_name_run_as_a_spreadsheet_formula(as_persona, clinic, book):
    best = _tomorrow() + dt.timedelta(days=1)
    book(best)
    book(best)
    book(best + dt.timedelta(days=1), family_name='=HYPERLINK("http://x.invalid")')

    response = _downloaded(as_persona("coordinator"), clinic, cohort="twins", weeks=1)

    rows = rows_of(response)
    assert rows[1][1] == '\'=HYPERLINK("http://x.invalid")'


def test_the_export_without_a_cohort_is_a_bad_request(as_persona, clinic, cohort):
    response = as_persona("coordinator").get(_export(clinic, weeks=4))

    assert response.status_code == 400
    assert not AuditEvent.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("view", [_page, _export])
def test_the_query_count_does_not_grow_with_the_appointments(as_persona, clinic, book, view):
    client = as_persona("coordinator")
    url = view(clinic, cohort="twins", weeks=4)
    best = _tomorrow() + dt.timedelta(days=1)
    book(best)
    book(best)
    book(best + dt.timedelta(days=2))
    few = _queries(client, url)

    for offset in range(20):
        book(best + dt.timedelta(days=offset % 9), 9 + offset % 7)
    many = _queries(client, url)

    assert many == few
    assert many <= 12
