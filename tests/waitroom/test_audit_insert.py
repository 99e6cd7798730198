"""The page-and-women audit INSERT on PostgreSQL writes exactly what the portable
bulk_create path (SQLite, `make run`) writes (issue 14)."""

import pytest
from django.db import connection
from django.test import RequestFactory

from tests.factories import PatientFactory
from waitroom.audit import audit_patients_shown
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

FIELDS = [
    "user_id",
    "role",
    "clinic_id",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "ip_address",
    "context",
]


def _shown(coordinator, clinic, women):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = coordinator
    first = audit_patients_shown(
        request, "view", clinic, clinic=clinic, patient_ids=[w.pk for w in women]
    )
    events = AuditEvent.objects.filter(at=first.at).order_by("pk")
    return first, list(events.values_list(*FIELDS)), {e.at for e in events}


def test_the_one_statement_insert_writes_what_bulk_create_writes(coordinator, clinic, monkeypatch):
    women = [PatientFactory(organisation=clinic.organisation) for _ in range(4)]

    first, fast, fast_times = _shown(coordinator, clinic, reversed(women))
    monkeypatch.setattr(connection, "vendor", "portable")
    portable_first, portable, portable_times = _shown(coordinator, clinic, reversed(women))

    assert fast == portable
    assert fast[0][4:7] == ("waitroom.clinic", str(clinic.pk), None)
    assert [row[6] for row in fast[1:]] == sorted(w.pk for w in women)
    assert fast[1][7] == "192.0.2.7"
    assert fast[1][8] == f"waitroom.clinic:{clinic.pk}"
    assert fast_times == {first.at} and portable_times == {portable_first.at}
    assert AuditEvent.objects.get(pk=first.pk).patient_id is None


def test_a_list_of_nobody_records_the_page_alone(coordinator, clinic):
    first, rows, _ = _shown(coordinator, clinic, [])

    assert len(rows) == 1
    assert AuditEvent.objects.get(pk=first.pk).object_type == "waitroom.clinic"
