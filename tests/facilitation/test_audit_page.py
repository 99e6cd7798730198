import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import DiscussionNote
from tests.artefacts import href_of, records_of
from tests.factories import PatientFactory, UserFactory
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(clinic, other_clinic, coordinator, facilitator):
    patient = PatientFactory(organisation=clinic.organisation, hospital_number="H123")
    mine = AuditEvent.objects.create(
        user=facilitator,
        clinic=clinic,
        action="view",
        object_type="waitingroom.patient",
        object_id=str(patient.pk),
        patient_id=patient.pk,
    )
    old = AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="change",
        object_type="facilitation.concern",
        object_id="9",
        at=timezone.now() - dt.timedelta(days=30),
    )
    elsewhere = AuditEvent.objects.create(
        user=coordinator,
        clinic=other_clinic,
        action="view",
        object_type="facilitation.concern",
        object_id="77777",
    )
    return {"patient": patient, "mine": mine, "old": old, "elsewhere": elsewhere}


def listed(response) -> set[int]:
    return {row.event.pk for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("other_coordinator", 200),
        ("facilitator", 403),
        ("peer_supporter", 403),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_audit_page_by_persona(as_persona, persona, status):
    assert as_persona(persona).get(reverse("audit_log")).status_code == status


def test_a_coordinator_sees_only_her_clinics_events(as_persona, events):
    response = as_persona("coordinator").get(reverse("audit_log"))
    assert listed(response) == {events["mine"].pk, events["old"].pk}


def test_an_admin_sees_every_event(client, events):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert len(listed(client.get(reverse("audit_log")))) == 3


def test_filters_by_user_patient_and_date(as_persona, events, facilitator):
    client = as_persona("coordinator")
    url = reverse("audit_log")
    assert listed(client.get(url, {"user": facilitator.email})) == {events["mine"].pk}
    assert listed(client.get(url, {"patient": "H123"})) == {events["mine"].pk}
    today = timezone.localdate()
    by_date = {
        "date_from_day": today.day,
        "date_from_month": today.month,
        "date_from_year": today.year,
    }
    assert listed(client.get(url, by_date)) == {events["mine"].pk}


def test_csv_export_holds_the_filtered_events(as_persona, events, facilitator):
    client = as_persona("coordinator")
    page = client.get(reverse("audit_log"), {"user": facilitator.email})
    response = client.get(reverse("audit_log") + href_of(page, "Download these events as CSV"))
    assert response["Content-Type"].startswith("text/csv")
    mine, patient_id = events["mine"], str(events["patient"].pk)
    expected = {
        "time (UTC)": mine.at.astimezone(dt.UTC).isoformat(),
        "user": facilitator.email,
        "role": mine.role,
        "clinic": "riverside",
        "action": "view",
        "object": "waitingroom.patient",
        "object id": patient_id,
        "patient": patient_id,
        "IP": "",
        "record": "Patient: hospital number H123",
        "hospital number": "H123",
    }
    records = records_of(response)
    assert records == [expected]
    assert list(records[0]) == list(expected)  # the columns, in this order
    assert "77777" not in response.content.decode()


def test_exporting_the_audit_trail_is_itself_audited(as_persona, events, coordinator, facilitator):
    as_persona("coordinator").get(
        reverse("audit_log"), {"user": facilitator.email, "format": "csv"}
    )
    export = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).get()
    assert (export.user, export.object_type, export.object_id) == (
        coordinator,
        "waitroom.auditevent",
        "csv",
    )


def test_audit_page_query_count_is_pinned(
    as_persona, events, coordinator, clinic, django_assert_max_num_queries
):
    for n in range(20):
        AuditEvent.objects.create(
            user=coordinator, clinic=clinic, action="view", object_type="x", object_id=str(n)
        )
    client = as_persona("coordinator")
    client.get(reverse("audit_log"))  # the first request starts the session
    # +1 query per kind of named record on the page (patient, concern), +1 for hospital numbers;
    # none per event (tests/waitroom/test_audit_labels.py).
    with django_assert_max_num_queries(11):
        client.get(reverse("audit_log"))


def test_audit_events_cannot_be_changed_or_deleted(events):
    event = events["mine"]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_a_failed_request_leaves_no_audit_event(as_persona, session, facilitator, monkeypatch):
    from sessions.facilitation.views import notes as note_views

    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="x")

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(note_views, "render", broken)
    client = as_persona("coordinator")
    with pytest.raises(RuntimeError):
        client.get(reverse("note_detail", args=[session.clinic.slug, note.pk]))
    assert not AuditEvent.objects.exists()


def test_the_csv_export_does_not_let_a_cell_run_as_a_spreadsheet_formula(
    as_persona, clinic, coordinator
):
    import csv
    import io

    # An address from before staff emails were checked (the model no longer accepts it).
    hostile = UserFactory(email="=1+2+cmd|'/Ccalc'!A0@example.org")
    AuditEvent.objects.create(
        user=hostile, clinic=clinic, action="view", object_type="-2+3", object_id="@SUM(A1)"
    )

    response = as_persona("coordinator").get(reverse("audit_log"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    [row] = [row for row in rows if "Ccalc" in row[1]]
    assert row[1] == "'=1+2+cmd|'/Ccalc'!A0@example.org"
    assert (row[5], row[6]) == ("'-2+3", "'@SUM(A1)")
    assert response["Cache-Control"] == "no-store"
