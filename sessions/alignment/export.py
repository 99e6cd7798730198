"""The booking alignment list as CSV, for the booking team's spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator

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


def alignment_rows(alignment: BookingAlignment) -> Iterator[tuple[object, ...]]:
    for move in alignment.moves:
        patient = move.appointment.patient
        yield (
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


def alignment_csv_filename(alignment: BookingAlignment) -> str:
    # Clinic, cohort and dates only: never a patient's name or number.
    return (
        f"booking-alignment-{alignment.clinic.slug}-{alignment.cohort.slug}-"
        f"{alignment.first_day:%Y-%m-%d}.csv"
    )
