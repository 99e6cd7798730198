"""The clinic-day page with 300 appointments: server time and query count.

Builds a throw-away test database (test_<DATABASE_URL's name>), seeds one clinic day of 300
appointments (women in 4 cohorts, some in two), then requests the page through Django's test
client and prints the median server time over the runs and the number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waitroom .venv/bin/python \
        benchmarks/clinic_day_page.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waitroom.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

APPOINTMENTS = 300
RUNS = 20
LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2030, 6, 4)


def seed():
    from tests.factories import (
        AppointmentFactory,
        ClinicFactory,
        CohortFactory,
        CohortMembershipFactory,
        PatientFactory,
        StaffRoleFactory,
    )
    from waitroom.models import Role

    clinic = ClinicFactory(slug="benchmark")
    coordinator = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR).user
    cohorts = [CohortFactory(clinics=[clinic]) for _ in range(4)]
    for i in range(APPOINTMENTS):
        patient = PatientFactory(organisation=clinic.organisation)
        if i % 3:
            CohortMembershipFactory(cohort=cohorts[i % 4], patient=patient)
        if i % 5 == 0:
            CohortMembershipFactory(cohort=cohorts[(i + 1) % 4], patient=patient)
        start = dt.datetime.combine(DAY, dt.time(8, 30), tzinfo=LONDON) + dt.timedelta(
            minutes=(i * 10) % 510
        )
        AppointmentFactory(patient=patient, clinic=clinic, start=start)
    return clinic, coordinator


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        clinic, coordinator = seed()
        client = Client()
        client.force_login(coordinator)
        url = reverse("clinic_day", kwargs={"clinic_slug": clinic.slug, "day": DAY})
        client.get(url, {"minutes": 45})  # warm up templates and connections
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, {"minutes": 45})
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        median = statistics.median(timings) * 1000
        print(
            f"clinic-day page, {APPOINTMENTS} appointments: median {median:.0f} ms, "
            f"best {min(timings) * 1000:.0f} ms over {RUNS} runs; {len(queries)} queries; "
            f"{len(response.content) // 1024} KiB of HTML"
        )
        if os.environ.get("SHOW_QUERIES"):
            for query in queries:
                print(" ", query["sql"][:110])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
