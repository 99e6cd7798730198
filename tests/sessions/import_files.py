"""Appointment files for the import tests: CSV text and FHIR Bundles built in code."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from sessions.imports.services import ImportReport, appointments_import
from sessions.nhs_number import is_valid_nhs_number

DOCS = Path(__file__).resolve().parents[2] / "docs"
SAMPLE_CSV = DOCS / "sample-appointments.csv"
SAMPLE_FHIR = DOCS / "sample-appointments.fhir.json"

HEADER = (
    "Hospital number,NHS number,Given name,Family name,Preferred name,Date of birth,Mobile,"
    "Email,Preferred language,Interpreter needed,Estimated due date,Appointment identifier,"
    "Start,Duration in minutes,Appointment type,Status,Cohorts"
)


def nhs_number(n: int) -> str:
    """The n-th valid NHS number counting up from 900 000 000 0 (deterministic)."""
    base = 900_000_000 + n * 3
    while True:
        for check in range(10):
            candidate = f"{base}{check}"
            if is_valid_nhs_number(candidate):
                return candidate
        base += 1


def csv_row(n: int, **overrides: str) -> str:
    day = dt.date(2026, 6, 1) + dt.timedelta(days=n // 40)
    minutes = 9 * 60 + (n % 40) * 10
    values = {
        "hospital_number": f"H{n:07d}",
        "nhs_number": "",
        "given_name": "Woman",
        "family_name": f"Number{n}",
        "preferred_name": "",
        "date_of_birth": "14/03/1991",
        "mobile": "07700 900123",
        "email": f"woman{n}@example.com",
        "preferred_language": "en",
        "interpreter_needed": "no",
        "estimated_due_date": "02/09/2026",
        "appointment_id": f"APT{n:06d}",
        "start": f"{day:%d/%m/%Y} {minutes // 60:02d}:{minutes % 60:02d}",
        "duration_minutes": "20",
        "appointment_type": "Antenatal check",
        "status": "booked",
        "cohorts": "",
    }
    values.update(overrides)
    return ",".join(values.values())


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def csv_rows(count: int, start: int = 0) -> str:
    return csv_text(*(csv_row(n) for n in range(start, start + count)))


def opener(content: bytes | str):
    data = content.encode() if isinstance(content, str) else content
    return lambda: io.BytesIO(data)


def run_import(clinic, content: bytes | str, **kwargs) -> ImportReport:
    return appointments_import(clinic=clinic, open_file=opener(content), **kwargs)


def fhir_patient(n: int, **overrides) -> dict:
    patient = {
        "resourceType": "Patient",
        "id": f"p{n}",
        "identifier": [{"system": "https://hospital.example/Id/mrn", "value": f"H{n:07d}"}],
        "name": [{"use": "official", "family": f"Number{n}", "given": ["Woman"]}],
        "birthDate": "1991-03-14",
        "telecom": [{"system": "phone", "use": "mobile", "value": "07700 900123"}],
    }
    patient.update(overrides)
    return patient


def fhir_appointment(n: int, patient_ref: str | None = None, **overrides) -> dict:
    start = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=10 * n)
    appointment = {
        "resourceType": "Appointment",
        "id": f"a{n}",
        "identifier": [{"system": "https://hospital.example/Id/appt", "value": f"APT{n:06d}"}],
        "status": "booked",
        "appointmentType": {"text": "Antenatal check"},
        "start": start.isoformat(),
        "minutesDuration": 20,
        "participant": [{"actor": {"reference": patient_ref or f"Patient/p{n}"}}],
    }
    appointment.update(overrides)
    return appointment


def fhir_bundle(count: int = 0, *, kind: str = "collection", entries: list | None = None) -> str:
    if entries is None:
        entries = []
        for n in range(count):
            entries.append({"resource": fhir_appointment(n)})
            entries.append(
                {"fullUrl": f"https://hospital.example/Patient/p{n}", "resource": fhir_patient(n)}
            )
    return json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries})
