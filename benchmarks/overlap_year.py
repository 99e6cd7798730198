"""Overlap suggestions for a year of a large unit: about 60,000 appointments, 6,000 births.

Prints total seconds to compute, for every clinic day of the year and every cohort, the women's
presences and the best windows for each offered session length (30, 45 and 60 minutes). Pure
Python, no database: it measures the sweep (sessions/scheduling/overlap.py, presence in
sessions/presence.py), which is what grows with the size of the unit; the page's database reads
are measured by clinic_day_page.py.

    .venv/bin/python benchmarks/overlap_year.py
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sessions.scheduling.overlap import Margins, Visit, clinic_day_overlap  # noqa: E402

LONDON = ZoneInfo("Europe/London")
BIRTHS = 6_000
APPOINTMENTS_PER_PREGNANCY = 10  # NICE schedule: 10 for a first baby, 7 after; ~60,000 in all
COHORTS = 8
LENGTHS = (30, 45, 60)
MARGINS = Margins(
    arrive_early=dt.timedelta(minutes=15),
    wait_after=dt.timedelta(minutes=20),
    opens_at=dt.time(8, 30),
    closes_at=dt.time(17, 30),
)


def clinic_days(year: int) -> list[dt.date]:
    day, days = dt.date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build(seed: int = 2026) -> dict[dt.date, dict[int, list[Visit]]]:
    rng = random.Random(seed)
    days = clinic_days(2026)
    by_day: dict[dt.date, dict[int, list[Visit]]] = defaultdict(lambda: defaultdict(list))
    count = 0
    for patient_id in range(BIRTHS):
        # About a third of women belong to a cohort, some to two.
        cohorts = rng.sample(range(COHORTS), k=rng.choice([0, 0, 0, 0, 1, 1, 2]))
        for _ in range(APPOINTMENTS_PER_PREGNANCY):
            day = rng.choice(days)
            minutes = rng.randrange(0, 8 * 60 + 30, 10)  # slots from 08:30 to 17:00
            start = dt.datetime.combine(day, dt.time(8, 30), tzinfo=LONDON) + dt.timedelta(
                minutes=minutes
            )
            count += 1
            for cohort in cohorts:
                by_day[day][cohort].append(Visit(patient_id, start, 20))
    print(f"{count:,} appointments, {BIRTHS:,} births, {len(days)} clinic days, {COHORTS} cohorts")
    return by_day


def main() -> None:
    by_day = build()
    started = time.perf_counter()
    windows = 0
    for day, cohorts in by_day.items():
        for minutes in LENGTHS:
            result = clinic_day_overlap(cohorts, margins=MARGINS, day=day, minutes=minutes)
            windows += sum(len(c.windows) for c in result.values())
    elapsed = time.perf_counter() - started
    runs = len(by_day) * len(LENGTHS)
    print(
        f"{elapsed:.2f} s for all days' suggestions ({runs} day × length runs, "
        f"{windows:,} windows; {elapsed / runs * 1000:.1f} ms per clinic day and length)"
    )


if __name__ == "__main__":
    main()
