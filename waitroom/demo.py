"""The demo data behind `manage.py seed_demo`: one clinic, three weeks of lists, five cohorts.

Idempotent by construction. Every row is keyed on a natural key (ODS code, clinic slug, cohort
slug, hospital number, appointment source + external id, email, partner name, resource title),
every choice comes from a `random.Random` with a fixed seed, and every date is relative to
`today`: running it twice on the same day changes nothing, and running it on a later day moves
the demo forward (future demo appointments and sessions that no longer fit are removed; past
ones stay as history).

The passwords printed are for the demo only; `seed_demo` refuses to run with DEBUG off.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction

from groups.models import Cohort, CohortMembership, MembershipSource, MembershipStatus
from resources.models import Partner, Resource
from sessions.models import (
    Appointment,
    AppointmentStatus,
    Patient,
    SessionStatus,
    WaitingAreaPlace,
)
from sessions.models import WaitingRoomSession as Session
from sessions.nhs_number import is_valid_nhs_number
from waitroom.models import Clinic, Organisation, Role, StaffRole, User, service_today

SEED = 20260501
PATIENT_COUNT = 160
DAYS_AHEAD = 21
APPOINTMENT_SOURCE = "demo-riverside-pas"
HOSPITAL_NUMBER_PREFIX = "RVH"
MORNING = (dt.time(9, 0), dt.time(12, 30))
AFTERNOON = (dt.time(13, 30), dt.time(16, 30))
SESSION_MINUTES = 40

ORGANISATION = {"ods_code": "RZZ", "name": "Riverside Hospitals NHS Foundation Trust"}
CLINIC = {
    "slug": "riverside",
    "name": "Riverside Antenatal Clinic",
    "site": "Riverside General Hospital, Women's Unit, Level 2",
    "opens_at": dt.time(8, 30),
    "closes_at": dt.time(17, 30),
    "arrive_early_minutes": 15,
    "wait_after_minutes": 45,
    # Ofcom's drama range (01632 960000–960999): never a real line.
    "maternity_triage_phone": "01632 960123",
    # Fixed so the demo poster's code stays the same across runs.
    "checkin_code": "RVSD26",
}


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    email: str
    password: str
    name: str


# One account per role. Demo-only passwords: they are printed on every run.
SIGN_INS = [
    DemoSignIn("admin", "admin@waitroom.example", "demo-admin-2026", "Sam Admin"),
    DemoSignIn(
        "coordinator", "coordinator@waitroom.example", "demo-coordinator-2026", "Grace Okafor"
    ),
    DemoSignIn(
        "facilitator", "facilitator@waitroom.example", "demo-facilitator-2026", "Hannah Price"
    ),
    DemoSignIn(
        "peer supporter",
        "peer.supporter@waitroom.example",
        "demo-peer-supporter-2026",
        "Amira Hussain",
    ),
    DemoSignIn("member", "member@waitroom.example", "demo-member-2026", "Chloe Bennett"),
]
MEMBER_DISPLAY_NAME = "Chloe B"

# Staff see `staff_name`; women see only the public name and description, after signing in.
# The public words are kind and never name a condition (tests/waitroom/test_seed_demo.py holds
# them to a list of clinical words).
COHORTS = [
    {
        "slug": "bmi-over-30",
        "clinic_slot": (0, True),  # (weekday, morning?) her consultant list
        "staff_name": "BMI over 30",
        "public_name": "Pregnancy wellbeing circle",
        "public_description": "A relaxed chat about eating well, keeping active and feeling "
        "good in pregnancy, with other women and a midwife.",
        "criterion": "Booking BMI of 30 or more.",
        "size": 30,
        "topic": "Staying active in pregnancy",
    },
    {
        "slug": "twins-or-multiples",
        "clinic_slot": (2, False),  # (weekday, morning?) her consultant list
        "staff_name": "Twins or multiples",
        "public_name": "More than one baby",
        "public_description": "For women expecting two or more babies: share tips on getting "
        "ready, feeding and help at home.",
        "criterion": "Twin or higher-order multiple pregnancy confirmed on scan.",
        "size": 16,
        "topic": "Getting ready for more than one",
    },
    {
        "slug": "older-mothers",
        "clinic_slot": (1, True),  # (weekday, morning?) her consultant list
        "staff_name": "Older mothers (40 and over)",
        "public_name": "Life and pregnancy circle",
        "public_description": "A friendly group for women balancing pregnancy with busy lives: "
        "work, family and everything in between.",
        "criterion": "Aged 40 or over at the estimated due date.",
        "size": 22,
        "topic": "Planning for the birth",
    },
    {
        "slug": "after-fertility-treatment",
        "clinic_slot": (3, False),  # (weekday, morning?) her consultant list
        "staff_name": "Pregnancy after fertility treatment",
        "public_name": "Long-awaited pregnancy circle",
        "public_description": "For women whose road to this pregnancy took time and help. Talk "
        "about how it feels now you are here.",
        "criterion": "Conceived with IVF, ICSI, IUI or other assisted conception.",
        "size": 20,
        "topic": "Letting yourself enjoy it",
    },
    {
        "slug": "mental-health",
        "clinic_slot": (4, True),  # (weekday, morning?) her consultant list
        "staff_name": "Perinatal mental health",
        "public_name": "Calm and connected",
        "public_description": "A gentle space to talk about how you are feeling, with a trained "
        "facilitator and women who understand.",
        "criterion": "Current or past mental-health problem noted at booking or by referral.",
        "size": 34,
        "topic": "Looking after yourself",
    },
]

# The demo member's cohorts; her first appointment day gets a published session of the first.
MEMBER_COHORTS = ["mental-health", "after-fertility-treatment"]
PEER_SUPPORTER_COHORTS = {"twins-or-multiples", "mental-health"}
LOCATIONS = ["Bay 2, by the windows", "Quiet room next to reception", "Bay 1, near the play area"]

GIVEN_NAMES = """
Amelia Olivia Isla Ava Emily Sophie Grace Mia Poppy Ella Lily Evie Jessica Ruby Chloe Freya
Charlotte Holly Lucy Megan Hannah Ellie Katie Rebecca Laura Sarah Gemma Rachel Natalie Zara
Aisha Fatima Maryam Amina Priya Anjali Simran Harpreet Nadia Sana Zofia Agnieszka Oliwia Ioana
Andreea Bianca Chiamaka Adaeze Funmilayo Abena Yasmin Leila Siobhan Niamh Aoife Ffion Carys
Eilidh Mhairi Rhiannon Kirsty Joanne""".split()  # noqa: SIM905 (reads as a list)
FAMILY_NAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans
Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper
Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Begum Ahmed Ali
Hussain Shah Kaur Singh Nowak Kowalski Popescu Okafor Adeyemi Mensah Murphy Kelly O'Brien
Campbell Stewart Morgan Price Lloyd""".split()  # noqa: SIM905 (reads as a list)
# (language code, needs an interpreter) for the women whose first language is not English.
LANGUAGES = [
    ("pl", True),
    ("pl", False),
    ("ro", True),
    ("ur", True),
    ("bn", True),
    ("pa", False),
    ("ar", True),
    ("so", True),
    ("pt", False),
    ("lt", True),
]
APPOINTMENT_TYPES = [
    ("Routine antenatal check", 15),
    ("Routine antenatal check", 15),
    ("Antenatal check with midwife", 20),
    ("Consultant review", 20),
    ("Scan results", 15),
]

PARTNERS = [
    {
        "name": "NCT",
        "website": "https://www.nct.org.uk/",
        "phone": "0300 330 0700",
        "offer": "Antenatal courses, local meet-ups and a support line for parents.",
    },
    {
        "name": "Twins Trust",
        "website": "https://twinstrust.org/",
        "phone": "",
        "offer": "Information and support for families expecting twins, triplets or more.",
    },
    {
        "name": "Sands",
        "website": "https://www.sands.org.uk/",
        "phone": "0808 164 3332",
        "offer": "Support for anyone affected by the death of a baby.",
    },
    {
        "name": "Mind",
        "website": "https://www.mind.org.uk/",
        "phone": "0300 123 3393",
        "offer": "Information and support for mental health, including in pregnancy.",
    },
    {
        "name": "PANDAS Foundation",
        "website": "https://pandasfoundation.org.uk/",
        "phone": "",
        "offer": "Peer support for parents with perinatal mental illness.",
    },
    {
        "name": "Tommy's",
        "website": "https://www.tommys.org/",
        "phone": "0800 014 7800",
        "offer": "Pregnancy information and a free line staffed by midwives.",
    },
    {
        "name": "NHS",
        "website": "https://www.nhs.uk/",
        "phone": "111",
        "offer": "Health information and NHS 111 for urgent advice.",
    },
]
# (title, partner, kind, url, phone, cohort slugs, languages, days since review)
RESOURCES = [
    (
        "Your pregnancy and baby guide",
        "NHS",
        Resource.Kind.WEB_PAGE,
        "https://www.nhs.uk/pregnancy/",
        "",
        [],
        "en",
        40,
    ),
    (
        "Keeping well in pregnancy",
        "NHS",
        Resource.Kind.WEB_PAGE,
        "https://www.nhs.uk/pregnancy/keeping-well/",
        "",
        ["bmi-over-30", "older-mothers"],
        "en",
        90,
    ),
    (
        "Mental health services",
        "NHS",
        Resource.Kind.WEB_PAGE,
        "https://www.nhs.uk/mental-health/",
        "",
        ["mental-health"],
        "en",
        120,
    ),
    (
        "Expecting twins or more",
        "Twins Trust",
        Resource.Kind.WEB_PAGE,
        "https://twinstrust.org/",
        "",
        ["twins-or-multiples"],
        "en",
        60,
    ),
    (
        "Pregnancy information from Tommy's",
        "Tommy's",
        Resource.Kind.WEB_PAGE,
        "https://www.tommys.org/pregnancy-information",
        "",
        ["after-fertility-treatment", "older-mothers"],
        "en",
        200,
    ),
    (
        "Tommy's midwife line",
        "Tommy's",
        Resource.Kind.HELPLINE,
        "",
        "0800 014 7800",
        [],
        "en",
        30,
    ),
    (
        "Sands helpline",
        "Sands",
        Resource.Kind.HELPLINE,
        "https://www.sands.org.uk/",
        "0808 164 3332",
        [],
        "en",
        15,
    ),
    (
        "Mind infoline",
        "Mind",
        Resource.Kind.HELPLINE,
        "https://www.mind.org.uk/",
        "0300 123 3393",
        ["mental-health"],
        "en",
        75,
    ),
    (
        "PANDAS peer support",
        "PANDAS Foundation",
        Resource.Kind.WEB_PAGE,
        "https://pandasfoundation.org.uk/",
        "",
        ["mental-health"],
        "en",
        350,  # due for review within the month: shows the review queue
    ),
    (
        "NCT bumps and babies meet-up, Riverside",
        "NCT",
        Resource.Kind.LOCAL_GROUP,
        "https://www.nct.org.uk/",
        "",
        [],
        "en,pl",
        20,
    ),
]


@dataclass
class DemoResult:
    sign_ins: list[DemoSignIn]
    clinic: Clinic
    counts: dict[str, int]


def _plan_demo_invitations(clinic: Clinic) -> None:
    """Invite the women to the published demo sessions and send what is due, as the beat
    scheduler would in production, so the demo outbox has real messages to read."""
    from sessions.invitations.planner import plan_invitations_for_session
    from sessions.invitations.sending import messages_dispatch

    for session_id in (
        Session.objects.published().filter(clinic=clinic).values_list("pk", flat=True)
    ):
        plan_invitations_for_session(session_id)
    messages_dispatch()


def demo_seed(*, today: dt.date | None = None) -> DemoResult:
    """Create or bring up to date the whole demo; returns the sign-ins to print."""
    today = today or service_today()
    rng = random.Random(SEED)
    with transaction.atomic():
        organisation, _ = Organisation.objects.update_or_create(
            ods_code=ORGANISATION["ods_code"], defaults={"name": ORGANISATION["name"]}
        )
        clinic, _ = Clinic.objects.update_or_create(
            slug=CLINIC["slug"], defaults={**CLINIC, "organisation": organisation}
        )
        users = _seed_users(clinic)
        _seed_peer_supporter_checks(users["peer supporter"], today=today)
        cohorts = _seed_cohorts(clinic)
        patients = _seed_patients(organisation, users["member"], today=today, rng=rng)
        member_patient = patients[0]
        in_cohort = _seed_memberships(cohorts, patients, member_patient, rng=rng)
        appointments = _seed_appointments(clinic, patients, in_cohort, today=today, rng=rng)
        _seed_sessions(clinic, cohorts, appointments, in_cohort, users, member_patient, today=today)
        _seed_resources(cohorts, owner=users["coordinator"], today=today)
    _plan_demo_invitations(clinic)
    counts = {
        "patients": Patient.objects.filter(organisation=organisation).count(),
        "appointments": Appointment.objects.filter(source=APPOINTMENT_SOURCE).count(),
        "cohorts": len(cohorts),
        "memberships": CohortMembership.objects.filter(cohort__in=cohorts.values()).count(),
        "sessions": Session.objects.filter(clinic=clinic).count(),
        "resources": Resource.objects.count(),
    }
    return DemoResult(sign_ins=list(SIGN_INS), clinic=clinic, counts=counts)


def _seed_users(clinic: Clinic) -> dict[str, User]:
    from allauth.account.models import EmailAddress

    users: dict[str, User] = {}
    for sign_in in SIGN_INS:
        first, last = sign_in.name.split(" ", 1)
        is_admin = sign_in.role == "admin"
        user, _ = User.objects.update_or_create(
            email=sign_in.email,
            defaults={
                "first_name": first,
                "last_name": last,
                "display_name": MEMBER_DISPLAY_NAME if sign_in.role == "member" else "",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            },
        )
        # Only re-hash when it changed: a fresh salt on every run would make runs differ.
        if not user.check_password(sign_in.password):
            user.set_password(sign_in.password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=sign_in.email, defaults={"verified": True, "primary": True}
        )
        users[sign_in.role] = user
    for key, role in [
        ("coordinator", Role.COORDINATOR),
        ("facilitator", Role.FACILITATOR),
        ("peer supporter", Role.PEER_SUPPORTER),
    ]:
        StaffRole.objects.get_or_create(user=users[key], clinic=clinic, role=role)
    return users


def _seed_peer_supporter_checks(volunteer: User, *, today: dt.date) -> None:
    """The demo volunteer is trained and DBS-checked, so she may run sessions."""
    from sessions.facilitation.models import PeerSupporterRecord

    PeerSupporterRecord.objects.update_or_create(
        user=volunteer,
        defaults={
            "training_completed_on": today - dt.timedelta(days=300),
            "dbs_checked_on": today - dt.timedelta(days=400),
            "dbs_expires_on": today + dt.timedelta(days=695),
        },
    )


def _seed_cohorts(clinic: Clinic) -> dict[str, Cohort]:
    cohorts = {}
    for spec in COHORTS:
        fields = {k: spec[k] for k in ("staff_name", "public_name", "public_description")}
        cohort, _ = Cohort.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "criterion": spec["criterion"]}
        )
        cohort.clinics.add(clinic)
        cohorts[spec["slug"]] = cohort
    return cohorts


def demo_nhs_numbers(count: int) -> list[str]:
    """Valid NHS numbers from the 999 range the NHS keeps for testing: never a real person."""
    numbers: list[str] = []
    stem = 999_100_000
    while len(numbers) < count:
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            numbers.append(f"{digits}{check}")
            assert is_valid_nhs_number(numbers[-1])
        stem += 7
    return numbers


def _seed_patients(
    organisation: Organisation, member_user: User, *, today: dt.date, rng: random.Random
) -> list[Patient]:
    nhs_numbers = demo_nhs_numbers(PATIENT_COUNT)
    older = set(rng.sample(range(1, PATIENT_COUNT), 24))
    rows = []
    for i in range(PATIENT_COUNT):
        if i == 0:
            given, family = SIGN_INS[-1].name.split(" ", 1)
        else:
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        weeks_to_due = rng.randint(6, 30)
        due = today + dt.timedelta(weeks=weeks_to_due, days=rng.randint(0, 6))
        age = rng.randint(40, 45) if i in older else rng.randint(20, 38)
        if i == 0:
            age = 34
        born = due - dt.timedelta(days=365 * age + rng.randint(30, 330))
        language, interpreter = ("en", False)
        if i and rng.random() < 0.16:
            language, interpreter = rng.choice(LANGUAGES)
        consent_sms = i == 0 or rng.random() < 0.92
        rows.append(
            {
                "organisation_id": organisation.pk,
                "hospital_number": f"{HOSPITAL_NUMBER_PREFIX}{100001 + i:06d}",
                "nhs_number": nhs_numbers[i],
                "given_name": given,
                "family_name": family,
                "preferred_name": "",
                "date_of_birth": born,
                "mobile": f"07700900{i:03d}",  # Ofcom's drama range: never a real phone
                "email": f"{given}.{family}.{i}@example.com".lower().replace("'", ""),
                "preferred_language": language,
                "interpreter_needed": interpreter,
                "estimated_due_date": due,
                "consent_sms": consent_sms,
                "consent_email": i == 0 or rng.random() < 0.6,
                "user_id": member_user.pk if i == 0 else None,
            }
        )
    by_key = _sync(
        Patient,
        rows,
        key=("organisation_id", "hospital_number"),
        existing=Patient.objects.filter(organisation=organisation),
    )
    return [by_key[(organisation.pk, row["hospital_number"])] for row in rows]


def _seed_memberships(
    cohorts: dict[str, Cohort],
    patients: list[Patient],
    member_patient: Patient,
    *,
    rng: random.Random,
) -> dict[str, set[int]]:
    """Who is in which cohort; returns patient ids per cohort slug (current members only)."""
    today_age = {p.pk: (p.estimated_due_date - p.date_of_birth).days // 365 for p in patients}
    others = [p for p in patients if p.pk != member_patient.pk]
    older = [p for p in others if today_age[p.pk] >= 40]
    picks: dict[str, list[Patient]] = {}
    for spec in COHORTS:
        slug, size = spec["slug"], spec["size"]
        if slug == "older-mothers":
            chosen = older[:size]
        elif slug == "after-fertility-treatment":
            # Assisted conception is commoner later in life, so half come from the older women.
            half = rng.sample(older, min(len(older), size // 2))
            rest = [p for p in others if p not in half]
            chosen = half + rng.sample(rest, size - len(half))
        else:
            chosen = rng.sample(others, size)
        if slug in MEMBER_COHORTS:
            chosen = [member_patient, *chosen[: size - 1]]
        picks[slug] = chosen
    rows, current = [], defaultdict(set)
    for slug, chosen in picks.items():
        for patient in chosen:
            roll = rng.random()
            if patient.pk == member_patient.pk or roll < 0.78:
                status = MembershipStatus.ACTIVE
            elif roll < 0.94:
                status = MembershipStatus.INVITED
            else:
                status = MembershipStatus.LEFT
            source = (
                MembershipSource.IMPORT
                if slug in {"bmi-over-30", "older-mothers", "twins-or-multiples"}
                else rng.choice([MembershipSource.REFERRAL, MembershipSource.SELF])
            )
            rows.append(
                {
                    "cohort_id": cohorts[slug].pk,
                    "patient_id": patient.pk,
                    "status": status,
                    "source": source,
                }
            )
            if status != MembershipStatus.LEFT:
                current[slug].add(patient.pk)
    existing = CohortMembership.objects.filter(cohort__in=cohorts.values())
    kept = _sync(CohortMembership, rows, key=("cohort_id", "patient_id"), existing=existing)
    _remove_stale(
        existing.exclude(pk__in=[m.pk for m in kept.values()]), status=MembershipStatus.REMOVED
    )
    return dict(current)


def _clinic_days(today: dt.date) -> list[dt.date]:
    days = (today + dt.timedelta(days=n) for n in range(DAYS_AHEAD))
    return [day for day in days if day.weekday() < 5]


def _list_slots(day: dt.date, rng: random.Random) -> list[tuple[dt.time, str, int]]:
    """One list each half-day: back-to-back 15 and 20 minute appointments."""
    slots = []
    for begins, ends in (MORNING, AFTERNOON):
        at = dt.datetime.combine(day, begins)
        end = dt.datetime.combine(day, ends)
        while True:
            kind, minutes = rng.choice(APPOINTMENT_TYPES)
            if at + dt.timedelta(minutes=minutes) > end:
                break
            slots.append((at.time(), kind, minutes))
            at += dt.timedelta(minutes=minutes)
    return slots


def _seed_appointments(
    clinic: Clinic,
    patients: list[Patient],
    in_cohort: dict[str, set[int]],
    *,
    today: dt.date,
    rng: random.Random,
) -> list[Appointment]:
    zone = clinic.zone
    days = _clinic_days(today)
    free: dict[dt.date, list[tuple[dt.time, str, int]]] = {d: _list_slots(d, rng) for d in days}
    twins = in_cohort.get("twins-or-multiples", set())
    # The demo member: on her first cohort's list after today (never earlier today, so
    # "upcoming" holds whatever time it is), at 10:00 or the next free slot, and a week later.
    weekday = next(c["clinic_slot"][0] for c in COHORTS if c["slug"] == MEMBER_COHORTS[0])
    first = next(d for d in days if d > today and d.weekday() == weekday)
    member_days = [first, first + dt.timedelta(days=7)]
    wanted: list[tuple[Patient, bool | None, list[dt.date]]] = [
        (patients[0], True, [d for d in member_days if d in free])
    ]
    # Women in a cohort are often seen on its consultant's list (twin clinic on Wednesday
    # afternoons, and so on), which is what makes their waits overlap.
    clinic_slot = {}
    for spec in reversed(COHORTS):
        clinic_slot.update({pid: spec["clinic_slot"] for pid in in_cohort.get(spec["slug"], ())})
    for patient in patients[1:]:
        half = None
        choices = days
        if patient.pk in clinic_slot and rng.random() < 0.7:
            weekday, half = clinic_slot[patient.pk]
            choices = [d for d in days if d.weekday() == weekday]
        visits = [rng.choice(choices)]
        # Women are seen every one to three weeks; twin pregnancies more often.
        gaps = [7, 7, 7] if patient.pk in twins else rng.choice([[14], [7], [14], []])
        for gap in gaps:
            follow = visits[-1] + dt.timedelta(days=gap)
            if follow not in free:
                follow = visits[0] - dt.timedelta(days=gap)
            if follow in free and follow not in visits:
                visits.append(follow)
        wanted.append((patient, half, sorted(visits)))
    rows = []
    for patient, half, visits in wanted:
        for day in visits:
            slot = _take_slot(free, days, day, half=half, at_ten=patient is patients[0], rng=rng)
            if slot is None:
                continue
            slot_day, (time, kind, minutes) = slot
            start = dt.datetime.combine(slot_day, time, tzinfo=zone)
            rows.append(
                {
                    "source": APPOINTMENT_SOURCE,
                    "external_id": f"{clinic.slug}-{slot_day:%Y%m%d}-{time:%H%M}",
                    "patient_id": patient.pk,
                    "clinic_id": clinic.pk,
                    "start": start,
                    "duration_minutes": minutes,
                    "appointment_type": kind,
                    "status": AppointmentStatus.BOOKED
                    if patient is patients[0] or rng.random() > 0.03
                    else AppointmentStatus.CANCELLED,
                }
            )
    from_today = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    existing = Appointment.objects.filter(source=APPOINTMENT_SOURCE)
    kept = _sync(Appointment, rows, key=("source", "external_id"), existing=existing)
    # Future demo slots that today's run no longer books go; past ones stay as history.
    _remove_stale(
        existing.filter(start__gte=from_today).exclude(pk__in=[a.pk for a in kept.values()]),
        status=AppointmentStatus.CANCELLED,
    )
    return list(kept.values())


def _take_slot(
    free: dict[dt.date, list[tuple[dt.time, str, int]]],
    days: list[dt.date],
    day: dt.date,
    *,
    half: bool | None,
    at_ten: bool,
    rng: random.Random,
) -> tuple[dt.date, tuple[dt.time, str, int]] | None:
    """A free slot on `day` (in the morning or afternoon list when `half` says which; the first
    from 10:00 with `at_ten`), or failing that on the next clinic day with one."""
    for candidate in days[days.index(day) :]:
        slots = free[candidate]
        if not slots:
            continue
        if at_ten:
            index = next((i for i, s in enumerate(slots) if s[0] >= dt.time(10, 0)), 0)
        else:
            fits = [i for i, s in enumerate(slots) if half is None or (s[0] < MORNING[1]) == half]
            index = rng.choice(fits or range(len(slots)))
        return candidate, slots.pop(index)
    return None


def _seed_sessions(
    clinic: Clinic,
    cohorts: dict[str, Cohort],
    appointments: list[Appointment],
    in_cohort: dict[str, set[int]],
    users: dict[str, User],
    member_patient: Patient,
    *,
    today: dt.date,
) -> None:
    """Two sessions per cohort where most of its members are already in clinic: one published,
    one still a draft. The demo member's first appointment day gets a published session."""
    zone = clinic.zone
    # (day, morning?) → [(patient id, appointment start)], future clinic days only
    by_half: dict[tuple[dt.date, bool], list[tuple[int, dt.datetime]]] = defaultdict(list)
    for appointment in appointments:
        local = appointment.start.astimezone(zone)
        if appointment.status == AppointmentStatus.CANCELLED or local.date() <= today:
            continue
        by_half[(local.date(), local.time() < MORNING[1])].append((appointment.patient_id, local))
    member_halves = sorted(h for h, rows in by_half.items() if member_patient.pk in dict(rows))
    wanted: list[dict[str, Any]] = []
    used: set[tuple[dt.date, bool]] = set()
    for n, spec in enumerate(COHORTS):
        slug = spec["slug"]
        members = in_cohort.get(slug, set())
        # (members in the waiting room during the session, start, half) for every half-day
        options = sorted(
            ((*_best_start(h, by_half[h], members, clinic, zone), h) for h in by_half),
            key=lambda o: (-o[0], o[2]),
        )
        chosen: list[tuple[dt.datetime, tuple[dt.date, bool]]] = []
        if slug == MEMBER_COHORTS[0] and member_halves:
            half = member_halves[0]
            _, start = _best_start(half, by_half[half], members, clinic, zone, must=member_patient)
            chosen.append((start, half))
        for _, start, half in options:
            if len(chosen) == 2:
                break
            if half not in used and all(half[0] != c[1][0] for c in chosen):
                chosen.append((start, half))
        for index, (start, half) in enumerate(chosen):
            used.add(half)
            wanted.append(
                {
                    "cohort": cohorts[slug],
                    "start": start,
                    "end": start + dt.timedelta(minutes=SESSION_MINUTES),
                    "location": LOCATIONS[n % len(LOCATIONS)],
                    "capacity": 8,
                    "topic": spec["topic"],
                    "status": SessionStatus.PUBLISHED if index == 0 else SessionStatus.DRAFT,
                    "peer": slug in PEER_SUPPORTER_COHORTS,
                }
            )
    coordinator = users["coordinator"]
    # Sessions have no natural key, so the demo's own are known by who made them.
    existing = {
        (s.cohort_id, s.start): s
        for s in Session.objects.filter(clinic=clinic, created_by=coordinator)
    }
    kept = []
    places: dict[str, WaitingAreaPlace] = {}
    for spec in wanted:
        published_at = (
            dt.datetime.combine(today, dt.time(8, 0), tzinfo=zone)
            if spec["status"] == SessionStatus.PUBLISHED
            else None
        )
        place = places.get(spec["location"])
        if place is None:
            place, _ = WaitingAreaPlace.objects.get_or_create(clinic=clinic, name=spec["location"])
            places[spec["location"]] = place
        fields = {
            "end": spec["end"],
            "place": place,
            "location": spec["location"],
            "capacity": spec["capacity"],
            "topic": spec["topic"],
            "status": spec["status"],
        }
        session = existing.get((spec["cohort"].pk, spec["start"]))
        if session is None:
            session = Session.objects.create(
                clinic=clinic,
                cohort=spec["cohort"],
                start=spec["start"],
                created_by=coordinator,
                published_at=published_at,
                **fields,
            )
        elif any(getattr(session, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(session, k, v)
            session.published_at = session.published_at or published_at
            session.save(update_fields=[*fields, "published_at"])
        team = [users["facilitator"]] + ([users["peer supporter"]] if spec["peer"] else [])
        session.facilitators.set(team)
        kept.append(session.pk)
    from_today = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    stale = Session.objects.filter(clinic=clinic, created_by=coordinator, start__gte=from_today)
    _remove_stale(
        stale.exclude(pk__in=kept),
        status=SessionStatus.CANCELLED,
        cancelled_at=dt.datetime.combine(today, dt.time(8, 0), tzinfo=zone),
    )


def _best_start(
    half: tuple[dt.date, bool],
    rows: list[tuple[int, dt.datetime]],
    members: set[int],
    clinic: Clinic,
    zone: ZoneInfo,
    *,
    must: Patient | None = None,
) -> tuple[int, dt.datetime]:
    """The quarter-hour start in this list when most cohort members are in the waiting room
    (from `arrive_early_minutes` before their appointment to `wait_after_minutes` after it),
    as (how many, start). With `must`, only starts when that woman is there count."""
    day, morning = half
    begins, ends = MORNING if morning else AFTERNOON
    start = dt.datetime.combine(day, begins, tzinfo=zone)
    latest = dt.datetime.combine(day, ends, tzinfo=zone) - dt.timedelta(minutes=SESSION_MINUTES)
    early = dt.timedelta(minutes=clinic.arrive_early_minutes)
    late = dt.timedelta(minutes=clinic.wait_after_minutes)
    length = dt.timedelta(minutes=SESSION_MINUTES)
    best = (-1, start)
    while start <= latest:
        there = {
            pid
            for pid, at in rows
            if pid in members and at - early < start + length and start < at + late
        }
        if (must is None or must.pk in there) and len(there) > best[0]:
            best = (len(there), start)
        start += dt.timedelta(minutes=15)
    return best


def _seed_resources(cohorts: dict[str, Cohort], *, owner: User, today: dt.date) -> None:
    partners = {}
    for spec in PARTNERS:
        partner, _ = Partner.objects.update_or_create(
            name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"}
        )
        partners[spec["name"]] = partner
    for title, partner, kind, url, phone, slugs, languages, age_days in RESOURCES:
        reviewed = today - dt.timedelta(days=age_days)
        resource, _ = Resource.objects.update_or_create(
            title=title,
            partner=partners[partner],
            defaults={
                "summary": partners[partner].offer,
                "kind": kind,
                "url": url,
                "phone": phone,
                "languages": languages,
                "last_reviewed": reviewed,
                "next_review_due": reviewed + dt.timedelta(days=365),
                "owner": owner,
            },
        )
        resource.cohorts.set([cohorts[slug] for slug in slugs])


def _remove_stale(stale: models.QuerySet, **retire: Any) -> None:
    """Delete demo rows that no longer fit; ones other records now point at (a concern raised
    at a session, say) are retired with `retire` instead, so the demo never loses real work."""
    try:
        with transaction.atomic():
            stale.delete()
    except (models.ProtectedError, models.RestrictedError):
        stale.exclude(**retire).update(**retire)


def _sync(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    existing: models.QuerySet,
) -> dict[tuple, Any]:
    """Bring `existing` in line with `rows` (matched on `key`) in a handful of queries: create
    what is missing, update only the fields that differ, leave equal rows alone."""
    current = {tuple(getattr(obj, f) for f in key): obj for obj in existing}
    to_create, to_update, changed = [], [], set()
    for row in rows:
        obj = current.get(tuple(row[f] for f in key))
        if obj is None:
            to_create.append(model(**row))
            continue
        diff = [f for f, v in row.items() if getattr(obj, f) != v]
        if diff:
            for f in diff:
                setattr(obj, f, row[f])
            changed.update(diff)
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed), batch_size=500)
    # Read back (one query) so created rows carry their primary keys on every database.
    wanted = {tuple(row[f] for f in key) for row in rows}
    return {
        k: obj for obj in existing.all() if (k := tuple(getattr(obj, f) for f in key)) in wanted
    }
