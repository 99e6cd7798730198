"""Fixtures for invitations: a clinic day with a published session, women to invite, fake Notify."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from sessions.invitations.models import Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)

from .fake_notify import API_KEY, EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify

LONDON = ZoneInfo("Europe/London")
CALLBACK_TOKEN = "test-callback-token-0123456789abcdefghijklmnop"


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Day:
    clinic: object
    cohort: object
    session: object

    def woman(self, hour: int = 10, minute: int = 15, *, member: bool = True, **patient):
        """A woman with an appointment at the clinic on the session's day at hour:minute."""
        p = PatientFactory(organisation=self.clinic.organisation, **patient)
        day = self.session.start.astimezone(LONDON).date()
        start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)
        appointment = AppointmentFactory(patient=p, clinic=self.clinic, start=start)
        if member:
            CohortMembershipFactory(cohort=self.cohort, patient=p)
        return p, appointment


def make_day(clinic, start: dt.datetime, *, minutes: int = 45, capacity: int = 8, **extra) -> Day:
    cohort = CohortFactory(
        clinics=[clinic], staff_name="Raised BMI clinic list", public_name="Tuesday friends"
    )
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        capacity=capacity,
        **extra,
    )
    return Day(clinic, cohort, session)


# A fixed planning "now" well before the session, and the session (Wednesday 1 April 2026,
# after the spring clock change on Sunday 29 March).
NOW = london(2026, 3, 20, 12, 0)
SESSION_START = london(2026, 4, 1, 10, 0)


DAYTIME = london(2026, 3, 31, 11, 0)  # the day before the session, outside quiet hours


@pytest.fixture
def day(clinic) -> Day:
    return make_day(clinic, SESSION_START)


def invitation_message(patient) -> Message:
    """The invitation message the planner wrote for her."""
    return Message.objects.get(invitation__patient=patient, kind=MessageKind.INVITATION)


@pytest.fixture
def planned(day, notify_mode):
    """planned(**patient) → a woman on the session's day, her invitation planned at DAYTIME."""

    def make(**patient):
        woman, _ = day.woman(10, 15, **patient)
        plan_invitations_for_session(day.session.pk, now=DAYTIME)
        return woman

    return make


@pytest.fixture
def outbox_mode(settings):
    settings.MESSAGE_CHANNEL = "outbox"
    return settings


@pytest.fixture
def fake_notify():
    server = FakeNotify().start()
    yield server
    server.stop()


@pytest.fixture
def notify_mode(settings, fake_notify):
    settings.MESSAGE_CHANNEL = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = fake_notify.url
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    settings.NOTIFY_TIMEOUT_SECONDS = 5
    settings.MESSAGE_RETRY_BASE_SECONDS = 0.05
    settings.MESSAGE_RETRY_MAX = 4
    settings.MESSAGE_RATE_PER_MINUTE = 60_000
    return fake_notify
