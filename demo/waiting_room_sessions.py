"""The demo's waiting-room sessions (the `sessions` app): two per cohort, placed where most of
its women are already in clinic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from groups.models import Cohort
from sessions.models import Appointment, AppointmentStatus, Patient, SessionStatus, WaitingAreaPlace
from sessions.models import WaitingRoomSession as Session
from waitroom.models import Clinic, User

from .rows import remove_stale
from .spec import (
    AFTERNOON,
    COHORTS,
    LOCATIONS,
    MEMBER_COHORTS,
    MORNING,
    PEER_SUPPORTER_COHORTS,
    SESSION_MINUTES,
)


def seed_sessions(
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
    remove_stale(
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
