"""Benchmark: booking-alignment proposals for a year of a large unit.

60,000 appointments over 52 weeks (Monday to Friday, 08:30 to 16:50, about nine in each
20-minute slot of twelve places), about 6,000 women with ten appointments each, 8 cohorts
of about 10% of the women each (some women in two), every cohort's day Tuesday or Thursday
mornings. Times the pure proposals
(sessions/alignment/proposals.py) for every cohort over the whole year, the work the alignment
page and the worklist do after their queries, and prints it. Not a test; no database.

    .venv/bin/python benchmarks/alignment.py [--appointments 60000] [--cohorts 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sessions.alignment.proposals import (  # noqa: E402
    BookingSlotRule,
    CohortAppointment,
    CohortDayRule,
    KindRule,
    propose_moves,
)
from sessions.presence import Margins  # noqa: E402

LONDON = ZoneInfo("Europe/London")
FIRST_DAY = dt.date(2031, 1, 6)  # a Monday
MARGINS = Margins(
    arrive_early=dt.timedelta(minutes=15),
    wait_after=dt.timedelta(minutes=45),
    opens_at=dt.time(8, 30),
    closes_at=dt.time(17, 30),
)
SLOTS = BookingSlotRule(slot_minutes=20, per_slot=12, first_minute=8 * 60 + 30)
RULES = [
    KindRule("Antenatal check"),
    KindRule("Growth scan", days_earlier=3, days_later=3),
    KindRule("28-week check", gestation_from=27 * 7, gestation_to=28 * 7 + 6),
    KindRule("Dating scan", movable=False, days_earlier=0, days_later=0),
]


def build(appointments: int, cohorts: int, seed: int = 12):
    rng = random.Random(seed)
    women = appointments // 10
    weekdays = [FIRST_DAY + dt.timedelta(days=d) for d in range(52 * 7) if d % 7 < 5]
    slot_starts = [8 * 60 + 30 + 20 * n for n in range(25)]
    booked: list[tuple[int, int, dt.datetime, KindRule, dt.date]] = []
    for woman in range(women):
        due = FIRST_DAY + dt.timedelta(days=rng.randrange(0, 400))
        for visit in range(10):
            day = rng.choice(weekdays)
            minutes = rng.choice(slot_starts)
            start = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=LONDON)
            booked.append((woman * 10 + visit, woman, start, RULES[visit % len(RULES)], due))
    members = [
        set(rng.sample(range(women), women // 10)) for _ in range(cohorts)
    ]  # ~10% each; overlaps happen
    counts: Counter = Counter()
    for _, _, start, _, _ in booked:
        counts[SLOTS.slot_of(start)] += 1
    return booked, members, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=60_000)
    parser.add_argument("--cohorts", type=int, default=8)
    args = parser.parse_args()
    booked, members, counts = build(args.appointments, args.cohorts)
    now = dt.datetime.combine(FIRST_DAY, dt.time(8), tzinfo=LONDON)
    started, cpu = time.perf_counter(), time.process_time()
    proposed = without = 0
    for n, cohort in enumerate(members):
        mine = [
            CohortAppointment(
                appointment_id=pk,
                patient_id=woman,
                start=start,
                type_name=rule.name,
                rule=rule,
                due_date=due,
            )
            for pk, woman, start, rule, due in booked
            if woman in cohort
        ]
        result = propose_moves(
            mine,
            cohort_day=CohortDayRule(weekday=1 + 2 * (n % 2), part="morning"),
            margins=MARGINS,
            slots=SLOTS,
            slot_counts=counts,
            now=now,
        )
        proposed += sum(1 for p in result if p.moves)
        without += sum(1 for p in result if not p.moves)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.appointments:,} appointments, {args.cohorts} cohorts, one year: "
        f"{proposed:,} moves proposed, {without:,} without a move, in {elapsed:.2f} s "
        f"({cpu:.2f} s of CPU; target < 5 s)"
    )


if __name__ == "__main__":
    main()
