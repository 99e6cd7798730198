"""`sample_appointments`: sample lists that match the demo and are dated from today, so a
newcomer's first import shows women on the clinic days ahead."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.samples import DOCS_DAY
from demo.seed import demo_seed
from demo.spec import CLINIC, COHORTS, DAYS_AHEAD
from groups.models import CohortMembership
from sessions.models import Appointment

DOCS = Path(__file__).resolve().parents[2] / "docs"
DEMO_COHORTS = {cohort["slug"] for cohort in COHORTS}


def write_samples(folder: Path, *options: str) -> tuple[Path, Path, str]:
    out = StringIO()
    call_command("sample_appointments", "--out", str(folder), *options, stdout=out)
    return (
        folder / "sample-appointments.csv",
        folder / "sample-appointments.fhir.json",
        out.getvalue(),
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fhir_appointments(path: Path) -> list[dict]:
    bundle = json.loads(path.read_text(encoding="utf-8"))
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Appointment"
    ]


def test_the_documented_samples_are_what_the_command_writes_for_their_day(tmp_path):
    csv_path, fhir_path, _ = write_samples(tmp_path, "--today", DOCS_DAY.isoformat())

    assert csv_path.read_bytes() == (DOCS / "sample-appointments.csv").read_bytes()
    assert fhir_path.read_bytes() == (DOCS / "sample-appointments.fhir.json").read_bytes()


def test_the_documented_samples_name_only_the_demo_clinic_and_its_cohorts():
    rows = csv_rows(DOCS / "sample-appointments.csv")
    named = {slug for row in rows for slug in row["Cohorts"].split() if slug}

    assert named and named <= DEMO_COHORTS
    for appointment in fhir_appointments(DOCS / "sample-appointments.fhir.json"):
        clinics = [
            p["actor"]["identifier"]["value"]
            for p in appointment["participant"]
            if p["actor"].get("identifier", {}).get("system") == "urn:waitroom:clinic"
        ]
        assert clinics == [CLINIC["slug"]]


@pytest.mark.parametrize("today", ["2026-12-04", "2026-12-05", "2027-03-27"])
def test_every_sample_appointment_is_within_the_week_after_the_day_given(tmp_path, today):
    csv_path, fhir_path, output = write_samples(tmp_path, "--today", today)
    day = dt.date.fromisoformat(today)

    starts = [dt.datetime.fromisoformat(a["start"]) for a in fhir_appointments(fhir_path)]
    for row in csv_rows(csv_path):
        text = row["Start"]
        if "/" in text:  # the UK form, 14/03/2026 09:30
            text = dt.datetime.strptime(f"{text} +0000", "%d/%m/%Y %H:%M %z").isoformat()
        starts.append(dt.datetime.fromisoformat(text))
    for start in starts:
        assert day < start.date() <= day + dt.timedelta(days=7)
        assert start.weekday() < 5
    assert f"--clinic {CLINIC['slug']}" in output


@pytest.mark.django_db
def test_a_newcomer_imports_todays_sample_into_the_demo_and_sees_it_on_the_days_ahead(
    tmp_path, client
):
    demo_seed()
    csv_path, fhir_path, output = write_samples(tmp_path)
    before = Appointment.objects.count()

    for path in (csv_path, fhir_path):
        imported = StringIO()
        call_command("import_appointments", str(path), "--clinic", "riverside", stdout=imported)
        assert "0 not imported" in imported.getvalue()

    rows = csv_rows(csv_path)
    assert Appointment.objects.count() == before + len(rows) + len(fhir_appointments(fhir_path))
    now = timezone.now()
    horizon = timezone.localdate() + dt.timedelta(days=DAYS_AHEAD)
    client.login(email="coordinator@waitroom.example", password="demo-coordinator-2026")
    for row in rows:
        appointment = Appointment.objects.get(external_id=row["Appointment identifier"])
        assert now < appointment.start
        day = timezone.localdate(appointment.start)
        assert day < horizon
        if row["Cohorts"]:
            assert CohortMembership.objects.filter(
                patient=appointment.patient, cohort__slug=row["Cohorts"]
            ).exists()
        page = client.get(reverse("clinic_day", args=["riverside", day])).content.decode()
        name = row["Preferred name"] or row["Given name"]
        assert f"{name} {row['Family name']}" in page
