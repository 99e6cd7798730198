"""Fixtures shared by the whole suite, and the check that the real services answer."""

import contextlib
import os

import psycopg2
import pytest
import redis
from django.conf import settings

from waitroom.models import Role

from .factories import (
    ClinicFactory,
    PatientFactory,
    StaffRoleFactory,
    UserFactory,
)


def pytest_sessionstart(session):
    """Stop at once, saying how to start it, when PostgreSQL or Redis does not answer."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The tests run on PostgreSQL: set DATABASE_URL=postgres://...", returncode=3)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"],
            port=db["PORT"] or 5432,
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL is not answering at {db['HOST']}:{db['PORT'] or 5432} ({exc}).\n"
            "Start it with:"
            " pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            returncode=3,
        )
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.exit(
            f"Redis is not answering at {settings.REDIS_URL} ({exc}).\n"
            "Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so allauth's rate limits do not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


# Fixed personas for access tests (style guide: coordinator of this clinic, coordinator of
# another clinic, facilitator, peer supporter, member, anonymous).


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Antenatal Clinic", slug="riverside")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Hillside Antenatal Clinic", slug="hillside")


@pytest.fixture
def coordinator(clinic):
    return StaffRoleFactory(
        clinic=clinic, role=Role.COORDINATOR, user__email="coord@example.nhs.uk"
    ).user


@pytest.fixture
def other_coordinator(other_clinic):
    return StaffRoleFactory(
        clinic=other_clinic, role=Role.COORDINATOR, user__email="other.coord@example.nhs.uk"
    ).user


@pytest.fixture
def facilitator(clinic):
    return StaffRoleFactory(
        clinic=clinic, role=Role.FACILITATOR, user__email="facil@example.nhs.uk"
    ).user


@pytest.fixture
def peer_supporter(clinic):
    return StaffRoleFactory(
        clinic=clinic, role=Role.PEER_SUPPORTER, user__email="peer@example.org"
    ).user


@pytest.fixture
def member(clinic):
    user = UserFactory(email="member@example.com", display_name="Sunflower")
    PatientFactory(organisation=clinic.organisation, user=user)
    return user


@pytest.fixture
def as_persona(request, client):
    """`as_persona("facilitator")` → a test client signed in as that persona (or anonymous)."""

    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@contextlib.contextmanager
def celery_on_broker(url: str):
    """Point the Celery app at a real Redis broker (tasks no longer run in-process) and back.

    Connection pools remember the broker URL they were made for, so they are dropped both ways:
    otherwise a task would be published to whichever broker an earlier test used.
    """
    from waitroom.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None
