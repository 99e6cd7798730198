"""What the demo holds: its clinic, sign-ins, cohorts, women's names, lists, partners and
resources. Plain data; the other modules of this package build rows from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from resources.models import Resource

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
