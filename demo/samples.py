"""Sample appointment lists for the demo clinic, dated from a given day.

`python manage.py sample_appointments` writes them; docs/sample-appointments.csv and
docs/sample-appointments.fhir.json are the same files written for Monday 1 June 2026 (a test
keeps them in step). The women's appointments fall on the next clinic lists of the demo's
cohorts (demo.spec.COHORTS), so after an import each shows up on an upcoming clinic day
next to the demo women of her cohort. The CSV deliberately uses each accepted date form once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .spec import AFTERNOON, CLINIC, COHORTS, MORNING

CSV_NAME = "sample-appointments.csv"
FHIR_NAME = "sample-appointments.fhir.json"
# The demo clinic's time zone: start times in the CSV are UK local time.
LONDON = ZoneInfo("Europe/London")
# The day the copies in docs/ were written for.
DOCS_DAY = dt.date(2026, 6, 1)

CSV_HEADER = [
    "Hospital number",
    "NHS number",
    "Given name",
    "Family name",
    "Preferred name",
    "Date of birth",
    "Mobile",
    "Email",
    "Preferred language",
    "Interpreter needed",
    "Estimated due date",
    "Appointment identifier",
    "Start",
    "Duration in minutes",
    "Appointment type",
    "Status",
    "Cohorts",
    "Text message consent",
    "Email consent",
]

_SLOT_OF_COHORT = {cohort["slug"]: cohort["clinic_slot"] for cohort in COHORTS}


@dataclass(frozen=True)
class SampleWoman:
    hospital_number: str
    nhs_number: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: str
    mobile: str
    email: str
    language: str
    interpreter: str
    weeks_to_due_date: int
    cohort: str  # a demo cohort's slug, or "" for the next clinic day
    minutes_into_list: int
    duration: int
    appointment_type: str
    status: str
    start_form: str  # "uk", "iso" or "offset": each date form the import accepts
    sms_consent: str
    email_consent: str


CSV_WOMEN = [
    SampleWoman("H1000001", "943 476 5919", "Amelia", "Okafor", "Amy", "14/03/1991",
                "07700 900001", "amelia.okafor@example.com", "en", "no", 13,
                "twins-or-multiples", 30, 20, "Antenatal check", "booked", "uk", "yes", "yes"),
    SampleWoman("H1000002", "9434765927", "Zofia", "Nowak", "", "1988-11-02", "07700900002", "",
                "pl", "yes", 11, "", 20, 30, "Growth scan", "booked", "iso", "yes", "yes"),
    SampleWoman("H1000003", "", "Grace", "Campbell", "Gracie", "05/07/1984", "07700 900003",
                "grace.c@example.com", "en", "no", 19, "older-mothers", 40, 20,
                "Antenatal check", "booked", "uk", "yes", "yes"),
    SampleWoman("H1000004", "9434765935", "Fatima", "Begum", "", "22/01/1995", "07700 900004",
                "", "bn", "yes", 8, "", 60, 20, "Glucose tolerance test", "cancelled", "uk",
                "no", "yes"),
    SampleWoman("H1000005", "", "Chloe", "Evans", "", "30/09/1999", "07700 900005",
                "chloe.evans@example.com", "", "", 23, "bmi-over-30", 80, 20,
                "Booking appointment", "booked", "offset", "yes", "yes"),
]  # fmt: skip


def next_list_day(today: dt.date, weekday: int | None = None) -> dt.date:
    """The first day after `today` on that weekday (any weekday, Monday to Friday, if None)."""
    day = today + dt.timedelta(days=1)
    while not (day.weekday() == weekday if weekday is not None else day.weekday() < 5):
        day += dt.timedelta(days=1)
    return day


def _start(woman: SampleWoman, today: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Her start: on her cohort's next list (morning or afternoon), else the next weekday's
    morning list, `minutes_into_list` after the list begins."""
    if woman.cohort:
        weekday, morning = _SLOT_OF_COHORT[woman.cohort]
    else:
        weekday, morning = None, True
    day = next_list_day(today, weekday)
    begins = (MORNING if morning else AFTERNOON)[0]
    return dt.datetime.combine(day, begins, tzinfo=zone) + dt.timedelta(
        minutes=woman.minutes_into_list
    )


def _start_text(start: dt.datetime, form: str) -> str:
    if form == "uk":
        return f"{start:%d/%m/%Y %H:%M}"
    if form == "iso":
        return f"{start:%Y-%m-%dT%H:%M}"
    return start.isoformat()


def sample_csv(*, today: dt.date) -> str:
    """The sample CSV appointment list for the demo clinic, dated from `today`."""
    zone = LONDON
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for n, woman in enumerate(CSV_WOMEN, start=1):
        start = _start(woman, today, zone)
        due = today + dt.timedelta(weeks=woman.weeks_to_due_date)
        writer.writerow(
            [
                woman.hospital_number,
                woman.nhs_number,
                woman.given_name,
                woman.family_name,
                woman.preferred_name,
                woman.date_of_birth,
                woman.mobile,
                woman.email,
                woman.language,
                woman.interpreter,
                f"{due:%d/%m/%Y}" if woman.start_form == "uk" else due.isoformat(),
                f"APT-{start:%Y%m%d}-{n:03d}",
                _start_text(start, woman.start_form),
                woman.duration,
                woman.appointment_type,
                woman.status,
                woman.cohort,
                woman.sms_consent,
                woman.email_consent,
            ]
        )
    return out.getvalue()


HOSPITAL = "https://hospital.example.nhs.uk"
_CLINIC_ACTOR = {
    "actor": {
        "reference": f"Location/{CLINIC['slug']}",
        "identifier": {"system": "urn:waitroom:clinic", "value": CLINIC["slug"]},
        "display": CLINIC["name"],
    },
    "status": "accepted",
}


def _identifier(kind: str, value: str, use: str = "official") -> dict:
    return {"use": use, "system": f"{HOSPITAL}/Id/{kind}", "value": value}


def _appointment_type(display: str) -> dict:
    return {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v2-0276",
                "code": "ROUTINE",
                "display": display,
            }
        ]
    }


def _patient(
    pid: str,
    *,
    hospital_number: str,
    family: str,
    given: str,
    birth_date: str,
    mobile: str,
    language: str,
    interpreter: bool,
    nhs_number: str = "",
    email: str = "",
    usual_name: bool = False,
) -> dict:
    identifiers = [_identifier("hospital-number", hospital_number, use="usual")]
    if nhs_number:
        identifiers.insert(0, {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_number})
    names = [{"use": "official", "family": family, "given": [given]}]
    if usual_name:
        names.append({"use": "usual", "given": [given]})
    telecom = [{"system": "phone", "use": "mobile", "value": mobile}]
    if email:
        telecom.append({"system": "email", "value": email})
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": identifiers,
        "name": names,
        "birthDate": birth_date,
        "telecom": telecom,
        "communication": [
            {
                "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": language}]},
                "preferred": True,
            }
        ],
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired",
                "valueBoolean": interpreter,
            }
        ],
    }


def sample_fhir_bundle(*, today: dt.date) -> dict:
    """The sample FHIR R4 Bundle for the demo clinic, dated from `today`: the next weekday's
    morning list. It shows each way of naming the patient: a urn:uuid fullUrl, a relative
    reference, and a contained resource."""
    zone = LONDON
    day = next_list_day(today)
    at = [
        dt.datetime.combine(day, MORNING[0], tzinfo=zone) + dt.timedelta(minutes=m)
        for m in (0, 30, 60)
    ]
    aisha_url = "urn:uuid:6f1c2a1e-0000-4000-8000-0000000000a0"
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:6f1c2a1e-0000-4000-8000-000000000001",
                "resource": {
                    "resourceType": "Appointment",
                    "id": "a1",
                    "identifier": [_identifier("appointment", f"FHIR-APT-{day:%Y%m%d}-001")],
                    "status": "booked",
                    "appointmentType": _appointment_type("Antenatal check"),
                    "start": at[0].isoformat(),
                    "participant": [
                        {"actor": {"reference": aisha_url}, "status": "accepted"},
                        _CLINIC_ACTOR,
                    ],
                    "minutesDuration": 20,
                },
            },
            {
                "fullUrl": aisha_url,
                "resource": _patient(
                    "p1",
                    hospital_number="H2000001",
                    nhs_number="9434765943",
                    family="Rahman",
                    given="Aisha",
                    usual_name=True,
                    birth_date="1990-05-17",
                    mobile="07700 900011",
                    email="aisha.rahman@example.com",
                    language="ur",
                    interpreter=True,
                ),
            },
            {
                "fullUrl": f"{HOSPITAL}/fhir/Patient/p2",
                "resource": _patient(
                    "p2",
                    hospital_number="H2000002",
                    family="Jones",
                    given="Megan",
                    birth_date="1986-12-01",
                    mobile="07700 900012",
                    language="cy",
                    interpreter=False,
                ),
            },
            {
                "fullUrl": f"{HOSPITAL}/fhir/Appointment/a2",
                "resource": {
                    "resourceType": "Appointment",
                    "id": "a2",
                    "identifier": [_identifier("appointment", f"FHIR-APT-{day:%Y%m%d}-002")],
                    "status": "booked",
                    "appointmentType": _appointment_type("Growth scan"),
                    "start": at[1].isoformat(),
                    "participant": [
                        {"actor": {"reference": "Patient/p2"}, "status": "accepted"},
                        _CLINIC_ACTOR,
                    ],
                    "end": (at[1] + dt.timedelta(minutes=30)).isoformat(),
                },
            },
            {
                "fullUrl": f"{HOSPITAL}/fhir/Appointment/a3",
                "resource": {
                    "resourceType": "Appointment",
                    "id": "a3",
                    "identifier": [_identifier("appointment", f"FHIR-APT-{day:%Y%m%d}-003")],
                    "status": "cancelled",
                    "appointmentType": _appointment_type("Antenatal check"),
                    "start": at[2].isoformat(),
                    "participant": [
                        {"actor": {"reference": "#mother"}, "status": "accepted"},
                        _CLINIC_ACTOR,
                    ],
                    "minutesDuration": 20,
                    "contained": [
                        _patient(
                            "mother",
                            hospital_number="H2000003",
                            nhs_number="9434765951",
                            family="Smith",
                            given="Olivia",
                            birth_date="1993-03-03",
                            mobile="07700 900013",
                            email="olivia.smith@example.com",
                            language="en",
                            interpreter=False,
                        )
                    ],
                },
            },
        ],
    }


def sample_fhir(*, today: dt.date) -> str:
    return json.dumps(sample_fhir_bundle(today=today), indent=2, ensure_ascii=False) + "\n"
