"""Reading a FHIR R4 Bundle of Appointment resources, with their Patients, streamed.

The Bundle is read twice with an incremental JSON parser (ijson), one entry at a time: first
to check it is a Bundle, count its appointments and read its Patient resources (an appointment
may come before its patient), then to read the appointments. Only the patients' few fields are
held in memory, never the whole document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import ijson
from ijson.common import ObjectBuilder

from waitroom.models import Clinic

from .detect import EMPTY_FILE, NOT_AN_APPOINTMENT_LIST, FileOpener
from .rows import (
    MAX_DURATION_MINUTES,
    AppointmentRow,
    ImportRefused,
    PatientFields,
    RowProblem,
    check_appointment_fields,
    check_patient_fields,
    clean_mobile,
    parse_start,
    status_from_text,
)

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
# A Location or HealthcareService participant identified in this system names the clinic (by
# its Waitroom slug); a Bundle naming another clinic is refused.
CLINIC_SYSTEM = "urn:waitroom:clinic"
BUNDLE_TYPES = ("collection", "searchset", "transaction")
INTERPRETER_EXTENSION = "patient-interpreterrequired"

LABELS = {
    "hospital_number": "Patient.identifier",
    "nhs_number": "Patient.identifier (NHS number)",
    "given_name": "Patient.name.given",
    "family_name": "Patient.name.family",
    "preferred_name": "Patient.name",
    "email": "Patient.telecom (email)",
    "preferred_language": "Patient.communication",
    "external_id": "Appointment.identifier",
    "appointment_type": "Appointment.appointmentType",
    "date_of_birth": "Patient.birthDate",
    "estimated_due_date": "Patient.extension (due date)",
    "mobile": "Patient.telecom (mobile)",
    "start": "Appointment.start",
}


@dataclass
class KnownPatient:
    entry: int
    fields: PatientFields
    problems: list[RowProblem]


@dataclass
class FhirScan:
    total_rows: int
    patients: dict[str, KnownPatient] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


# How deep a FHIR Bundle of appointments ever nests (Bundle → entry → resource → participant →
# actor → identifier → period is 8; a contained Patient adds 3). Anything deeper is refused as
# it streams in, so a hostile file cannot make the parser hold a deep stack.
MAX_DEPTH = 20
# The most parser events one entry may have (a real Appointment or Patient has a few hundred):
# one entry is built in memory at a time, so this bounds that memory whatever the file.
MAX_ENTRY_EVENTS = 20_000
# Bytes the parser reads at a time: each read turns into at most this many small events.
_READ_SIZE = 16 * 1024

NOT_JSON = (
    "The selected file is not valid JSON: it may be cut short or damaged. "
    "Export the FHIR Bundle again and choose the new file."
)
TOO_DEEP = (
    f"The selected file has data nested more than {MAX_DEPTH} levels deep, which a FHIR "
    "Bundle of appointments never has. Nothing was imported. Export the Bundle again from the "
    "hospital system and choose the new file."
)
ENTRY_NOT_A_LIST = (
    "The selected Bundle's 'entry' is not a list of entries. Nothing was imported. Export the "
    "Bundle again from the hospital system and choose the new file."
)


def _entry_not_an_object(number: int) -> str:
    return (
        f"Entry {number} of the selected Bundle is not a FHIR entry (an object with a "
        "'resource'). Nothing was imported. Export the Bundle again from the hospital system."
    )


def _entry_too_big(number: int) -> str:
    return (
        f"Entry {number} of the selected Bundle is far larger than any appointment or patient. "
        "Nothing was imported. Export the Bundle again from the hospital system."
    )


def _entries(open_file: FileOpener) -> Iterator[tuple[int, dict]]:
    """(entry number from 1, entry) for each Bundle.entry; top-level fields are checked.

    Reads ijson's basic events (no prefixes: a prefix grows with the depth, so building one
    per event costs memory quadratic in the nesting) and keeps its own depth count. The
    document's shape is checked as it streams, before any object is built: the top level is
    an object, its `entry` a list of objects, nothing deeper than `MAX_DEPTH`, no entry larger
    than `MAX_ENTRY_EVENTS`. Only one entry is ever held in memory.
    """
    top: dict[str, object] = {}
    with open_file() as stream:
        events = ijson.basic_parse(stream, use_float=True, buf_size=_READ_SIZE)
        try:
            yield from _walk(events, top)
        except ijson.JSONError:
            raise ImportRefused(NOT_JSON) from None
        except UnicodeDecodeError:
            raise ImportRefused(NOT_AN_APPOINTMENT_LIST) from None
    if top.get("resourceType") != "Bundle":
        raise ImportRefused(
            "The selected file is JSON but not a FHIR Bundle. Choose a Bundle of "
            "Appointment resources, or the appointment list as CSV."
        )
    if top.get("type") not in BUNDLE_TYPES:
        raise ImportRefused(
            "The selected Bundle is not a collection, searchset or transaction Bundle of "
            "appointments. Export the appointments as one of those."
        )


_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})


def _walk(events: Iterator[tuple[str, object]], top: dict[str, object]):  # noqa: C901
    first = next(events, None)
    if first is None:
        raise ImportRefused(EMPTY_FILE)
    if first[0] != "start_map":
        raise ImportRefused(NOT_AN_APPOINTMENT_LIST)
    depth = 1  # 1: inside the Bundle object; 2: inside one of its values; 3: inside an entry
    key = ""  # the Bundle's key whose value is being read
    in_entries = False
    builder: ObjectBuilder | None = None
    entry_events = 0
    number = 0
    for event, value in events:
        if event in _OPENS:
            depth += 1
            if depth > MAX_DEPTH:
                raise ImportRefused(TOO_DEEP)
        elif event in _CLOSES:
            depth -= 1
        if builder is not None:
            builder.event(event, value)
            entry_events += 1
            if entry_events > MAX_ENTRY_EVENTS:
                raise ImportRefused(_entry_too_big(number + 1))
            if depth == 2:
                number += 1
                yield number, builder.value
                builder = None
            continue
        if depth == 1:
            if event == "map_key":
                key = str(value)
            elif event == "end_array":
                in_entries = False
            elif key in ("resourceType", "type") and event == "string":
                top[key] = value
            elif key == "entry" and event != "end_map":
                raise ImportRefused(ENTRY_NOT_A_LIST)
        elif depth == 2 and event in _OPENS and key == "entry":
            if event != "start_array":
                raise ImportRefused(ENTRY_NOT_A_LIST)
            in_entries = True
        elif in_entries and depth == 2 and event not in _CLOSES:
            raise ImportRefused(_entry_not_an_object(number + 1))  # a number or string
        elif in_entries and depth == 3 and event in _OPENS:
            if event != "start_map":
                raise ImportRefused(_entry_not_an_object(number + 1))
            builder = ObjectBuilder()
            builder.event(event, value)
            entry_events = 1


def _resource(entry: dict) -> dict:
    resource = entry.get("resource")
    return resource if isinstance(resource, dict) else {}


def fhir_scan(open_file: FileOpener, clinic: Clinic) -> FhirScan:
    """Check the Bundle, count its appointments and read its patients."""
    scan = FhirScan(total_rows=0)
    for number, entry in _entries(open_file):
        resource = _resource(entry)
        kind = resource.get("resourceType")
        if kind == "Patient":
            known = _patient(resource, number)
            scan.problems.extend(known.problems)
            for key in _patient_references(entry, resource):
                scan.patients[key] = known
        elif kind == "Appointment":
            scan.total_rows += 1
            other = _other_clinic(resource, clinic)
            if other:
                raise ImportRefused(
                    f"Entry {number} of this Bundle is for another clinic ('{other}'), not "
                    f"{clinic.name}. Nothing was imported. Check you chose the right file, "
                    "or import it from that clinic's page."
                )
    if not scan.total_rows:
        raise ImportRefused(
            "The selected Bundle has no Appointment resources. "
            "Choose the Bundle exported from the hospital system."
        )
    return scan


def fhir_rows(open_file: FileOpener, clinic: Clinic, scan: FhirScan) -> Iterator[AppointmentRow]:
    tz = clinic.zone
    for number, entry in _entries(open_file):
        resource = _resource(entry)
        if resource.get("resourceType") == "Appointment":
            yield _appointment(resource, number, scan, tz)


def _patient_references(entry: dict, resource: dict) -> list[str]:
    keys = []
    if isinstance(entry.get("fullUrl"), str):
        keys.append(entry["fullUrl"])
    if isinstance(resource.get("id"), str):
        keys.append(f"Patient/{resource['id']}")
        if isinstance(entry.get("fullUrl"), str) and entry["fullUrl"].endswith(
            f"/Patient/{resource['id']}"
        ):
            keys.append(entry["fullUrl"])
    return keys


def _codes(concept: object) -> str:
    """The human text of a CodeableConcept: its text, else its first coding's display or code."""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"]).strip()
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and (coding.get("display") or coding.get("code")):
            return str(coding.get("display") or coding.get("code")).strip()
    return ""


def _identifier(identifiers: object, *, exclude_system: str = "") -> str:
    """The most official identifier's value: use 'official', then 'usual', then the first."""
    candidates = [
        ident
        for ident in (identifiers if isinstance(identifiers, list) else [])
        if isinstance(ident, dict) and ident.get("value") and ident.get("system") != exclude_system
    ]
    for use in ("official", "usual"):
        for ident in candidates:
            if ident.get("use") == use:
                return str(ident["value"]).strip()
    return str(candidates[0]["value"]).strip() if candidates else ""


def _patient(resource: dict, number: int) -> KnownPatient:
    identifiers = resource.get("identifier") if isinstance(resource.get("identifier"), list) else []
    nhs = next(
        (
            str(i.get("value", "")).strip()
            for i in identifiers
            if isinstance(i, dict) and i.get("system") == NHS_NUMBER_SYSTEM
        ),
        "",
    )
    fields = PatientFields(
        hospital_number=_identifier(identifiers, exclude_system=NHS_NUMBER_SYSTEM),
        nhs_number=nhs,
    )
    _read_names(fields, resource)
    row = AppointmentRow(row=number, patient=fields)
    if resource.get("birthDate"):
        try:
            fields.date_of_birth = dt.date.fromisoformat(str(resource["birthDate"]))
        except ValueError:
            row.problem("Patient.birthDate", "Birth date must be a full date, like 1990-03-14")
    _read_telecom(row, resource)
    _read_language(fields, resource)
    check_patient_fields(row, LABELS)
    return KnownPatient(entry=number, fields=fields, problems=row.problems)


def _read_names(fields: PatientFields, resource: dict) -> None:
    """Her official name, and the given name she uses when the resource has another."""
    names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    fields.given_name = " ".join(str(g) for g in official.get("given") or []).strip()
    fields.family_name = str(official.get("family") or "").strip()
    preferred = next(
        (n for n in names if n.get("use") in ("usual", "nickname") and n is not official), None
    )
    if preferred and preferred.get("given"):
        fields.preferred_name = str(preferred["given"][0]).strip()


def _read_telecom(row: AppointmentRow, resource: dict) -> None:
    """Her first email address and first mobile number."""
    fields = row.patient
    for telecom in resource.get("telecom") or []:
        if not isinstance(telecom, dict) or not telecom.get("value"):
            continue
        value = str(telecom["value"]).strip()
        if telecom.get("system") == "email" and not fields.email:
            fields.email = value
        elif telecom.get("system") in ("phone", "sms") and telecom.get("use") == "mobile":
            try:
                fields.mobile = fields.mobile or clean_mobile(value)
            except ValueError:
                row.problem("Patient.telecom (mobile)", "Mobile number is not a phone number")


def _read_language(fields: PatientFields, resource: dict) -> None:
    """Her preferred language, and whether she needs an interpreter."""
    for communication in resource.get("communication") or []:
        if isinstance(communication, dict) and (
            communication.get("preferred") or not fields.preferred_language
        ):
            language = communication.get("language") or {}
            codes = [c for c in language.get("coding") or [] if isinstance(c, dict)]
            code = str(codes[0].get("code", "")) if codes else _codes(language)
            fields.preferred_language = code.strip().lower()
    for extension in resource.get("extension") or []:
        if isinstance(extension, dict) and str(extension.get("url", "")).lower().endswith(
            INTERPRETER_EXTENSION
        ):
            fields.interpreter_needed = bool(extension.get("valueBoolean"))


def _other_clinic(resource: dict, clinic: Clinic) -> str:
    """The clinic slug the appointment names, when it is not `clinic`'s; '' otherwise."""
    for participant in resource.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        ident = actor.get("identifier") if isinstance(actor, dict) else None
        if isinstance(ident, dict) and ident.get("system") == CLINIC_SYSTEM:
            value = str(ident.get("value", "")).strip()
            if value and value.lower() != clinic.slug.lower():
                return value
    return ""


def _appointment(resource: dict, number: int, scan: FhirScan, tz: ZoneInfo) -> AppointmentRow:
    known, referenced = _participant(resource, number, scan)
    row = AppointmentRow(
        row=number,
        patient=known.fields if known else PatientFields(),
        external_id=_identifier(resource.get("identifier")) or str(resource.get("id") or ""),
        appointment_type=_codes(resource.get("appointmentType"))
        or next((_codes(s) for s in resource.get("serviceType") or [] if _codes(s)), ""),
    )
    _check_participant(row, known, referenced)
    status = status_from_text(str(resource.get("status") or ""))
    if not resource.get("status") or status is None:
        row.problem("Appointment.status", "Status must be a FHIR appointment status, like booked")
    else:
        row.status = status
    _read_start(row, resource, tz)
    _read_duration(row, resource, tz)
    check_appointment_fields(row, LABELS)
    return row


def _participant(resource: dict, number: int, scan: FhirScan) -> tuple[KnownPatient | None, bool]:
    """The patient the appointment is for (contained in it, or an entry of the Bundle), and
    whether it refers to a patient at all."""
    contained = {
        f"#{c['id']}": _patient(c, number)
        for c in resource.get("contained") or []
        if isinstance(c, dict) and c.get("resourceType") == "Patient" and c.get("id")
    }
    known: KnownPatient | None = None
    referenced = False
    for participant in resource.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        reference = str(actor.get("reference", "")) if isinstance(actor, dict) else ""
        if reference.startswith("#") and reference in contained:
            known = contained[reference]
        elif reference in scan.patients:
            known = scan.patients[reference]
        if reference.startswith(("Patient/", "#", "urn:")) or "/Patient/" in reference:
            referenced = True
        if known:
            break
    return known, referenced


def _check_participant(row: AppointmentRow, known: KnownPatient | None, referenced: bool) -> None:
    """Her Patient resource's problems are the row's: listed here when it is contained, else
    pointed to."""
    number = row.row
    if known is None:
        row.problem(
            "Appointment.participant",
            "The patient this appointment is for is not in the Bundle"
            if referenced
            else "The appointment has no patient participant",
        )
    elif known.problems:
        where = "contained in this appointment" if known.entry == number else f"entry {known.entry}"
        if known.entry == number:
            row.problems.extend(known.problems)
        else:
            row.problem(
                "Appointment.participant",
                f"Her Patient resource ({where}) has problems, listed against that entry",
            )


def _read_start(row: AppointmentRow, resource: dict, tz: ZoneInfo) -> None:
    if resource.get("start"):
        try:
            row.start = parse_start(str(resource["start"]), tz)
        except ValueError:
            row.problem(
                "Appointment.start", "Start must be a date and time, like 2025-03-14T09:30:00+00:00"
            )
    else:
        row.problem("Appointment.start", "The appointment has no start time")


def _read_duration(row: AppointmentRow, resource: dict, tz: ZoneInfo) -> None:
    """From minutesDuration, or else from the end time."""
    minutes = resource.get("minutesDuration")
    if minutes is not None:
        if (
            isinstance(minutes, int | float)
            and 1 <= minutes <= MAX_DURATION_MINUTES
            and int(minutes) == minutes
        ):
            row.duration_minutes = int(minutes)
        else:
            row.problem(
                "Appointment.minutesDuration",
                f"Duration must be 1 to {MAX_DURATION_MINUTES} minutes",
            )
    elif resource.get("end") and row.start:
        try:
            end = parse_start(str(resource["end"]), tz)
            minutes = round((end - row.start).total_seconds() / 60)
            if not 1 <= minutes <= MAX_DURATION_MINUTES:
                raise ValueError(minutes)
            row.duration_minutes = minutes
        except ValueError:
            row.problem("Appointment.end", "End must be after the start, within 8 hours")
