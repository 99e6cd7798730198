"""The demo's clinic lists (the `sessions` app's appointments): three weeks of weekday
morning and afternoon lists, each cohort's women often on its consultant's list."""

from __future__ import annotations

import datetime as dt
import random

from sessions.models import Appointment, AppointmentStatus, Patient
from waitroom.models import Clinic

from .rows import remove_stale, sync_rows
from .spec import (
    AFTERNOON,
    APPOINTMENT_SOURCE,
    APPOINTMENT_TYPES,
    COHORTS,
    DAYS_AHEAD,
    MEMBER_COHORTS,
    MORNING,
)


def clinic_days(today: dt.date) -> list[dt.date]:
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


def seed_appointments(
    clinic: Clinic,
    patients: list[Patient],
    in_cohort: dict[str, set[int]],
    *,
    today: dt.date,
    rng: random.Random,
) -> list[Appointment]:
    zone = clinic.zone
    days = clinic_days(today)
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
    kept = sync_rows(Appointment, rows, key=("source", "external_id"), existing=existing)
    # Future demo slots that today's run no longer books go; past ones stay as history.
    remove_stale(
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
