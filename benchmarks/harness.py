"""What the Celery benchmarks (invitations_end_to_end.py, sending.py) share: the loopback fake
Notify that the real notifications-python-client talks to, a database of their own, and a
session of N women each due one invitation email.

`fake_notify_started` sets environment variables the settings read, so call it before
`django.setup()`; the rest needs Django set up.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from tests.invitations.fake_notify import API_KEY, EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify

LONDON = ZoneInfo("Europe/London")


def fake_notify_started(*, keep_alive: bool = False) -> FakeNotify:
    """Start the fake Notify on loopback and point the Notify settings at it."""
    fake = FakeNotify(keep_alive=keep_alive).start()
    os.environ.update(
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_BASE_URL=fake.url,
        NOTIFY_SMS_TEMPLATE_ID=SMS_TEMPLATE,
        NOTIFY_EMAIL_TEMPLATE_ID=EMAIL_TEMPLATE,
        NOTIFY_CALLBACK_TOKEN="b" * 40,
    )
    return fake


def database_created(*, afresh: bool) -> None:
    """Create the benchmark's database (dropping it first if `afresh`) and migrate it."""
    import psycopg2
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if afresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    call_command("migrate", verbosity=0)


def session_with_women(size: int, *, tag: str):
    """A published session three days ahead with `size` women in its cohort, each with an
    appointment within half an hour of its start and consent to email only. `tag` keeps their
    hospital numbers and appointment ids apart from other runs' in the same database."""
    from django.utils import timezone

    from groups.models import CohortMembership
    from sessions.models import Appointment, Patient, SessionStatus
    from tests.factories import ClinicFactory, CohortFactory, WaitingRoomSessionFactory

    day = (timezone.now().astimezone(LONDON) + dt.timedelta(days=3)).date()
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON)
    clinic = ClinicFactory()
    cohort = CohortFactory(clinics=[clinic])
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=start + dt.timedelta(minutes=45),
        capacity=size + 1,
        status=SessionStatus.PUBLISHED,
    )
    patients = Patient.objects.bulk_create(
        Patient(
            organisation=clinic.organisation,
            hospital_number=f"{tag}{session.pk}-{i}",
            given_name="Alex",
            family_name="Bench",
            email=f"bench{session.pk}-{i}@example.com",
            consent_email=True,
            consent_sms=False,
        )
        for i in range(size)
    )
    Appointment.objects.bulk_create(
        Appointment(
            source="bench",
            external_id=f"{tag.lower()}{session.pk}-{i}",
            patient=p,
            clinic=clinic,
            start=start + dt.timedelta(minutes=5 + i % 30),
        )
        for i, p in enumerate(patients)
    )
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, patient=p, status="active") for p in patients
    )
    return session
