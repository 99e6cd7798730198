"""CPU per request of the main pages, and each page's ratio to a bare Django view, in one run.

In-process (Django's test client through the whole middleware stack) against a real PostgreSQL
database of the benchmark's own, with production settings: DEBUG off, the cached template
loader, the manifest static storage (collectstatic into a temporary folder), the Redis cache.
Data: the demo (`demo_seed`) plus a generated busy day: 300 appointments on one clinic day, a
session whose run sheet lists 30 women, and the member's group with 50 posts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt7 REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python benchmarks/pages.py [--requests 60] [--keepdb]

The database is `<DATABASE_URL's name>_bench` (dropped and built again unless --keepdb), or
BENCH_DATABASE_URL. REDIS_URL must name a Redis database nothing else uses: the run empties it
(FLUSHDB). CPU is `time.process_time()` of this process over N requests after a warm-up: the
Python side (Django, psycopg2, templates); PostgreSQL's own work is in another process and shows
only in the wall-clock column. On a shared machine compare the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waitroom")
_parts = urlsplit(BASE_URL)
BENCH_URL = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(
    _parts._replace(path=_parts.path.rstrip("/") + "_bench")
)
if not os.environ.get("REDIS_URL"):
    sys.exit("Set REDIS_URL to a Redis database nothing else uses (the run empties it).")
# Production settings: every value the settings refuse to start without when DEBUG is off.
os.environ.update(
    DJANGO_SETTINGS_MODULE="waitroom.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SITE_URL="https://bench.example",
    DATABASE_URL=BENCH_URL,
    MESSAGE_CHANNEL="outbox",
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="waitroom-bench-static-"))
settings.STATIC_ROOT = STATIC_ROOT
# The demo's invitations are planned in-process, not queued to a worker nobody runs.
settings.CELERY_TASK_ALWAYS_EAGER = True
# This module is the URL conf: the site's URLs plus one bare view to compare against.
settings.ROOT_URLCONF = __name__
django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("waitroom.urls"))]

BUSY_APPOINTMENTS = 300
RUN_SHEET_WOMEN = 30
GROUP_POSTS = 50


def build_database(keep: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    name = connection.settings_dict["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"] or 5432,
        password=connection.settings_dict["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and not keep:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    return exists


def seed() -> dict:
    """The demo plus the busy day; returns the URLs and who opens each."""
    from django.utils import timezone

    from demo.seed import demo_seed
    from demo.spec import CLINIC
    from groups.models import CohortMembership, MembershipStatus, Post, Thread
    from sessions.invitations.models import Invitation, InvitationState
    from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
    from waitroom.models import Clinic, Role, StaffRole, User

    seeded = Appointment.objects.filter(source="bench").exists()
    # Seeding the demo again would re-plan the busy day's session: reuse what is there.
    clinic = Clinic.objects.get(slug=CLINIC["slug"]) if seeded else demo_seed().clinic
    coordinator = StaffRole.objects.filter(clinic=clinic, role=Role.COORDINATOR).first().user
    facilitator = User.objects.get(email="facilitator@waitroom.example")
    member = User.objects.get(email="member@waitroom.example")

    # The busy day: six weeks on (past the demo's three weeks), a weekday.
    day = clinic.today() + dt.timedelta(days=42)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    cohorts = list(clinic.cohorts.order_by("pk"))
    if not seeded:
        patients = Patient.objects.bulk_create(
            Patient(
                organisation=clinic.organisation,
                hospital_number=f"B{i:07d}",
                given_name=f"Bench{i}",
                family_name="Woman",
                preferred_name=f"Bee{i}" if i % 4 == 0 else "",
                mobile="07700900000",
                consent_sms=True,
                interpreter_needed=i % 9 == 0,
                preferred_language="pl" if i % 9 == 0 else "en",
            )
            for i in range(BUSY_APPOINTMENTS)
        )
        # The first 30 are the session's cohort and come just after it starts (the run sheet);
        # two in three of the rest are in one of the other cohorts (the clinic day's overlap).
        CohortMembership.objects.bulk_create(
            CohortMembership(
                cohort=cohorts[0] if i < RUN_SHEET_WOMEN else cohorts[1 + i % (len(cohorts) - 1)],
                patient=p,
                status=MembershipStatus.ACTIVE,
            )
            for i, p in enumerate(patients)
            if i < RUN_SHEET_WOMEN or i % 3
        )
        opening = dt.datetime.combine(day, dt.time(8, 30), tzinfo=clinic.zone)
        appointments = Appointment.objects.bulk_create(
            Appointment(
                source="bench",
                external_id=f"BENCH{i:05d}",
                patient=p,
                clinic=clinic,
                start=(
                    dt.datetime.combine(day, dt.time(10, 10 + (i % 5) * 5), tzinfo=clinic.zone)
                    if i < RUN_SHEET_WOMEN
                    else opening + dt.timedelta(minutes=(i * 10) % 510)
                ),
                duration_minutes=20,
                appointment_type="Antenatal check",
            )
            for i, p in enumerate(patients)
        )
        session = WaitingRoomSession.objects.create(
            clinic=clinic,
            cohort=cohorts[0],
            start=dt.datetime.combine(day, dt.time(10, 0), tzinfo=clinic.zone),
            end=dt.datetime.combine(day, dt.time(10, 45), tzinfo=clinic.zone),
            location="Bay 2, by the windows",
            capacity=40,
            status=SessionStatus.PUBLISHED,
        )
        session.facilitators.add(facilitator)
        Invitation.objects.bulk_create(
            Invitation(
                session=session,
                patient=a.patient,
                appointment=a,
                state=InvitationState.ACCEPTED,
            )
            for a in appointments[:RUN_SHEET_WOMEN]
        )
        # She has joined her first group online, and reads it.
        membership = (
            CohortMembership.objects.filter(patient=member.patient, status=MembershipStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        membership.group_joined_at = membership.guidelines_accepted_at = timezone.now()
        membership.save(update_fields=["group_joined_at", "guidelines_accepted_at"])
        threads = Thread.objects.bulk_create(
            Thread(cohort=membership.cohort, author=member, title=f"Question {i}")
            for i in range(GROUP_POSTS // 2)
        )
        Post.objects.bulk_create(
            Post(thread=t, author=member, body=f"Post {n} in thread {t.pk}: how was your week?")
            for t in threads
            for n in range(2)
        )
    day_start, day_end = clinic.day_bounds(day)
    session = WaitingRoomSession.objects.get(clinic=clinic, start__gte=day_start, start__lt=day_end)
    group = (
        CohortMembership.objects.filter(
            patient=member.patient, status=MembershipStatus.ACTIVE, group_joined_at__isnull=False
        )
        .order_by("pk")
        .first()
        .cohort
    )
    return {
        "member home": (member, reverse("member_home")),
        "coordinator home": (coordinator, reverse("coordinator_home")),
        "group page (50 posts)": (member, reverse("group_detail", args=[group.pk])),
        "run sheet (30 women)": (
            facilitator,
            reverse("run_sheet", kwargs={"clinic_slug": clinic.slug, "session_id": session.pk}),
        ),
        "clinic day (300 appointments)": (
            coordinator,
            reverse("clinic_day", kwargs={"clinic_slug": clinic.slug, "day": day}),
        ),
    }


# As a browser asks: compressed if the server compresses (the CPU of compressing counts).
HEADERS = {"accept-encoding": "gzip, deflate, br"}


def look(client, url: str, warm_up: int = 5) -> dict:
    """Warm the page up, then one request for its query count and sizes."""
    for _ in range(warm_up):
        response = client.get(url, secure=True, headers=HEADERS)
        assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        response = client.get(url, secure=True, headers=HEADERS)
    body = response.content
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    return {"queries": len(queries), "html_kb": len(raw) / 1024, "sent_kb": len(body) / 1024}


def timed_round(client, url: str, requests: int) -> tuple[float, list[float]]:
    """CPU seconds per request over `requests` requests, and each request's wall time."""
    walls = []
    cpu_started = time.process_time()
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, secure=True, headers=HEADERS)
        walls.append(time.perf_counter() - started)
    return (time.process_time() - cpu_started) / requests, walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="timed requests a page a round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, pages taken in turn")
    parser.add_argument("--keepdb", action="store_true", help="reuse the database if it exists")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page (a name's start)")
    args = parser.parse_args()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    existed = build_database(args.keepdb)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cache._cache.get_client(write=True).flushdb()
    if not existed:
        print("seeding the demo and the busy day…", flush=True)
    pages = seed()

    targets = {"bare view": (None, "/bench/bare/", args.requests * 20)}
    targets.update({name: (user, url, args.requests) for name, (user, url) in pages.items()})
    clients, results = {}, {}
    for name, (user, url, _) in targets.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
        results[name] = look(clients[name], url) | {"cpu": [], "walls": []}
    if args.profile:
        import cProfile
        import pstats

        name = next(n for n in targets if n.startswith(args.profile))
        profiler = cProfile.Profile(time.process_time)  # CPU, as measured
        profiler.runcall(timed_round, clients[name], targets[name][1], args.requests)
        # PROFILE_FILTER: a regular expression on "file:line(function)", e.g. our code only.
        only = os.environ.get("PROFILE_FILTER", "")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(only, 40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    # Pages in turn, several rounds: a burst of load from elsewhere on the machine spreads
    # over every page instead of landing on one; the best round of each is reported.
    for _ in range(args.rounds):
        for name, (_, url, requests) in targets.items():
            cpu, walls = timed_round(clients[name], url, requests)
            results[name]["cpu"].append(cpu)
            results[name]["walls"] += walls
    bare_cpu = min(results["bare view"]["cpu"])

    load = os.getloadavg()[0]
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load:.1f}, "
        f"best of {args.rounds} rounds of {args.requests} requests a page "
        f"(bare: {args.requests * 20}), database {connection.settings_dict['NAME']}"
    )
    print(
        f"{'page':32} {'CPU ms':>8} {'x bare':>7} {'wall ms':>8} {'queries':>7} "
        f"{'HTML KB':>8} {'sent KB':>8}"
    )
    for name, r in results.items():
        cpu = min(r["cpu"]) * 1000
        print(
            f"{name:32} {cpu:8.2f} {cpu / (bare_cpu * 1000):7.1f} "
            f"{statistics.median(r['walls']) * 1000:8.1f} {r['queries']:7d} "
            f"{r['html_kb']:8.1f} {r['sent_kb']:8.1f}"
        )


if __name__ == "__main__":
    main()
