"""Load questionnaires from instrument files: `python manage.py load_instruments [PATH ...]`.

With no paths, the files shipped in sessions/feedback/instruments/. A trust with a licence for
a measure whose wording we may not publish loads its own file the same way (docs/feedback.md).
A file whose version is already loaded with other contents is refused: give it a new version.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions.feedback.definitions import InvalidInstrument
from sessions.feedback.services import instruments_load_files


class Command(BaseCommand):
    help = "Load or update questionnaire instruments from JSON files (a new version is a new row)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Instrument files (JSON).")

    def handle(self, *args, paths: list[Path], **options) -> None:
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        try:
            outcomes = instruments_load_files(paths=paths or None)
        except InvalidInstrument as exc:
            raise CommandError(str(exc)) from None
        for outcome in outcomes:
            state = "loaded" if outcome.created else "already loaded"
            self.stdout.write(f"{outcome.slug} version {outcome.version}: {state}")
