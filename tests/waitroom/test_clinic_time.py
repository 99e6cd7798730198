"""A clinic's day is cut in the clinic's own zone (Clinic.timezone), never the server's
(settings.TIME_ZONE): member check-in "today", her home's clinic-day groups, the coordinator's
clinic days and "Today's clinic", and the audit page's date filter.

The clock is pinned to one moment where the two calendars disagree: 20:00 on Wednesday
2 December 2026 in London (the server's zone) is 09:00 on Thursday 3 December in Auckland (the
clinic's). Pinning `timezone.now` is the only stand-in here: no real clock can be set.
"""

import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources.models import Signposting
from sessions.facilitation.services import attendance_check_in
from tests.artefacts import href_of, qr_target, site_path
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    ResourceFactory,
    WaitingRoomSessionFactory,
)
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)
CLINIC_TODAY = dt.date(2026, 12, 3)


def auckland(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=AUCKLAND)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def far_clinic(clinic, clock):
    """The personas' clinic, moved to Auckland; the server stays on London time."""
    clinic.timezone = "Pacific/Auckland"
    clinic.save(update_fields=["timezone"])
    server_today = NOW.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    assert server_today != CLINIC_TODAY, "the test needs the two calendars to disagree"
    return clinic


@pytest.fixture
def her_group(far_clinic, member):
    cohort = CohortFactory(public_name="Twins and more group", clinics=[far_clinic])
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    return cohort


def test_clinic_today_and_day_bounds_follow_the_clinic_zone(far_clinic):
    assert far_clinic.today() == CLINIC_TODAY
    assert far_clinic.day_of(auckland(3, 0, 30)) == CLINIC_TODAY
    start, end = far_clinic.day_bounds(CLINIC_TODAY)
    assert (start, end) == (auckland(3, 0), auckland(4, 0))
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)


def test_check_in_lists_a_group_later_today_on_the_clinic_calendar(
    far_clinic, member, her_group, peer_supporter
):
    # 14:00 in Auckland today is 01:00 tomorrow in London.
    WaitingRoomSessionFactory(
        clinic=far_clinic, cohort=her_group, start=auckland(3, 14), end=auckland(3, 14, 45)
    )
    staff = Client()
    staff.force_login(peer_supporter)
    scanned = site_path(qr_target(staff.get(reverse("checkin_poster", args=[far_clinic.slug]))))
    client = Client()
    client.force_login(member)

    body = client.get(scanned).content.decode()

    assert "Twins and more group" in body
    assert "not running today" not in body


def test_member_home_offers_groups_on_her_appointment_day_in_the_clinic_zone(
    client, far_clinic, member, her_group
):
    # Her appointment (10:00) and the group (14:00) are both on Thursday in Auckland, but on
    # Wednesday and Thursday in London.
    AppointmentFactory(patient=member.patient, clinic=far_clinic, start=auckland(3, 10))
    WaitingRoomSessionFactory(
        clinic=far_clinic, cohort=her_group, start=auckland(3, 14), end=auckland(3, 14, 45)
    )
    client.force_login(member)

    body = client.get(reverse("member_home")).content.decode()

    assert "Twins and more group" in body
    assert "There are no other groups running on your appointment days" not in body


def test_signposted_resources_name_the_group_day_on_the_clinic_calendar(
    client, far_clinic, member, her_group
):
    # Running now: 08:45-09:30 on Thursday in Auckland, Wednesday evening in London.
    session = WaitingRoomSessionFactory(
        clinic=far_clinic, cohort=her_group, start=auckland(3, 8, 45), end=auckland(3, 9, 30)
    )
    attendance_check_in(session=session, patient=member.patient)
    Signposting.objects.create(session=session, resource=ResourceFactory(title="Twins helpline"))
    client.force_login(member)

    for page in (reverse("member_home"), reverse("my_resources")):
        body = client.get(page).content.decode()
        assert "Twins helpline" in body
        assert "From your group on Thursday 3 December" in body, page


def test_coordinator_home_counts_clinic_days_and_links_today_in_the_clinic_zone(
    as_persona, far_clinic
):
    # Both on Thursday 3 December in Auckland; Wednesday and Thursday in London.
    AppointmentFactory(clinic=far_clinic, start=auckland(3, 10))
    AppointmentFactory(clinic=far_clinic, start=auckland(3, 14))
    client = as_persona("coordinator")

    page = client.get(reverse("coordinator_home"))

    day_url = f"/clinics/{far_clinic.slug}/days/2026-12-03/"
    assert href_of(page, f"Today's clinic at {far_clinic.name}") == day_url
    assert href_of(page, "Thursday 3 December") == day_url
    assert "2 appointments" in page.content.decode()
    assert "Wednesday 2 December" not in page.content.decode()
    clinic_day = client.get(href_of(page, f"Today's clinic at {far_clinic.name}"))
    assert len(clinic_day.context["plan"].appointments) == 2


def test_audit_date_filter_cuts_days_in_the_event_clinic_zone(as_persona, far_clinic):
    def event(at: dt.datetime) -> AuditEvent:
        return AuditEvent.objects.create(
            clinic=far_clinic, action="view", object_type="x", object_id="1", at=at
        )

    late_wednesday = event(auckland(2, 23, 30))  # Wednesday 10:30 in London
    thursday_morning = event(auckland(3, 9, 30))  # Wednesday 20:30 in London
    friday_small_hours = event(auckland(4, 1))  # Thursday 12:00 in London
    client = as_persona("coordinator")
    thursday = {
        f"date_{end}_{part}": getattr(CLINIC_TODAY, part)
        for end in ("from", "to")
        for part in ("day", "month", "year")
    }

    response = client.get(reverse("audit_log"), thursday)

    shown = {row.event.pk for row in response.context["rows"]}
    assert thursday_morning.pk in shown
    assert late_wednesday.pk not in shown
    assert friday_small_hours.pk not in shown


@pytest.mark.parametrize("call", ["localdate()", "localtime(timezone.now())", "make_aware(None)"])
def test_lint_refuses_server_zone_calls_in_app_code_but_not_in_tests(call):
    source = f"from django.utils import timezone\n\nvalue = timezone.{call}\n"

    def lint(as_file: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [Path(sys.executable).parent / "ruff", "check", "--stdin-filename", as_file, "-"],
            input=source,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )

    in_app = lint("sessions/some_selector.py")
    assert in_app.returncode == 1
    assert "TID251" in in_app.stdout
    assert lint("tests/sessions/test_something.py").returncode == 0
