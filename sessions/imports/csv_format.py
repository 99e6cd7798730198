"""Reading an appointment list exported as CSV (columns: docs/appointments-csv.md).

The file is read twice, each time row by row: once to check its shape, count its rows and find
which clinic it names, then again to read the appointments. Neither pass keeps rows in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from waitroom.models import Clinic

from .detect import EMPTY_FILE, NOT_AN_APPOINTMENT_LIST, FileOpener, text_encoding
from .rows import (
    MAX_DURATION_MINUTES,
    AppointmentRow,
    ImportRefused,
    PatientFields,
    check_appointment_fields,
    check_patient_fields,
    clean_mobile,
    parse_date,
    parse_start,
    parse_yes_no,
    status_from_text,
)

# Column key → (the name used in reports and documentation, other headings accepted).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hospital_number": ("Hospital number", ("hospital no", "mrn", "local patient id")),
    "nhs_number": ("NHS number", ("nhs no",)),
    "given_name": ("Given name", ("first name", "forename")),
    "family_name": ("Family name", ("surname", "last name")),
    "preferred_name": ("Preferred name", ("known as",)),
    "date_of_birth": ("Date of birth", ("dob", "birth date")),
    "mobile": ("Mobile", ("mobile number", "mobile phone", "phone")),
    "email": ("Email", ("email address", "e-mail")),
    "preferred_language": ("Preferred language", ("language",)),
    "interpreter_needed": ("Interpreter needed", ("interpreter", "interpreter required")),
    "consent_sms": ("Text message consent", ("sms consent", "consent to sms", "text consent")),
    "consent_email": ("Email consent", ("consent to email", "e-mail consent")),
    "estimated_due_date": ("Estimated due date", ("edd", "due date")),
    "appointment_id": (
        "Appointment identifier",
        ("appointment id", "appointment number", "appointment ref"),
    ),
    "start": ("Start", ("appointment start", "start time", "appointment time")),
    "duration_minutes": ("Duration in minutes", ("duration", "duration minutes", "minutes")),
    "appointment_type": ("Appointment type", ("type",)),
    "status": ("Status", ("appointment status",)),
    "cohorts": ("Cohorts", ("cohort", "cohort slugs")),
    "clinic": ("Clinic", ("clinic slug",)),
}
REQUIRED_COLUMNS = ("hospital_number", "given_name", "family_name", "appointment_id", "start")
LABELS = {key: label for key, (label, _) in COLUMNS.items()}
LABELS["external_id"] = LABELS["appointment_id"]


def _heading_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_HEADINGS = {
    _heading_key(name): key
    for key, (label, aliases) in COLUMNS.items()
    for name in (key, label, *aliases)
}


@dataclass(frozen=True)
class CsvLayout:
    encoding: str
    delimiter: str
    columns: dict[str, int]
    total_rows: int


def _reader(open_file: FileOpener, encoding: str, delimiter: str) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, cells) for each non-blank line, cells stripped."""
    with open_file() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        for cells in reader:
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                yield reader.line_num, stripped


def _delimiter(open_file: FileOpener, encoding: str) -> str:
    with open_file() as raw:
        first_line = ""
        for line in io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""):
            if line.strip():
                first_line = line
                break
    # Spreadsheets in some locales save with semicolons; "Unicode text" saves with tabs.
    return max(",;\t", key=first_line.count)


def _columns(headings: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(headings):
        key = _HEADINGS.get(_heading_key(heading))
        if key is None:
            continue
        if key in columns:
            raise ImportRefused(
                f"The file has the column '{LABELS[key]}' twice. Remove one of them and try again."
            )
        columns[key] = index
    if not columns:
        raise ImportRefused(NOT_AN_APPOINTMENT_LIST)
    missing = [LABELS[key] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise ImportRefused(
            "The file is missing the column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(f"'{name}'" for name in missing)
            + ". The first row must be the column headings."
        )
    return columns


def _names_clinic(value: str, clinic: Clinic) -> bool:
    value = value.strip().lower()
    return not value or value in (clinic.slug.lower(), clinic.name.lower())


def csv_scan(open_file: FileOpener, clinic: Clinic) -> CsvLayout:
    """Check the file's shape and count its rows; `ImportRefused` if it cannot be imported."""
    with open_file() as raw:
        encoding = text_encoding(raw.read(4))
    try:
        return _scan(open_file, clinic, encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8-sig":
            raise ImportRefused(NOT_AN_APPOINTMENT_LIST) from None
    # Older Excel saves CSV in Windows-1252; read it so rather than refuse it.
    return _scan(open_file, clinic, "cp1252")


def _scan(open_file: FileOpener, clinic: Clinic, encoding: str) -> CsvLayout:
    delimiter = _delimiter(open_file, encoding)
    rows = _reader(open_file, encoding, delimiter)
    try:
        _, headings = next(rows)
    except StopIteration:
        raise ImportRefused(EMPTY_FILE) from None
    except csv.Error:
        raise ImportRefused(NOT_AN_APPOINTMENT_LIST) from None
    columns = _columns(headings)
    clinic_column = columns.get("clinic")
    total = 0
    try:
        for line, cells in rows:
            total += 1
            if (
                clinic_column is not None
                and clinic_column < len(cells)
                and not _names_clinic(cells[clinic_column], clinic)
            ):
                raise ImportRefused(
                    f"Row {line} of this file is for another clinic "
                    f"('{cells[clinic_column]}'), not {clinic.name}. Nothing was imported. "
                    "Check you chose the right file, or import it from that clinic's page."
                )
    except csv.Error:
        raise ImportRefused(NOT_AN_APPOINTMENT_LIST) from None
    if not total:
        raise ImportRefused(
            "The file has column headings but no appointments. "
            "Choose the file exported from the hospital system."
        )
    return CsvLayout(encoding=encoding, delimiter=delimiter, columns=columns, total_rows=total)


def csv_rows(open_file: FileOpener, clinic: Clinic, layout: CsvLayout) -> Iterator[AppointmentRow]:
    """Each data row read and checked, problems attached, in file order."""
    tz = clinic.zone
    rows = _reader(open_file, layout.encoding, layout.delimiter)
    next(rows)  # the headings, checked by csv_scan
    columns = layout.columns
    for line, cells in rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        yield _row(line, cell, tz)


def _row(line: int, cell, tz: ZoneInfo) -> AppointmentRow:
    row = AppointmentRow(
        row=line,
        patient=PatientFields(
            hospital_number=cell("hospital_number"),
            nhs_number=cell("nhs_number"),
            given_name=cell("given_name"),
            family_name=cell("family_name"),
            preferred_name=cell("preferred_name"),
            email=cell("email"),
            preferred_language=cell("preferred_language").lower(),
        ),
        external_id=cell("appointment_id"),
        appointment_type=cell("appointment_type"),
    )
    _read_patient_cells(row, cell)
    _read_appointment_cells(row, cell, tz)
    row.cohort_slugs = [slug.lower() for slug in re.split(r"[\s,;|]+", cell("cohorts")) if slug]
    check_patient_fields(row, LABELS)
    check_appointment_fields(row, LABELS)
    return row


def _read_patient_cells(row: AppointmentRow, cell) -> None:
    """Her dates, mobile and yes/no answers, each checked as it is read."""
    patient = row.patient
    for key in ("date_of_birth", "estimated_due_date"):
        if text := cell(key):
            try:
                setattr(patient, key, parse_date(text))
            except ValueError:
                row.problem(LABELS[key], "Enter a real date, like 14/03/2025 or 2025-03-14")
    if text := cell("mobile"):
        try:
            patient.mobile = clean_mobile(text)
        except ValueError:
            row.problem(LABELS["mobile"], "Enter a mobile number, like 07700 900123")
    for key in ("interpreter_needed", "consent_sms", "consent_email"):
        if text := cell(key):
            try:
                setattr(patient, key, parse_yes_no(text))
            except ValueError:
                row.problem(LABELS[key], "Enter yes or no")


def _read_appointment_cells(row: AppointmentRow, cell, tz: ZoneInfo) -> None:
    """The appointment's start, duration and status, each checked as it is read."""
    text = cell("start")
    if not text:
        row.problem(LABELS["start"], "Enter the appointment's start date and time")
    else:
        try:
            row.start = parse_start(text, tz)
        except ValueError as exc:
            reason = "Enter a date and time, like 14/03/2025 09:30 or 2025-03-14T09:30"
            if "clocks" in str(exc):
                reason = "This time does not exist in the UK: the clocks go forward then"
            row.problem(LABELS["start"], reason)
    if text := cell("duration_minutes"):
        try:
            row.duration_minutes = int(text)
            if not 1 <= row.duration_minutes <= MAX_DURATION_MINUTES:
                raise ValueError(text)
        except ValueError:
            row.problem(
                LABELS["duration_minutes"],
                f"Enter a whole number of minutes, 1 to {MAX_DURATION_MINUTES}",
            )
    status = status_from_text(cell("status"))
    if status is None:
        row.problem(
            LABELS["status"],
            "Status is not one we know: use booked, arrived, checked-in, fulfilled, "
            "cancelled, noshow or entered-in-error",
        )
    else:
        row.status = status
