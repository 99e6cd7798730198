"""Importing a CSV appointment list: what is read, what is refused, what is reported."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from groups.models import CohortMembership, MembershipSource, MembershipStatus
from sessions.imports.rows import ImportRefused
from sessions.imports.services import appointment_source
from sessions.models import Appointment, AppointmentStatus, Patient
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
)
from waitroom.models import AuditEvent

from .import_files import SAMPLE_CSV, csv_row, csv_rows, csv_text, nhs_number, run_import

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def cohorts(clinic):
    return {
        "twins": CohortFactory(slug="twins", clinics=[clinic]),
        "older-mothers": CohortFactory(slug="older-mothers", clinics=[clinic]),
    }


def problems_of(report) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


def test_it_imports_the_documented_sample_file(clinic, cohorts):
    CohortFactory(slug="twins-or-multiples", clinics=[clinic])
    CohortFactory(slug="bmi-over-30", clinics=[clinic])
    report = run_import(clinic, SAMPLE_CSV.read_bytes())

    assert (report.created, report.updated, report.skipped) == (5, 0, 0)
    assert report.problems == []
    amelia = Patient.objects.get(hospital_number="H1000001")
    assert amelia.organisation == clinic.organisation
    assert amelia.nhs_number == "9434765919"  # spaces taken out
    assert amelia.preferred_name == "Amy"
    assert amelia.date_of_birth == dt.date(1991, 3, 14)
    assert amelia.estimated_due_date == dt.date(2026, 8, 31)
    assert amelia.mobile == "07700900001"
    zofia = Patient.objects.get(hospital_number="H1000002")
    assert (zofia.preferred_language, zofia.interpreter_needed) == ("pl", True)
    appointment = Appointment.objects.get(external_id="APT-20260603-001")
    assert appointment.source == appointment_source(clinic)
    assert appointment.clinic == clinic
    # The twins list in the demo: Wednesday afternoon.
    assert appointment.start == dt.datetime(2026, 6, 3, 14, 0, tzinfo=LONDON)
    assert appointment.duration_minutes == 20
    assert appointment.appointment_type == "Antenatal check"
    assert Appointment.objects.get(external_id="APT-20260602-004").status == "cancelled"
    chloe = Appointment.objects.get(external_id="APT-20260608-005")
    assert chloe.start == dt.datetime(2026, 6, 8, 9, 20, tzinfo=dt.UTC)  # written with +01:00
    membership = CohortMembership.objects.get(patient=amelia)
    assert membership.cohort.slug == "twins-or-multiples"
    assert (membership.status, membership.source) == (
        MembershipStatus.ACTIVE,
        MembershipSource.IMPORT,
    )


def test_importing_the_same_file_twice_changes_nothing(clinic, cohorts):
    CohortFactory(slug="twins-or-multiples", clinics=[clinic])
    CohortFactory(slug="bmi-over-30", clinics=[clinic])
    run_import(clinic, SAMPLE_CSV.read_bytes())
    before = list(Appointment.objects.values().order_by("pk"))
    patients = list(Patient.objects.values().order_by("pk"))
    memberships = list(CohortMembership.objects.values().order_by("pk"))
    audit_count = AuditEvent.objects.count()

    report = run_import(clinic, SAMPLE_CSV.read_bytes())

    assert (report.created, report.updated, report.unchanged, report.cancelled) == (0, 0, 5, 0)
    assert list(Appointment.objects.values().order_by("pk")) == before
    assert list(Patient.objects.values().order_by("pk")) == patients
    assert list(CohortMembership.objects.values().order_by("pk")) == memberships
    assert AuditEvent.objects.count() == audit_count


def test_a_changed_time_is_an_update_and_tells_the_reschedule_hook(
    clinic, monkeypatch, django_capture_on_commit_callbacks
):
    run_import(clinic, csv_text(csv_row(1)))
    moved = []
    monkeypatch.setattr(
        "sessions.imports.hooks.appointments_rescheduled",
        lambda *, appointment_ids: moved.extend(appointment_ids),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(clinic, csv_text(csv_row(1, start="01/06/2026 11:30")))

    appointment = Appointment.objects.get()
    assert (report.created, report.updated) == (0, 1)
    assert appointment.start == dt.datetime(2026, 6, 1, 11, 30, tzinfo=LONDON)
    assert moved == [appointment.pk]


@pytest.mark.parametrize("status", ["cancelled", "entered-in-error"])
def test_a_cancellation_marks_the_appointment_and_tells_the_withdrawn_hook(
    clinic, monkeypatch, django_capture_on_commit_callbacks, status
):
    run_import(clinic, csv_text(csv_row(1), csv_row(2)))
    withdrawn = []
    monkeypatch.setattr(
        "sessions.imports.hooks.appointments_withdrawn",
        lambda *, appointment_ids: withdrawn.extend(appointment_ids),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(clinic, csv_text(csv_row(1, status=status), csv_row(2)))

    cancelled = Appointment.objects.get(external_id="APT000001")
    assert cancelled.status == status
    assert (report.updated, report.unchanged, report.cancelled) == (1, 1, 1)
    assert withdrawn == [cancelled.pk]
    assert Appointment.objects.count() == 2  # marked, not deleted


def test_it_tolerates_what_real_exports_contain(clinic):
    header = "  HOSPITAL NUMBER ;given_name; Surname ;appointment id;START;status  "
    text = (
        "\ufeff"
        + header
        + "\r\n\r\n"
        + "  H0000001 ; Amelia ;  Okafor ; A1 ; 01/06/2026 09:00 ; Booked \r\n"
        + ";;;;;\r\n"
        + "\r\n"
        + "H0000002;Zofia;Nowak;A2;2026-06-01T09:30;\r\n"
    )

    report = run_import(clinic, text.encode("utf-8"))

    assert report.problems == []
    assert report.created == 2
    amelia = Patient.objects.get(hospital_number="H0000001")
    assert (amelia.given_name, amelia.family_name) == ("Amelia", "Okafor")
    assert Appointment.objects.get(external_id="A2").status == AppointmentStatus.BOOKED


def test_it_reads_a_windows_1252_file_from_older_excel(clinic):
    text = csv_text(csv_row(1, given_name="Zoë", family_name="O’Brien"))

    run_import(clinic, text.encode("cp1252"))

    patient = Patient.objects.get()
    assert (patient.given_name, patient.family_name) == ("Zoë", "O’Brien")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("01/06/2026 09:00", dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)),  # BST
        ("1/12/2026 9:05", dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC)),  # GMT
        ("2026-06-01T09:00", dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)),
        ("2026-06-01 09:00:00", dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)),
        ("2026-06-01T09:00:00Z", dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)),
        ("2026-06-01T09:00:00+01:00", dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)),
        ("25/10/2026 01:30", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)),  # the first 01:30
    ],
)
def test_start_times_are_read_as_uk_time(clinic, written, expected):
    run_import(clinic, csv_text(csv_row(1, start=written)))

    assert Appointment.objects.get().start == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("booked", AppointmentStatus.BOOKED),
        ("", AppointmentStatus.BOOKED),
        ("Booked", AppointmentStatus.BOOKED),
        ("arrived", AppointmentStatus.ARRIVED),
        ("Checked in", AppointmentStatus.CHECKED_IN),
        ("checked-in", AppointmentStatus.CHECKED_IN),
        ("fulfilled", AppointmentStatus.FULFILLED),
        ("Attended", AppointmentStatus.FULFILLED),
        ("cancelled", AppointmentStatus.CANCELLED),
        ("Canceled", AppointmentStatus.CANCELLED),
        ("noshow", AppointmentStatus.NOSHOW),
        ("DNA", AppointmentStatus.NOSHOW),
        ("Did not attend", AppointmentStatus.NOSHOW),
        ("entered-in-error", AppointmentStatus.ENTERED_IN_ERROR),
        ("Entered in error", AppointmentStatus.ENTERED_IN_ERROR),
        ("pending", AppointmentStatus.PENDING),
        ("proposed", AppointmentStatus.PROPOSED),
        ("waitlist", AppointmentStatus.WAITLIST),
    ],
)
def test_statuses_map_to_fhirs_set(clinic, written, expected):
    run_import(clinic, csv_text(csv_row(1, status=written)))

    assert Appointment.objects.get().status == expected


BAD_VALUES = [
    ({"hospital_number": ""}, "Hospital number", "Enter the hospital number"),
    ({"hospital_number": "H" * 21}, "Hospital number", "20 characters"),
    ({"nhs_number": "9434765918"}, "NHS number", "NHS number check"),
    ({"nhs_number": "12345"}, "NHS number", "10 digits"),
    ({"given_name": ""}, "Given name", "Enter her given name"),
    ({"family_name": ""}, "Family name", "Enter her family name"),
    ({"date_of_birth": "31/02/1990"}, "Date of birth", "real date"),
    ({"estimated_due_date": "next week"}, "Estimated due date", "real date"),
    ({"mobile": "call reception"}, "Mobile", "mobile number"),
    ({"email": "not-an-email"}, "Email", "right format"),
    ({"interpreter_needed": "perhaps"}, "Interpreter needed", "yes or no"),
    ({"appointment_id": ""}, "Appointment identifier", "Enter the appointment identifier"),
    ({"start": ""}, "Start", "Enter the appointment's start"),
    ({"start": "tomorrow"}, "Start", "Enter a date and time"),
    ({"start": "01/06/2026"}, "Start", "Enter a date and time"),
    ({"start": "29/03/2026 01:30"}, "Start", "clocks go forward"),
    ({"duration_minutes": "twenty"}, "Duration in minutes", "whole number"),
    ({"duration_minutes": "0"}, "Duration in minutes", "whole number"),
    ({"status": "maybe"}, "Status", "not one we know"),
    ({"cohorts": "no-such-cohort"}, "Cohorts", "No cohort called 'no-such-cohort'"),
]


@pytest.mark.parametrize(("override", "field", "reason"), BAD_VALUES)
def test_a_bad_row_is_reported_and_skipped_and_the_others_are_kept(clinic, override, field, reason):
    report = run_import(clinic, csv_text(csv_row(1), csv_row(2, **override), csv_row(3)))

    assert [(p.row, p.field) for p in report.problems] == [(3, field)]
    assert reason in report.problems[0].reason
    assert (report.created, report.skipped) == (2, 1)
    assert set(Appointment.objects.values_list("external_id", flat=True)) == {
        "APT000001",
        "APT000003",
    }
    # Nothing of the bad row is written: not her patient record either.
    assert not Patient.objects.filter(hospital_number="H0000002").exists()


def test_a_row_can_have_several_problems(clinic):
    report = run_import(clinic, csv_text(csv_row(1, nhs_number="1", start="", status="?")))

    assert {(p.row, p.field) for p in report.problems} == {
        (2, "NHS number"),
        (2, "Start"),
        (2, "Status"),
    }
    assert report.skipped == 1


def test_a_cohort_that_does_not_run_at_the_clinic_is_refused(clinic):
    CohortFactory(slug="elsewhere", clinics=[ClinicFactory()])

    report = run_import(clinic, csv_text(csv_row(1, cohorts="elsewhere")))

    assert problems_of(report) == [(2, "Cohorts")]


def test_an_appointment_identifier_twice_in_one_file_is_reported(clinic):
    report = run_import(clinic, csv_text(csv_row(1), csv_row(2, appointment_id="APT000001")))

    assert problems_of(report) == [(3, "Appointment identifier")]
    assert "also on row 2" in report.problems[0].reason
    assert Appointment.objects.get().patient.hospital_number == "H0000001"


def test_a_patient_is_matched_by_hospital_number_and_updated(clinic):
    patient = PatientFactory(
        organisation=clinic.organisation, hospital_number="H0000001", mobile="07700900999"
    )

    report = run_import(clinic, csv_text(csv_row(1, family_name="Married-Name", mobile="")))

    patient.refresh_from_db()
    assert report.created == 1
    assert Patient.objects.count() == 1
    assert patient.family_name == "Married-Name"
    assert patient.mobile == "07700900999"  # an empty cell does not wipe what we hold
    assert Appointment.objects.get().patient == patient
    assert AuditEvent.objects.filter(
        action="change", object_type="waitingroom.patient", patient_id=patient.pk
    ).exists()


def test_the_same_hospital_number_at_another_organisation_is_another_woman(clinic):
    other = PatientFactory(hospital_number="H0000001")

    run_import(clinic, csv_text(csv_row(1)))

    assert Patient.objects.filter(hospital_number="H0000001").count() == 2
    assert Appointment.objects.get().patient != other


def test_an_nhs_number_that_differs_from_the_one_held_is_refused(clinic):
    PatientFactory(
        organisation=clinic.organisation, hospital_number="H0000001", nhs_number=nhs_number(1)
    )

    report = run_import(clinic, csv_text(csv_row(1, nhs_number=nhs_number(2))))

    assert problems_of(report) == [(2, "NHS number")]
    assert "Does not match" in report.problems[0].reason
    assert not Appointment.objects.exists()


def test_an_nhs_number_held_for_another_hospital_number_is_refused(clinic):
    PatientFactory(
        organisation=clinic.organisation, hospital_number="H0000009", nhs_number=nhs_number(1)
    )

    report = run_import(clinic, csv_text(csv_row(1, nhs_number=nhs_number(1))))

    assert problems_of(report) == [(2, "NHS number")]
    assert "another hospital number" in report.problems[0].reason


def test_a_missing_nhs_number_is_added_when_given(clinic):
    patient = PatientFactory(organisation=clinic.organisation, hospital_number="H0000001")

    run_import(clinic, csv_text(csv_row(1, nhs_number=nhs_number(3))))

    patient.refresh_from_db()
    assert patient.nhs_number == nhs_number(3)


def test_an_appointment_identifier_used_by_another_clinic_is_refused(clinic):
    sister = ClinicFactory(organisation=clinic.organisation)
    AppointmentFactory(
        source=appointment_source(clinic),
        external_id="APT000001",
        clinic=sister,
        patient__organisation=clinic.organisation,
    )

    report = run_import(clinic, csv_text(csv_row(1)))

    assert problems_of(report) == [(2, "Appointment identifier")]
    assert "another clinic" in report.problems[0].reason


def test_an_appointment_moved_to_another_woman_is_refused(clinic):
    run_import(clinic, csv_text(csv_row(1)))

    report = run_import(clinic, csv_text(csv_row(1, hospital_number="H0000002")))

    assert problems_of(report) == [(2, "Hospital number")]
    assert Appointment.objects.get().patient.hospital_number == "H0000001"


def test_an_invited_member_becomes_active_but_one_who_left_stays_out(clinic, cohorts):
    invited = PatientFactory(organisation=clinic.organisation, hospital_number="H0000001")
    left = PatientFactory(organisation=clinic.organisation, hospital_number="H0000002")
    CohortMembershipFactory(
        patient=invited, cohort=cohorts["twins"], status=MembershipStatus.INVITED
    )
    CohortMembershipFactory(patient=left, cohort=cohorts["twins"], status=MembershipStatus.LEFT)

    run_import(clinic, csv_text(csv_row(1, cohorts="twins"), csv_row(2, cohorts="TWINS")))

    assert CohortMembership.objects.get(patient=invited).status == MembershipStatus.ACTIVE
    assert CohortMembership.objects.get(patient=left).status == MembershipStatus.LEFT


def test_a_woman_whose_pregnancy_ended_is_not_added_to_a_pregnancy_cohort(clinic, cohorts):
    PatientFactory(
        organisation=clinic.organisation,
        hospital_number="H0000001",
        pregnancy_ended_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    )

    report = run_import(clinic, csv_text(csv_row(1, cohorts="twins;older-mothers")))

    assert report.problems == []
    assert not CohortMembership.objects.exists()


def test_several_cohorts_in_one_cell(clinic, cohorts):
    run_import(clinic, csv_text(csv_row(1, cohorts='"twins, older-mothers"')))

    assert CohortMembership.objects.count() == 2


REFUSED_FILES = [
    (b"", "empty"),
    (b"   \r\n\r\n  ", "empty"),
    (b"\xef\xbb\xbf", "empty"),
    (csv_text().encode(), "no appointments"),
    (b"PK\x03\x04\x14\x00\x06\x00binary workbook", "Excel workbook"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an appointment list"),
    (b"<html><body>Sign in</body></html>", "XML or a web page"),
    (b"Dear colleague,\nplease find the list attached.\n", "not an appointment list"),
    (
        b"Hospital number,Given name,Family name\nH1,A,B\n",
        "missing the columns 'Appointment identifier', 'Start'",
    ),
    (
        b"Hospital number,Given name,Family name,Appointment identifier,Start,Start time\n",
        "column 'Start' twice",
    ),
]


@pytest.mark.parametrize(("content", "message"), REFUSED_FILES)
def test_a_file_that_is_not_an_appointment_list_is_refused_whole(clinic, content, message):
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, content)

    assert message in refused.value.message
    assert not Patient.objects.exists()


def test_a_file_naming_another_clinic_is_refused_before_anything_is_written(clinic):
    header = "Clinic," + csv_text().strip()
    rows = [f"{clinic.slug}," + csv_row(n) for n in range(1, 1500)]
    rows.append("hillside," + csv_row(2000))

    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, "\n".join([header, *rows]), batch_size=100)

    assert "another clinic ('hillside')" in refused.value.message
    assert "Row 1501" in refused.value.message
    assert not Appointment.objects.exists()
    assert not Patient.objects.exists()


def test_a_clinic_column_naming_this_clinic_is_accepted(clinic):
    header = "Clinic," + csv_text().strip()
    rows = [f"{clinic.name}," + csv_row(1), f"{clinic.slug.upper()}," + csv_row(2)]

    report = run_import(clinic, "\n".join([header, *rows]))

    assert report.created == 2


def test_rows_are_read_in_batches_and_progress_is_reported(clinic):
    seen = []

    report = run_import(
        clinic, csv_rows(25), batch_size=10, progress=lambda r: seen.append(r.processed_rows)
    )

    assert report.created == 25
    assert seen == [0, 10, 20, 25]


@pytest.mark.parametrize("rows", [50, 500])
def test_the_import_does_not_issue_queries_per_row(
    clinic, cohorts, django_assert_max_num_queries, rows
):
    first = csv_text(*(csv_row(n, cohorts="twins" if n % 2 else "") for n in range(rows)))
    with django_assert_max_num_queries(16):
        run_import(clinic, first)
    # Re-import with every appointment moved and every patient changed: updates, not inserts.
    second = csv_text(
        *(csv_row(n, duration_minutes="30", preferred_name="Jo") for n in range(rows))
    )
    with django_assert_max_num_queries(16):
        report = run_import(clinic, second)
    assert report.updated == rows
