"""What both file formats are turned into: one `AppointmentRow` per appointment.

The parsers only read and check values (dates, statuses, the NHS number's checksum); whatever
needs the database (is this hospital number known, does this cohort run here) is checked by the
service, a batch at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from waitroom.models import service_today

from ..languages import is_known_language
from ..models import AppointmentStatus
from ..nhs_number import is_valid_nhs_number, normalise_nhs_number

DEFAULT_DURATION_MINUTES = 20
MAX_DURATION_MINUTES = 480
# Plausible values (docs/adr/0007-appointment-import.md): a value outside these is a typing
# slip or a placeholder (9999-12-31, 01/01/1900), reported against its row before anything is
# written, never stored to fail a later step.
APPOINTMENT_WINDOW = dt.timedelta(days=2 * 366)  # either side of today
OLDEST_AGE_YEARS = 70
YOUNGEST_AGE_YEARS = 10
DUE_DATE_WINDOW = dt.timedelta(days=2 * 366)  # either side of today
MAX_EMAIL_LENGTH = 254
# C0 control characters (NUL above all: PostgreSQL cannot store it) other than tab.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class ImportRefused(Exception):
    """The whole file is refused, with one message for the person who chose it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(slots=True)
class PatientFields:
    """A woman's details as the file gives them. Empty optional values mean "not given"."""

    hospital_number: str = ""
    nhs_number: str = ""
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    mobile: str = ""
    email: str = ""
    preferred_language: str = ""
    interpreter_needed: bool | None = None
    # Contact consent as the hospital recorded it; None when the file does not say.
    consent_sms: bool | None = None
    consent_email: bool | None = None
    estimated_due_date: dt.date | None = None


@dataclass(slots=True)
class AppointmentRow:
    row: int
    patient: PatientFields
    external_id: str = ""
    start: dt.datetime | None = None
    duration_minutes: int = DEFAULT_DURATION_MINUTES
    appointment_type: str = ""
    status: str = AppointmentStatus.BOOKED
    cohort_slugs: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, field_label: str, reason: str) -> None:
        self.problems.append(RowProblem(self.row, field_label, reason))


# Statuses as hospital systems write them, mapped to FHIR's Appointment.status set. Keys are
# compared after lower-casing and turning spaces and underscores into hyphens.
STATUS_ALIASES: dict[str, str] = {
    **{value: value for value in AppointmentStatus.values},
    "": AppointmentStatus.BOOKED,
    "confirmed": AppointmentStatus.BOOKED,
    "scheduled": AppointmentStatus.BOOKED,
    "checkedin": AppointmentStatus.CHECKED_IN,
    "attended": AppointmentStatus.FULFILLED,
    "seen": AppointmentStatus.FULFILLED,
    "completed": AppointmentStatus.FULFILLED,
    "complete": AppointmentStatus.FULFILLED,
    "canceled": AppointmentStatus.CANCELLED,
    "cancelled-by-patient": AppointmentStatus.CANCELLED,
    "cancelled-by-hospital": AppointmentStatus.CANCELLED,
    "no-show": AppointmentStatus.NOSHOW,
    "dna": AppointmentStatus.NOSHOW,
    "did-not-attend": AppointmentStatus.NOSHOW,
    "error": AppointmentStatus.ENTERED_IN_ERROR,
    "entered-in-error": AppointmentStatus.ENTERED_IN_ERROR,
    "waitlisted": AppointmentStatus.WAITLIST,
    "tentative": AppointmentStatus.PENDING,
}

# Statuses that withdraw an appointment: whatever depends on it (invitations) must follow.
WITHDRAWN_STATUSES = frozenset({AppointmentStatus.CANCELLED, AppointmentStatus.ENTERED_IN_ERROR})


def status_from_text(text: str) -> str | None:
    """Our status for a hospital system's status text, or None when it is not one we know."""
    key = re.sub(r"[\s_]+", "-", text.strip().lower())
    return STATUS_ALIASES.get(key)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UK_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_date(text: str) -> dt.date:
    """A date written as 2025-03-14 or 14/03/2025. Raises ValueError."""
    text = text.strip()
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text)
    match = _UK_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def localise(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time at the clinic as an aware datetime; ValueError if the clocks skip it."""
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise ValueError("does not exist: the clocks go forward")
    return aware


def parse_start(text: str, tz: ZoneInfo) -> dt.datetime:
    """An appointment time: ISO 8601 (with or without offset) or 14/03/2025 09:30.

    Times without an offset are the clinic's wall-clock time (Europe/London).
    """
    text = text.strip()
    match = _UK_DATETIME.match(text)
    if match:
        day, month, year, hour, minute = (int(part) for part in match.groups()[:5])
        second = int(match.group(6) or 0)
        return localise(dt.datetime(year, month, day, hour, minute, second), tz)  # noqa: DTZ001
    if "T" not in text and " " not in text:
        # A date alone is not an appointment time.
        raise ValueError(text)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    try:
        if parsed.tzinfo is None:
            return localise(parsed, tz)
        parsed.astimezone(dt.UTC)  # 9999-12-31T23:59-01:00 is past the last datetime
    except OverflowError:
        raise ValueError(text) from None
    return parsed


_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0", ""}


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(text)


_PHONE = re.compile(r"^\+?[0-9]{10,15}$")


def clean_mobile(text: str) -> str:
    number = re.sub(r"[\s()-]", "", text)
    if not _PHONE.match(number):
        raise ValueError(text)
    return number


def check_patient_fields(row: AppointmentRow, labels: dict[str, str]) -> None:
    """The checks both formats share, on values already read; problems go on the row.

    `labels` names each field as the file does ("NHS number" in a CSV, a FHIR path in a
    Bundle) so the report points at what the person can find in her file.
    """
    _check_identity(row, labels)
    _check_contact(row, labels)
    _check_dates(row, labels)


def _check_identity(row: AppointmentRow, labels: dict[str, str]) -> None:
    """Hospital number, NHS number (normalised when valid) and names."""
    patient = row.patient
    if not patient.hospital_number:
        row.problem(labels["hospital_number"], "Enter the hospital number")
    elif len(patient.hospital_number) > 20:
        row.problem(labels["hospital_number"], "Hospital number must be 20 characters or fewer")
    if patient.nhs_number:
        number = normalise_nhs_number(patient.nhs_number)
        if is_valid_nhs_number(number):
            patient.nhs_number = number
        else:
            row.problem(
                labels["nhs_number"],
                "NHS number is not valid: it must be 10 digits and pass the NHS number check",
            )
    for name, limit in (("given_name", 100), ("family_name", 100), ("preferred_name", 100)):
        value = getattr(patient, name)
        if len(value) > limit:
            row.problem(labels[name], f"Must be {limit} characters or fewer")
    if not patient.given_name:
        row.problem(labels["given_name"], "Enter her given name")
    if not patient.family_name:
        row.problem(labels["family_name"], "Enter her family name")


def _check_contact(row: AppointmentRow, labels: dict[str, str]) -> None:
    """Email address and language."""
    patient = row.patient
    if patient.email:
        try:
            validate_email(patient.email)
        except ValidationError:
            row.problem(labels["email"], "Email address is not in the right format")
    if len(patient.preferred_language) > 35:
        row.problem(labels["preferred_language"], "Language must be 35 characters or fewer")
    elif patient.preferred_language and not is_known_language(patient.preferred_language):
        row.problem(
            labels["preferred_language"],
            "Language must be a language code, like en, pl or bn (not its name)",
        )
    if len(patient.email) > MAX_EMAIL_LENGTH:
        row.problem(
            labels["email"], f"Email address must be {MAX_EMAIL_LENGTH} characters or fewer"
        )


def _check_dates(row: AppointmentRow, labels: dict[str, str]) -> None:
    """Date of birth and due date: plausible, or a typing slip reported against the row."""
    patient = row.patient
    today = service_today()
    born = patient.date_of_birth
    if born is not None:
        if born >= today:
            row.problem(labels["date_of_birth"], "Date of birth must be in the past")
        elif (
            not _years_before(today, OLDEST_AGE_YEARS)
            <= born
            <= _years_before(today, YOUNGEST_AGE_YEARS)
        ):
            row.problem(
                labels["date_of_birth"],
                f"Date of birth must make her {YOUNGEST_AGE_YEARS} to {OLDEST_AGE_YEARS} years "
                "old: check the date",
            )
    due = patient.estimated_due_date
    if due is not None and abs(due - today) > DUE_DATE_WINDOW:
        row.problem(
            labels["estimated_due_date"],
            "Estimated due date must be within 2 years of today: check the date",
        )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_appointment_fields(row: AppointmentRow, labels: dict[str, str]) -> None:
    """Checks on the appointment's values, then that no text holds a control character.

    Call it last: it also looks at the patient's text fields.
    """
    if row.start is not None:
        today = service_today()
        # The date as written (its own offset): no conversion that could overflow.
        if abs(row.start.date() - today) > APPOINTMENT_WINDOW:
            row.problem(
                labels["start"],
                f"Start must be within 2 years of today ({today - APPOINTMENT_WINDOW:%d/%m/%Y} "
                f"to {today + APPOINTMENT_WINDOW:%d/%m/%Y}): check the date",
            )
    _check_no_control_characters(row, labels)
    if not row.external_id:
        row.problem(labels["external_id"], "Enter the appointment identifier")
    elif len(row.external_id) > 100:
        row.problem(labels["external_id"], "Appointment identifier must be 100 characters or fewer")
    if len(row.appointment_type) > 100:
        row.problem(labels["appointment_type"], "Appointment type must be 100 characters or fewer")


def _check_no_control_characters(row: AppointmentRow, labels: dict[str, str]) -> None:
    patient = row.patient
    texts = {
        "hospital_number": patient.hospital_number,
        "nhs_number": patient.nhs_number,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "preferred_name": patient.preferred_name,
        "mobile": patient.mobile,
        "email": patient.email,
        "preferred_language": patient.preferred_language,
        "external_id": row.external_id,
        "appointment_type": row.appointment_type,
    }
    for key, value in texts.items():
        if _CONTROL.search(value):
            row.problem(
                labels[key],
                "Contains a control character (such as a NUL byte) that cannot be saved: "
                "export the file again",
            )
