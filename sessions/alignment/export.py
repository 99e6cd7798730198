"""The booking alignment list as CSV, for the booking team's spreadsheet."""

from __future__ import annotations

import csv
import io

from .selectors import BookingAlignment

HEADER = [
    "Hospital number",
    "Family name",
    "Given name",
    "Current appointment",
    "Appointment type",
    "Appointment identifier",
    "Cohort members that day",
    "Suggested day",
    "Cohort members on suggested day",
    "Days apart",
]


def _cell(value: object) -> str:
    """A spreadsheet-safe cell: text starting with = + - @ is not run as a formula."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def alignment_csv(alignment: BookingAlignment) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for move in alignment.moves:
        patient = move.appointment.patient
        writer.writerow(
            _cell(value)
            for value in (
                patient.hospital_number,
                patient.family_name,
                patient.given_name,
                move.starts_at.strftime("%d/%m/%Y %H:%M"),
                move.appointment.appointment_type,
                move.appointment.external_id,
                move.member_count,
                move.suggested_day.strftime("%d/%m/%Y"),
                move.suggested_member_count,
                move.days_apart,
            )
        )
    return out.getvalue()


def alignment_csv_filename(alignment: BookingAlignment) -> str:
    # Clinic, cohort and dates only: never a patient's name or number.
    return (
        f"booking-alignment-{alignment.clinic.slug}-{alignment.cohort.slug}-"
        f"{alignment.first_day:%Y-%m-%d}.csv"
    )
