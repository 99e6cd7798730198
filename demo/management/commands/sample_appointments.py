"""`python manage.py sample_appointments`: write a sample CSV appointment list and FHIR Bundle
for the demo clinic, dated from today, ready to import (see docs/appointments-csv.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.samples import CSV_NAME, FHIR_NAME, sample_csv, sample_fhir
from demo.spec import CLINIC
from waitroom.models import service_today


class Command(BaseCommand):
    help = (
        "Write sample-appointments.csv and sample-appointments.fhir.json for the demo clinic, "
        "with appointments on its next clinic days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=Path("."),
            help="The folder to write the two files into (default: the current folder).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the appointments from this day instead of today (YYYY-MM-DD).",
        )

    def handle(self, *args, out: Path, today: dt.date | None, **options) -> None:
        today = today or service_today()
        slug = CLINIC["slug"]
        if not out.is_dir():
            raise CommandError(f"There is no folder at {out}.")
        csv_path, fhir_path = out / CSV_NAME, out / FHIR_NAME
        csv_path.write_text(sample_csv(today=today), encoding="utf-8")
        fhir_path.write_text(sample_fhir(today=today), encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {csv_path} and {fhir_path}, dated from {today:%-d %B %Y}.")
        )
        self.stdout.write("Import them on the clinic's Import appointments page, or with:")
        for path in (csv_path, fhir_path):
            self.stdout.write(f"  python manage.py import_appointments {path} --clinic {slug}")
