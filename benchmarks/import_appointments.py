"""Benchmark: importing 50,000 CSV rows and a FHIR Bundle of 10,000 appointments.

Prints figures; it is not a test. Needs PostgreSQL (DATABASE_URL, a database it may migrate
and write to; the rows it creates are deleted at the end):

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/waitroom_bench \\
        .venv/bin/python benchmarks/import_appointments.py [--csv-rows 50000] [--fhir-rows 10000] \\
        [--bulk-create]

For each format: a first import (every row new), a second import of the same file (nothing
changes), both timed without tracemalloc, and for the CSV the ratio of each to a raw
PostgreSQL `COPY` of the same file into a temporary table of its 17 columns (text, no checks:
the floor any import of those bytes pays); then peak memory from a third, fresh import under
tracemalloc (Python allocations, which is what grows with the file), and the process's peak
resident set size from getrusage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waitroom.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from groups.models import Cohort  # noqa: E402
from sessions.imports import services  # noqa: E402
from sessions.imports.services import appointments_import  # noqa: E402
from sessions.models import Patient  # noqa: E402
from tests.sessions.import_files import HEADER, nhs_number  # noqa: E402
from waitroom.models import Clinic, Organisation  # noqa: E402


def write_csv(path: Path, rows: int) -> None:
    """About one appointment per woman, 300 a day, with a third of rows in a cohort."""
    statuses = ["booked"] * 8 + ["cancelled", "Checked in"]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(HEADER + "\r\n")
        for n in range(rows):
            day = dt.date(2026, 1, 5) + dt.timedelta(days=n // 300)
            minutes = 8 * 60 + 30 + (n % 300) * 2
            out.write(
                f"H{n:08d},{nhs_number(n) if n % 2 else ''},Woman,Number{n},,14/03/1991,"
                f"07700 9{n % 100000:05d},woman{n}@example.com,en,no,02/09/2026,APT{n:08d},"
                f"{day:%d/%m/%Y} {minutes // 60:02d}:{minutes % 60:02d},20,Antenatal check,"
                f"{statuses[n % 10]},{'bench-cohort' if n % 3 == 0 else ''}\r\n"
            )


def write_fhir(path: Path, rows: int) -> None:
    """Entries written one by one, patients after their appointments (the awkward order)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"resourceType": "Bundle", "type": "collection", "entry": [\n')
        for n in range(rows):
            start = dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC) + dt.timedelta(minutes=2 * n)
            appointment = {
                "fullUrl": f"urn:uuid:appt-{n}",
                "resource": {
                    "resourceType": "Appointment",
                    "id": f"a{n}",
                    "identifier": [{"system": "https://example/appt", "value": f"FA{n:08d}"}],
                    "status": "booked" if n % 10 else "cancelled",
                    "appointmentType": {"text": "Antenatal check"},
                    "start": start.isoformat(),
                    "minutesDuration": 20,
                    "participant": [{"actor": {"reference": f"urn:uuid:patient-{n}"}}],
                },
            }
            patient = {
                "fullUrl": f"urn:uuid:patient-{n}",
                "resource": {
                    "resourceType": "Patient",
                    "id": f"p{n}",
                    "identifier": [
                        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_number(n)},
                        {"system": "https://example/mrn", "value": f"F{n:08d}"},
                    ],
                    "name": [{"use": "official", "family": f"Number{n}", "given": ["Woman"]}],
                    "birthDate": "1991-03-14",
                    "telecom": [{"system": "phone", "use": "mobile", "value": "07700900123"}],
                },
            }
            sep = ",\n" if n < rows - 1 else "\n"
            out.write(json.dumps(appointment) + ",\n" + json.dumps(patient) + sep)
        out.write("]}\n")


def fresh_clinic(tag: str) -> Clinic:
    organisation = Organisation.objects.create(name=f"Benchmark trust {tag}", ods_code=tag)
    clinic = Clinic.objects.create(organisation=organisation, name=f"Bench {tag}", slug=tag.lower())
    cohort, _ = Cohort.objects.get_or_create(
        slug="bench-cohort",
        defaults={"staff_name": "Bench", "public_name": "Bench group", "criterion": "Bench"},
    )
    cohort.clinics.add(clinic)
    return clinic


def remove(clinic: Clinic) -> None:
    organisation = clinic.organisation
    clinic.appointments.all().delete()
    Patient.objects.filter(organisation=organisation).delete()
    clinic.delete()
    organisation.delete()


def timed_import(clinic: Clinic, path: Path) -> tuple[float, object]:
    began = time.perf_counter()
    report = appointments_import(clinic=clinic, open_file=lambda: path.open("rb"))
    return time.perf_counter() - began, report


def raw_copy_seconds(path: Path) -> float:
    """Best of three raw COPYs of the CSV into a temporary text table (rolled back)."""
    columns = ", ".join(f"c{n} text" for n in range(HEADER.count(",") + 1))
    best = float("inf")
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE raw_copy ({columns}) ON COMMIT DROP")
            with path.open(encoding="utf-8-sig") as source:
                began = time.perf_counter()
                cursor.copy_expert(
                    "COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)", source
                )
                best = min(best, time.perf_counter() - began)
            transaction.set_rollback(True)
    return best


def bench(label: str, path: Path, rows: int, tag: str, copy_seconds: float | None = None) -> None:
    size_mb = path.stat().st_size / 1e6
    clinic = fresh_clinic(f"{tag}1")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        first, report = timed_import(clinic, path)
        assert report.created == rows, (report.created, report.problems[:3])
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        again, report = timed_import(clinic, path)
        assert report.unchanged == rows, (report.unchanged, report.problems[:3])
    finally:
        remove(clinic)
    clinic = fresh_clinic(f"{tag}2")
    try:
        tracemalloc.start()
        traced, _ = timed_import(clinic, path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        remove(clinic)
    print(f"{label}: {rows:,} appointments, file {size_mb:.1f} MB")
    print(f"  first import (all new):   {first:6.1f} s  {rows / first:8,.0f} rows/s")
    print(f"  same file again (no-op):  {again:6.1f} s  {rows / again:8,.0f} rows/s")
    if copy_seconds is not None:
        print(
            f"  raw COPY of the file:     {copy_seconds:6.2f} s"
            f"  {rows / copy_seconds:8,.0f} rows/s;"
            f" import / COPY: {first / copy_seconds:.1f}x (all new), {again / copy_seconds:.1f}x"
            " (again)"
        )
    print(f"  peak Python memory (tracemalloc, fresh import): {peak / 1e6:.1f} MB")
    print(
        f"  peak RSS of the process so far: {rss_after / 1024:.0f} MB"
        f" (was {rss_before / 1024:.0f} MB before the first import)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-rows", type=int, default=50_000)
    parser.add_argument("--fhir-rows", type=int, default=10_000)
    parser.add_argument(
        "--bulk-create",
        action="store_true",
        help="time the bulk_create path (SQLite's, and PostgreSQL's before ADR 43) instead of COPY",
    )
    args = parser.parse_args()
    services.COPY_ON_POSTGRESQL = not args.bulk_create
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    print(
        f"PostgreSQL database {settings.DATABASES['default']['NAME']}, batches of 1,000 rows, "
        + ("bulk_create path" if args.bulk_create else "COPY path (ADR 43)")
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} (the machine is shared)")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "appointments.csv"
        write_csv(csv_path, args.csv_rows)
        bench("CSV", csv_path, args.csv_rows, "BCSV", raw_copy_seconds(csv_path))
        fhir_path = Path(folder) / "appointments.fhir.json"
        write_fhir(fhir_path, args.fhir_rows)
        bench("FHIR Bundle", fhir_path, args.fhir_rows, "BFHIR")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
