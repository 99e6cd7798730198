"""Booking alignment with the database: the page's proposals and query count, the worklist from
proposed to closed (by hand and by a later import of a real CSV file), the neutral exports,
appointment types (NICE defaults, gestation in weeks+days), the cohort day and the measure."""

import datetime as dt

import pytest
from django.urls import reverse

from groups.models import CohortMembership
from sessions.alignment.measures import peers_together_series
from sessions.alignment.models import AppointmentKind, CohortDay, WorklistItem, WorklistStatus
from sessions.alignment.selectors import alignment_for
from sessions.alignment.services import appointment_kinds_add_defaults, cohort_day_set
from sessions.models import Appointment
from tests.artefacts import form_action_of, href_of, records_of
from tests.factories import CohortFactory
from waitroom.audit_labels import record_labels
from waitroom.models import AuditEvent

from .import_files import run_import

pytestmark = pytest.mark.django_db

HEADER = (
    "Hospital number,Given name,Family name,Mobile,Appointment identifier,Start,"
    "Appointment type,Estimated due date,Cohorts,Text message consent"
)


def _tuesday(clinic) -> dt.date:
    """A Tuesday at least ten days ahead: every appointment around it may move."""
    day = clinic.today() + dt.timedelta(days=10)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def clinic_list(tuesday: dt.date, *, lone_at: str | None = None, family: str = "Lone") -> bytes:
    """Three twins women together on Tuesday at 10:00-10:20; one alone on Monday at 10:20 (or
    at `lone_at`, 'dd/mm/yyyy HH:MM', when rebooked); one other woman on Tuesday."""
    monday = tuesday - dt.timedelta(days=1)
    due = f"{tuesday + dt.timedelta(weeks=12):%d/%m/%Y}"
    rows = [HEADER]
    for n, minute in enumerate((0, 10, 20), start=1):
        rows.append(
            f"H{n:04d},Woman,Twin{n},07700 9000{n:02d},T{n},{tuesday:%d/%m/%Y} 10:{minute:02d},"
            f"Antenatal check,{due},twins,yes"
        )
    rows.append(
        f"H0004,Woman,{family},07700 900004,T4,{lone_at or f'{monday:%d/%m/%Y} 10:20'},"
        f"Antenatal check,{due},twins,yes"
    )
    rows.append(f"H0005,Woman,Other,07700 900005,T5,{tuesday:%d/%m/%Y} 10:00,,{due},,yes")
    return ("\r\n".join(rows) + "\r\n").encode()


@pytest.fixture
def twins(clinic):
    return CohortFactory(
        slug="twins",
        staff_name="Twins and multiples",
        public_name="Morning group",
        criterion="Twin pregnancy confirmed on scan",
        clinics=[clinic],
    )


@pytest.fixture
def imported(clinic, twins, coordinator, django_capture_on_commit_callbacks):
    tuesday = _tuesday(clinic)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(clinic, clinic_list(tuesday))
    assert (report.created, report.skipped) == (5, 0), report.problems
    return tuesday


@pytest.fixture
def aligned(clinic, twins, coordinator, imported):
    appointment_kinds_add_defaults(clinic=clinic, user=coordinator)
    cohort_day_set(clinic=clinic, cohort=twins, weekday=1, part="morning", user=coordinator)
    return imported


def _page(client, clinic, twins):
    return client.get(reverse("booking_alignment", args=[clinic.slug]) + f"?cohort={twins.slug}")


def test_the_page_proposes_the_lone_womans_move_and_explains_it(as_persona, clinic, twins, aligned):
    page = _page(as_persona("coordinator"), clinic, twins)

    tuesday, monday = aligned, aligned - dt.timedelta(days=1)
    text = page.content.decode()
    assert (
        f"Move Antenatal check from {monday:%a} {monday.day} {monday:%b} 10:20 to "
        f"{tuesday:%a} {tuesday.day} {tuesday:%b} 10:20: with 3 others of the group"
    ) in text
    assert "Twin1" not in text  # together already: nothing to propose
    lone = Appointment.objects.get(external_id="T4").patient_id
    assert AuditEvent.objects.filter(patient_id=lone, action="view").exists()


def test_without_a_cohort_day_the_page_asks_for_one(as_persona, clinic, twins, imported):
    page = _page(as_persona("coordinator"), clinic, twins)
    assert "This group has no day yet" in page.content.decode()
    day_page = as_persona("coordinator").get(href_of(page, "Choose the group's day"))
    # Waitroom proposes the day most of them are booked on.
    assert "Waitroom suggests <strong>Tuesday mornings</strong>" in day_page.content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(
    as_persona,
    clinic,
    twins,
    aligned,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client = as_persona("coordinator")
    _page(client, clinic, twins)
    with django_assert_num_queries(19):
        _page(client, clinic, twins)
    # Twice the women: the same number of queries.
    more = (
        clinic_list(aligned + dt.timedelta(days=7)).replace(b"H000", b"H100").replace(b",T", b",U")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(clinic, more)
    with django_assert_num_queries(19):
        _page(client, clinic, twins)


def test_the_worklist_runs_from_proposed_to_closed_by_a_later_import(
    as_persona, clinic, twins, aligned, django_capture_on_commit_callbacks
):
    client = as_persona("coordinator")
    page = _page(client, clinic, twins)

    response = client.post(
        form_action_of(page, "Add to the worklist"),
        {"appointment": [Appointment.objects.get(external_id="T4").pk], "weeks": "4"},
    )
    item = WorklistItem.objects.get()
    assert item.status == WorklistStatus.PROPOSED
    worklist = client.get(response["Location"])
    client.post(form_action_of(worklist, "Send 1 to bookings"))
    item.refresh_from_db()
    assert item.status == WorklistStatus.SENT and item.sent_at is not None

    # The booking team rebooks her; the next appointment list shows her at the proposed time.
    rebooked = f"{clinic.local(item.to_start):%d/%m/%Y %H:%M}"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(clinic, clinic_list(aligned, lone_at=rebooked))

    item.refresh_from_db()
    assert item.status == WorklistStatus.REBOOKED
    assert item.closed_by_import and item.closed_at is not None
    assert AuditEvent.objects.filter(
        object_type="alignment.worklistitem", object_id=str(item.pk), user=None
    ).exists()
    # Closed, and the day now shows her with the group: nothing left to propose.
    assert alignment_for(clinic=clinic, cohort=twins).moves == []


def test_an_import_that_shows_another_time_leaves_the_item_open(
    as_persona, clinic, twins, aligned, coordinator, django_capture_on_commit_callbacks
):
    client = as_persona("coordinator")
    lone = Appointment.objects.get(external_id="T4")
    client.post(
        reverse("alignment_worklist_add", args=[clinic.slug, twins.slug]),
        {"appointment": [lone.pk]},
    )
    elsewhere = f"{aligned + dt.timedelta(days=2):%d/%m/%Y} 15:00"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(clinic, clinic_list(aligned, lone_at=elsewhere))
    assert WorklistItem.objects.get().status == WorklistStatus.PROPOSED


def test_only_a_move_waitroom_proposes_now_is_added(as_persona, clinic, twins, aligned):
    together = Appointment.objects.get(external_id="T1")
    as_persona("coordinator").post(
        reverse("alignment_worklist_add", args=[clinic.slug, twins.slug]),
        {"appointment": [together.pk]},
    )
    assert not WorklistItem.objects.exists()


def test_outcomes_by_hand_and_a_reason_when_not_possible(as_persona, clinic, twins, aligned):
    client = as_persona("coordinator")
    lone = Appointment.objects.get(external_id="T4")
    client.post(
        reverse("alignment_worklist_add", args=[clinic.slug, twins.slug]),
        {"appointment": [lone.pk]},
    )
    item = WorklistItem.objects.get()
    url = reverse("alignment_worklist_item", args=[clinic.slug, item.pk])

    refused = client.post(url, {"outcome": "not-possible", "reason": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "<title>Error: " in text
    assert 'href="#id_reason"' in text and "Enter why the move was not possible" in text
    item.refresh_from_db()
    assert item.status == WorklistStatus.PROPOSED

    client.post(url, {"outcome": "not-possible", "reason": "No scan room that morning"})
    item.refresh_from_db()
    assert (item.status, item.reason) == (WorklistStatus.NOT_POSSIBLE, "No scan room that morning")
    # Closed: a second answer changes nothing.
    client.post(url, {"outcome": "declined"})
    item.refresh_from_db()
    assert item.status == WorklistStatus.NOT_POSSIBLE


def test_the_exports_never_name_the_cohort(as_persona, clinic, twins, aligned):
    client = as_persona("coordinator")
    lone = Appointment.objects.get(external_id="T4")
    lone.patient.family_name = "=HYPERLINK(1)"
    lone.patient.save()
    client.post(
        reverse("alignment_worklist_add", args=[clinic.slug, twins.slug]),
        {"appointment": [lone.pk]},
    )
    worklist = client.get(reverse("alignment_worklist", args=[clinic.slug]))

    download = client.get(href_of(worklist, "Download the open items as a spreadsheet (CSV)"))
    printed = client.get(href_of(worklist, "Print the open items"))

    (record,) = records_of(download)
    assert record["Reason for the move"] == "Peer group day"
    assert record["Hospital number"] == "H0004"
    assert record["Family name"] == "'=HYPERLINK(1)"  # neutralised, not a formula
    assert record["Appointment type"] == "Antenatal check"
    words = [twins.staff_name, twins.public_name, twins.criterion, twins.slug, "twin", "Twin"]
    for artefact in (
        download.content.decode("utf-8-sig"),
        download["Content-Disposition"],
        printed.content.decode(),
        worklist.content.decode(),
    ):
        assert not [w for w in words if w in artefact.replace("Woman,Twin", "")]
    assert "Peer group day" in printed.content.decode()
    assert AuditEvent.objects.filter(action="export", patient_id=lone.patient_id).count() == 2


def test_the_nice_defaults_are_added_once_and_gestation_reads_as_weeks_and_days(
    as_persona, clinic, coordinator
):
    assert appointment_kinds_add_defaults(clinic=clinic, user=coordinator) == 14
    assert appointment_kinds_add_defaults(clinic=clinic, user=coordinator) == 0
    week_28 = AppointmentKind.objects.get(clinic=clinic, name="28-week check")
    assert (week_28.gestation_from_days, week_28.gestation_to_days) == (27 * 7, 28 * 7 + 6)
    assert not AppointmentKind.objects.get(clinic=clinic, name="Dating scan").movable

    client = as_persona("coordinator")
    page = client.get(reverse("alignment_types", args=[clinic.slug]))
    assert "within 27+0 to 28+6 weeks" in page.content.decode()
    url = reverse("alignment_type_edit", args=[clinic.slug, week_28.pk])
    bad = client.post(
        url,
        {"name": "28-week check", "movable": "on", "days_earlier": "7", "days_later": "7",
         "gestation_from_days": "27+9", "gestation_to_days": "26+0"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "Enter the gestation in weeks and days, like 27+0" in bad.content.decode()
    client.post(
        url,
        {"name": "28-week check", "movable": "on", "days_earlier": "3", "days_later": "4",
         "gestation_from_days": "27+2", "gestation_to_days": "28+5"},
    )  # fmt: skip
    week_28.refresh_from_db()
    assert (week_28.days_earlier, week_28.gestation_from_days) == (3, 27 * 7 + 2)


def test_a_list_name_can_mean_one_appointment_type_only(as_persona, clinic, coordinator):
    appointment_kinds_add_defaults(clinic=clinic, user=coordinator)
    response = as_persona("coordinator").post(
        reverse("alignment_type_new", args=[clinic.slug]),
        {"name": "Scan", "import_names": "20 week scan", "days_earlier": "1", "days_later": "1"},
    )
    assert response.status_code == 400
    assert "already means Anomaly scan" in response.content.decode()


def test_a_coordinator_sets_the_cohort_day(as_persona, clinic, twins, imported):
    client = as_persona("coordinator")
    url = reverse("alignment_cohort_day", args=[clinic.slug, twins.slug])
    client.post(url, {"weekday": "3", "part": "afternoon"})
    day = CohortDay.objects.get(clinic=clinic, cohort=twins)
    assert str(day) == "Thursday afternoons"
    assert AuditEvent.objects.filter(object_type="alignment.cohortday").exists()


def test_the_measure_counts_appointments_with_two_of_the_cohort_there(
    clinic, twins, aligned, django_capture_on_commit_callbacks
):
    tuesday = aligned
    week = tuesday - dt.timedelta(days=1)
    series = peers_together_series(clinic, cohort=twins, start=week, end=week)
    # Three of four together on Tuesday; the fourth alone on Monday.
    assert series == [(week, 0.75, 4)]
    rebooked = f"{tuesday:%d/%m/%Y} 10:20"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(clinic, clinic_list(aligned, lone_at=rebooked))
    assert peers_together_series(clinic, cohort=twins, start=week, end=week) == [(week, 1.0, 4)]
    # A woman who left the cohort is not counted.
    CohortMembership.objects.filter(patient__hospital_number="H0004").update(status="left")
    assert peers_together_series(clinic, start=week, end=week + dt.timedelta(days=7)) == [
        (week, 1.0, 3),
        (week + dt.timedelta(days=7), None, 0),
    ]


def test_the_audit_trail_names_the_worklist_and_its_items(as_persona, clinic, twins, aligned):
    client = as_persona("coordinator")
    lone = Appointment.objects.get(external_id="T4")
    client.post(
        reverse("alignment_worklist_add", args=[clinic.slug, twins.slug]),
        {"appointment": [lone.pk]},
    )
    client.get(reverse("alignment_worklist_export", args=[clinic.slug]))

    labels = set(record_labels(AuditEvent.objects.all()).values())
    monday = aligned - dt.timedelta(days=1)
    assert "Rebooking worklist: open items" in labels
    assert (
        f"Rebooking worklist item: Antenatal check, {monday:%a} {monday.day} {monday:%b} 10:20"
        in (labels)
    )
