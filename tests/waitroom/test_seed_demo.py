"""`seed_demo`: the same data however often it runs, and the demo the README promises."""

import datetime as dt
import hashlib
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demo.seed import demo_seed
from demo.spec import AFTERNOON, APPOINTMENT_SOURCE, MORNING, SIGN_INS
from groups.members.selectors import (
    member_groups,
    partner_meetings_near_her_days,
    upcoming_appointments,
)
from groups.models import Cohort, CohortMembership
from resources.models import Partner, Resource
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
from sessions.nhs_number import is_valid_nhs_number
from waitroom.models import Clinic, Organisation, StaffRole, User

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

# What a woman may see of a cohort must not name a condition: these words (and their obvious
# forms) are the clinical labels of the five demo cohorts, and "older"/"age" for the one about
# age. Checked against public names AND descriptions.
CONDITION_WORDS = re.compile(
    r"\b(bmi|body mass|weight|obes\w*|overweight|twins?|triplets?|multiples?|ivf|icsi|"
    r"fertility|infertil\w*|assisted|mental|anxi\w*|depress\w*|psychiatr\w*|older|age|aged|"
    r"geriatric|advanced maternal|high[- ]risk|condition)\b",
    re.IGNORECASE,
)

# Key fields per model, read with values_list; pk included so "updated in place" is checked too.
DIGEST_FIELDS = {
    Organisation: ["pk", "ods_code", "name"],
    Clinic: ["pk", "slug", "name", "site", "maternity_triage_phone", "organisation_id"],
    User: ["pk", "email", "first_name", "last_name", "display_name", "is_superuser", "password"],
    EmailAddress: ["pk", "user__email", "email", "verified", "primary"],
    StaffRole: ["pk", "user__email", "clinic__slug", "role"],
    Patient: [
        "pk",
        "hospital_number",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "mobile",
        "email",
        "preferred_language",
        "interpreter_needed",
        "estimated_due_date",
        "consent_sms",
        "consent_email",
        "user__email",
    ],
    Appointment: [
        "pk",
        "source",
        "external_id",
        "patient__hospital_number",
        "start",
        "duration_minutes",
        "appointment_type",
        "status",
    ],
    Cohort: ["pk", "slug", "staff_name", "public_name", "public_description", "criterion"],
    Cohort.clinics.through: ["cohort__slug", "clinic__slug"],
    CohortMembership: ["pk", "cohort__slug", "patient__hospital_number", "status", "source"],
    WaitingRoomSession: [
        "pk",
        "cohort__slug",
        "start",
        "end",
        "location",
        "capacity",
        "topic",
        "status",
        "published_at",
    ],
    WaitingRoomSession.facilitators.through: ["waitingroomsession_id", "user__email"],
    Partner: ["pk", "name", "website", "phone", "offer"],
    Resource: ["pk", "title", "url", "phone", "kind", "last_reviewed", "next_review_due"],
    Resource.cohorts.through: ["resource__title", "cohort__slug"],
}


def demo_digest() -> dict[str, tuple[int, str]]:
    """Per model: (row count, sha256 of its key fields in a stable order)."""
    digest = {}
    for model, fields in DIGEST_FIELDS.items():
        rows = sorted(repr(row) for row in model.objects.values_list(*fields))
        digest[model._meta.label] = (
            len(rows),
            hashlib.sha256("\n".join(rows).encode()).hexdigest(),
        )
    return digest


@pytest.fixture
def demo():
    return demo_seed()


@override_settings(DEBUG=True)  # pytest-django turns DEBUG off; the command needs it on
def test_running_it_twice_gives_the_same_data(demo):
    first = demo_digest()
    call_command("seed_demo", stdout=StringIO())
    assert demo_digest() == first
    assert first["waitingroom.Patient"][0] >= 150


def test_running_it_on_a_later_day_moves_the_demo_forward_without_duplicates():
    today = timezone.localdate()
    demo_seed(today=today)
    demo_seed(today=today + dt.timedelta(days=3))
    assert Patient.objects.count() == 160
    assert Cohort.objects.count() == 5
    assert not Appointment.objects.filter(
        start__gte=dt.datetime.combine(today + dt.timedelta(days=24), dt.time.min, tzinfo=LONDON)
    ).exists()
    later = dt.datetime.combine(today + dt.timedelta(days=3), dt.time.min, tzinfo=LONDON)
    assert WaitingRoomSession.objects.filter(start__gte=later).count() == 10


@override_settings(DEBUG=True)
def test_the_command_prints_every_demo_sign_in_marked_demo_only():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "DEMO ONLY" in printed
    for sign_in in SIGN_INS:
        assert sign_in.email in printed
        assert sign_in.password in printed


@override_settings(DEBUG=False)
def test_the_command_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_books_three_weeks_of_weekday_morning_and_afternoon_lists(demo):
    today = timezone.localdate()
    appointments = list(Appointment.objects.filter(source=APPOINTMENT_SOURCE))
    assert len(appointments) >= 200
    days = set()
    for appointment in appointments:
        start = timezone.localtime(appointment.start, LONDON)
        end = timezone.localtime(appointment.end, LONDON)
        days.add(start.date())
        assert start.weekday() < 5
        assert today <= start.date() < today + dt.timedelta(days=21)
        assert appointment.duration_minutes in (15, 20)
        assert any(b <= start.time() and end.time() <= e for b, e in (MORNING, AFTERNOON))
    assert len(days) == 15
    assert not Patient.objects.filter(appointments__isnull=True).exists()


def test_its_patients_look_real_but_cannot_reach_anyone(demo):
    patients = list(Patient.objects.all())
    assert len(patients) >= 150
    assert all(is_valid_nhs_number(p.nhs_number) for p in patients)
    assert all(p.nhs_number.startswith("999") for p in patients)  # the NHS's test range
    assert all(re.fullmatch(r"07700900\d{3}", p.mobile) for p in patients)
    assert all(p.email.endswith("@example.com") for p in patients)
    assert len({p.hospital_number for p in patients}) == len(patients)
    assert sum(p.interpreter_needed for p in patients) >= 3
    assert len({p.preferred_language for p in patients}) >= 4
    assert all(p.estimated_due_date > timezone.localdate() for p in patients)


def test_it_has_the_five_cohorts_each_with_15_to_40_women(demo):
    cohorts = {c.slug: c for c in Cohort.objects.all()}
    assert set(cohorts) == {
        "bmi-over-30",
        "twins-or-multiples",
        "older-mothers",
        "after-fertility-treatment",
        "mental-health",
    }
    for cohort in cohorts.values():
        assert 15 <= cohort.memberships.current().count() <= 40, cohort.slug
        assert cohort.clinics.filter(slug="riverside").exists()


def test_older_mothers_are_40_or_over_at_their_due_date(demo):
    for membership in CohortMembership.objects.filter(cohort__slug="older-mothers"):
        patient = membership.patient
        assert (patient.estimated_due_date - patient.date_of_birth).days // 365 >= 40


@pytest.mark.parametrize("field", ["public_name", "public_description"])
def test_no_cohort_shows_women_a_condition(demo, field):
    for cohort in Cohort.objects.all():
        text = getattr(cohort, field)
        assert text.strip()
        assert not CONDITION_WORDS.search(text), f"{cohort.slug}.{field}: {text!r}"


def test_sessions_sit_where_their_cohort_is_already_in_clinic(demo):
    # The demo's sessions to come; the year of completed ones before is the measures' history.
    sessions = list(
        WaitingRoomSession.objects.exclude(created_by=None).select_related("cohort", "clinic")
    )
    statuses = {s.status for s in sessions}
    assert statuses == {SessionStatus.PUBLISHED, SessionStatus.DRAFT}
    for session in sessions:
        start = timezone.localtime(session.start, LONDON)
        end = timezone.localtime(session.end, LONDON)
        assert start.weekday() < 5
        assert any(b <= start.time() and end.time() <= e for b, e in (MORNING, AFTERNOON))
        # In the waiting room: from arrive_early_minutes before her appointment to
        # wait_after_minutes after it.
        members = session.cohort.memberships.current().values("patient_id")
        there = Appointment.objects.attending().filter(
            patient_id__in=members,
            start__gt=session.start - dt.timedelta(minutes=session.clinic.wait_after_minutes),
            start__lt=session.end + dt.timedelta(minutes=session.clinic.arrive_early_minutes),
        )
        assert there.values("patient_id").distinct().count() >= 2, session
        assert session.facilitators.filter(email="facilitator@waitroom.example").exists()


def test_partners_and_resources_are_the_ones_promised_and_current(demo):
    names = set(Partner.objects.values_list("name", flat=True))
    assert {"NCT", "Twins Trust", "Sands", "Mind", "PANDAS Foundation", "Tommy's", "NHS"} <= names
    assert Resource.objects.count() >= 8
    assert Resource.objects.current().count() == Resource.objects.count()
    assert Resource.objects.due_for_review().exists()


def test_the_demo_clinic_has_its_own_partner_and_a_meeting_near_the_members_day(demo):
    partner = Partner.objects.get(clinic__slug="riverside")
    assert partner.volunteers.filter(email="peer.supporter@waitroom.example").exists()
    patient = User.objects.get(email="member@waitroom.example").patient
    near = partner_meetings_near_her_days(
        patient,
        appointments=upcoming_appointments(patient),
        cohort_ids=[m.cohort_id for m in member_groups(patient)],
    )
    assert [item.title for item in near] == ["Coffee morning for families"]
    assert near[0].sentence.startswith("After your appointment on ")


def test_the_demo_member_has_appointments_groups_and_a_session_on_her_day(demo):
    patient = User.objects.get(email="member@waitroom.example").patient
    assert patient.appointments.attending().upcoming().count() >= 2
    assert patient.cohort_memberships.current().count() == 2
    first = timezone.localtime(patient.appointments.attending().upcoming().first().start).date()
    her_sessions = WaitingRoomSession.objects.published().filter(
        cohort__memberships__patient=patient
    )
    assert any(timezone.localtime(s.start).date() == first for s in her_sessions)


# role → (where "/" sends her, the heading she then sees)
HOMES = {
    "coordinator": ("/coordinator/", "Your clinics"),
    "facilitator": ("/my-sessions/", "Your sessions"),
    "peer supporter": ("/my-sessions/", "Your sessions"),
    "member": ("/me/", "Hello Chloe B"),
}


def test_there_is_one_user_per_role(demo):
    roles = dict(StaffRole.objects.values_list("role", "user__email"))
    assert roles == {
        "coordinator": "coordinator@waitroom.example",
        "facilitator": "facilitator@waitroom.example",
        "peer_supporter": "peer.supporter@waitroom.example",
    }
    assert User.objects.get(is_superuser=True).email == "admin@waitroom.example"
    # The one woman who signs in; the others with accounts wrote the measures' history posts.
    women = User.objects.filter(patient_record__isnull=False)
    assert [u.email for u in women if u.has_usable_password()] == ["member@waitroom.example"]


@pytest.mark.parametrize("sign_in", [s for s in SIGN_INS if s.role in HOMES], ids=lambda s: s.role)
def test_each_demo_role_signs_in_and_lands_on_her_home(demo, client, sign_in):
    assert client.login(email=sign_in.email, password=sign_in.password)
    response = client.get("/")
    where, heading = HOMES[sign_in.role]
    assert response.status_code == 302
    assert response.url == where
    home = client.get(where)
    assert home.status_code == 200
    assert f"<h1>{heading}</h1>" in home.text


def test_the_demo_admin_reaches_the_admin_site(demo, client):
    assert client.login(email="admin@waitroom.example", password="demo-admin-2026")
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200


def test_the_demo_admin_signing_in_lands_on_the_admin_site(demo, client):
    response = client.post(
        reverse("account_login"),
        {"login": "admin@waitroom.example", "password": "demo-admin-2026"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/{settings.ADMIN_URL}"
    assert response.status_code == 200
    assert "Waitroom administration" in response.text
    assert "You do not have access yet" not in response.text


def test_each_staff_home_has_something_to_show(demo, client):
    client.login(email="coordinator@waitroom.example", password="demo-coordinator-2026")
    assert "Published" in client.get("/coordinator/").text
    for email, password in [
        ("facilitator@waitroom.example", "demo-facilitator-2026"),
        ("peer.supporter@waitroom.example", "demo-peer-supporter-2026"),
    ]:
        client.login(email=email, password=password)
        assert "Riverside Antenatal Clinic" in client.get("/my-sessions/").text
