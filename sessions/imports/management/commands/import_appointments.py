"""python manage.py import_appointments PATH --clinic SLUG

Imports a CSV appointment list or a FHIR R4 Bundle into one clinic, through the same service
as the upload page, printing progress and then the row-by-row report. Exit status: 0 when
every row was imported, 1 when the file was refused (nothing imported), 2 when some rows were
not imported (the others were).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions.imports.rows import ImportRefused
from sessions.imports.services import BATCH_SIZE, ImportReport, appointments_import
from waitroom.models import Clinic


class Command(BaseCommand):
    help = "Import a clinic's appointment list (CSV or FHIR R4 JSON Bundle)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file or FHIR Bundle to import.")
        parser.add_argument("--clinic", required=True, help="The clinic's slug, e.g. riverside.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per batch.")

    def handle(self, *args, path: Path, clinic: str, batch_size: int, **options) -> None:
        try:
            target = Clinic.objects.active().select_related("organisation").get(slug=clinic)
        except Clinic.DoesNotExist:
            raise CommandError(f"There is no active clinic with the slug '{clinic}'.") from None
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")

        def progress(report: ImportReport) -> None:
            if report.total_rows:
                percent = report.processed_rows * 100 // report.total_rows
                self.stdout.write(
                    f"{report.processed_rows:,} of {report.total_rows:,} rows ({percent}%)"
                )

        try:
            report = appointments_import(
                clinic=target,
                open_file=lambda: path.open("rb"),
                batch_size=batch_size,
                progress=progress,
            )
        except ImportRefused as refused:
            raise CommandError(f"Nothing was imported. {refused.message}") from None

        kind = "FHIR Bundle" if report.file_format == "fhir" else "CSV file"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {kind} into {target.name}: {report.created:,} new, "
                f"{report.updated:,} updated, {report.unchanged:,} unchanged, "
                f"{report.cancelled:,} newly cancelled, {report.skipped:,} not imported."
            )
        )
        if report.problem_count:
            where = "Entry" if report.file_format == "fhir" else "Row"
            for problem in report.problems:
                self.stdout.write(f"{where} {problem.row}, {problem.field}: {problem.reason}")
            if report.problem_count > len(report.problems):
                self.stdout.write(
                    f"… and {report.problem_count - len(report.problems):,} more problems."
                )
            raise CommandError(
                f"{report.skipped:,} rows were not imported; the others were.", returncode=2
            )
