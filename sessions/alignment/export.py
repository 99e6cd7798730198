"""The booking team's open worklist as CSV and as a printable list.

Nothing here names a cohort or its criterion: the booking team reads "Peer group day", and the
file name carries the clinic and the date only (design: privacy, minimum data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from waitroom.models import Clinic

from .models import WorklistItem

REASON_FOR_MOVE = "Peer group day"

HEADER = [
    "Hospital number",
    "Family name",
    "Given name",
    "Appointment identifier",
    "Appointment type",
    "Current appointment",
    "Move to",
    "Reason for the move",
    "Status",
]


def worklist_rows(items: Iterable[WorklistItem], *, clinic: Clinic) -> Iterator[tuple[str, ...]]:
    for item in items:
        patient = item.appointment.patient
        yield (
            patient.hospital_number,
            patient.family_name,
            patient.given_name,
            item.appointment.external_id,
            item.kind_name,
            f"{clinic.local(item.from_start):%d/%m/%Y %H:%M}",
            f"{clinic.local(item.to_start):%d/%m/%Y %H:%M}",
            REASON_FOR_MOVE,
            item.get_status_display(),
        )


def worklist_csv_filename(clinic: Clinic, day: dt.date) -> str:
    return f"rebooking-list-{clinic.slug}-{day:%Y-%m-%d}.csv"
