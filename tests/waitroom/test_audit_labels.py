"""Item 8 of issue 9: the audit page names each record as a person would, without N+1 queries."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sessions.facilitation.models import (
    Attendance,
    CheckInMethod,
    Concern,
    ConcernCategory,
    ConcernUrgency,
    Debrief,
    DiscussionNote,
    PeerSupporterRecord,
)
from sessions.imports.models import ImportJob
from tests.factories import (
    CohortFactory,
    PatientFactory,
    StaffRoleFactory,
    WaitingRoomSessionFactory,
)
from waitroom.audit_labels import KINDS
from waitroom.models import AuditEvent, Role, StaffRole

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TUESDAY = dt.datetime(2026, 12, 15, 10, 0, tzinfo=LONDON)


@pytest.fixture
def records(clinic, coordinator, facilitator, peer_supporter):
    cohort = CohortFactory(staff_name="Twins group", clinics=[clinic])
    session = WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=TUESDAY)
    patient = PatientFactory(organisation=clinic.organisation, hospital_number="RX1234")
    return {
        "clinic": clinic,
        "cohort": cohort,
        "session": session,
        "patient": patient,
        "attendance": Attendance.objects.create(
            session=session, patient=patient, method=CheckInMethod.choices[0][0]
        ),
        "note": DiscussionNote.objects.create(session=session, author=facilitator, summary="x"),
        "concern": Concern.objects.create(
            clinic=clinic,
            session=session,
            patient=patient,
            category=ConcernCategory.SAFEGUARDING,
            urgency=ConcernUrgency.choices[0][0],
            description="x",
            raised_by=facilitator,
        ),
        "debrief": Debrief.objects.create(
            session=session, peer_supporter=peer_supporter, professional=facilitator, went_well="x"
        ),
        "import_job": ImportJob.objects.create(
            clinic=clinic, filename="clinic-list.csv", created_at=TUESDAY
        ),
        "staff_role": StaffRole.objects.get(user=facilitator, clinic=clinic),
        "peer_record": PeerSupporterRecord.objects.create(user=peer_supporter),
    }


def audit(clinic, user, obj, **extra):
    return AuditEvent.objects.create(
        user=user,
        clinic=clinic,
        action="view",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        **extra,
    )


def record_cells(html: str) -> list[str]:
    marker = 'aria-hidden="true">Record </span>'
    return [part.split("</td>")[0] for part in html.split(marker)[1:]]


def test_every_audited_record_is_named_as_a_person_would_call_it(
    as_persona, records, clinic, coordinator, peer_supporter, facilitator
):
    for obj in records.values():
        audit(clinic, coordinator, obj)
    client = as_persona("coordinator")
    AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="export",
        object_type="waitroom.auditevent",
        object_id="csv",
    )

    html = client.get(reverse("audit_log")).content.decode()

    cells = set(record_cells(html))
    assert cells == {
        "Clinic: " + clinic.name,
        "Cohort: Twins group",
        "Session: Twins group, Tue 15 Dec 10:00",
        "Patient: hospital number RX1234",
        "Attendance: Twins group, Tue 15 Dec 10:00",
        "Discussion note: Twins group, Tue 15 Dec 10:00",
        "Concern: Safeguarding, Twins group, Tue 15 Dec 10:00",
        f"Debrief: {peer_supporter.get_full_name()}, Twins group, Tue 15 Dec 10:00",
        "Appointment import: clinic-list.csv, Tue 15 Dec 10:00",
        f"Staff role: {facilitator.get_full_name()}, facilitator",
        f"Training and DBS record: {peer_supporter.get_full_name()}",
        "Audit trail: downloaded as CSV",
    }
    assert not any("." in cell.split(":")[0] for cell in cells)


def test_every_kind_of_record_the_app_audits_has_a_name():
    # The kinds the views and services write (waitroom.audit callers); a new one needs a label.
    audited = {
        "waitroom.clinic",
        "waitroom.staffrole",
        "waitingroom.patient",
        "waitingroom.waitingroomsession",
        "imports.importjob",
        "groups.cohort",
        "facilitation.attendance",
        "facilitation.discussionnote",
        "facilitation.concern",
        "facilitation.debrief",
        "facilitation.peersupporterrecord",
    }
    assert audited <= set(KINDS)


def test_events_from_real_requests_read_back_with_names(as_persona, records, clinic, coordinator):
    client = as_persona("coordinator")
    session = records["session"]
    client.get(reverse("session_detail", args=[clinic.slug, session.pk]))

    html = client.get(reverse("audit_log")).content.decode()

    assert "Session: Twins group, Tue 15 Dec 10:00" in record_cells(html)
    assert "waitingroom.waitingroomsession" not in html


def test_a_record_deleted_since_and_an_unknown_kind_still_read_plainly(
    as_persona, clinic, coordinator
):
    AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="delete",
        object_type="waitroom.staffrole",
        object_id="99999",
    )
    AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="view",
        object_type="invitations.invitation",
        object_id="7",
    )
    html = as_persona("coordinator").get(reverse("audit_log")).content.decode()
    assert set(record_cells(html)) == {"Staff role 99999 (since deleted)", "Invitation 7"}


def test_an_import_audited_before_imports_became_an_app_is_still_named(
    as_persona, records, clinic, coordinator
):
    # Events keep the label they were written with: ImportJob was `waitingroom.importjob`.
    AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="view",
        object_type="waitingroom.importjob",
        object_id=str(records["import_job"].pk),
    )
    html = as_persona("coordinator").get(reverse("audit_log")).content.decode()
    assert record_cells(html) == ["Appointment import: clinic-list.csv, Tue 15 Dec 10:00"]


def test_the_patient_column_shows_the_hospital_number(as_persona, records, clinic, coordinator):
    patient = records["patient"]
    audit(clinic, coordinator, records["concern"], patient_id=patient.pk)
    html = as_persona("coordinator").get(reverse("audit_log")).content.decode()
    assert "Hospital number RX1234" in html


def test_the_csv_export_carries_the_names_too(as_persona, records, clinic, coordinator):
    audit(clinic, coordinator, records["session"])
    response = as_persona("coordinator").get(reverse("audit_log"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["record"] for row in rows] == ["Session: Twins group, Tue 15 Dec 10:00"]
    assert rows[0]["object"] == "waitingroom.waitingroomsession"


def test_naming_records_costs_one_query_per_kind_not_per_event(
    as_persona, records, clinic, coordinator, django_assert_max_num_queries
):
    client = as_persona("coordinator")
    for obj in records.values():
        audit(clinic, coordinator, obj)
    client.get(reverse("audit_log"))  # the first request starts the session
    # Base page (8, as before names) + one query per named kind + the patient column.
    with django_assert_max_num_queries(8 + len(KINDS) + 1):
        client.get(reverse("audit_log"))

    # Twenty more events of every kind add no query.
    more = [StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER) for _ in range(20)]
    for _ in range(20):
        for obj in records.values():
            audit(clinic, coordinator, obj)
    for role in more:
        audit(clinic, coordinator, role)
    with django_assert_max_num_queries(8 + len(KINDS) + 1):
        client.get(reverse("audit_log"))
