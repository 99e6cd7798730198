"""The appointment types a clinic starts from, after the NICE antenatal schedule.

NICE guideline NG201, Antenatal care (2021), recommendations 1.2.x and its schedule of
appointments: a booking appointment by 10+0 weeks; a dating scan at 11+2 to 14+1 weeks; the
fetal anomaly scan at 18+0 to 20+6 weeks; then appointments at 16, 25 (first pregnancy), 28, 31
(first pregnancy), 34, 36, 38, 40 (first pregnancy) and 41 weeks.
https://www.nice.org.uk/guidance/ng201

Waitroom's defaults (docs/adr/0040): a scan or check with a screening window in NG201 may move
only within that window; a "N-week" appointment may move a week either way within N-1+0 to
N+6 (the issue's example: a 28-week check stays within 27+0 to 28+6); the booking appointment,
the dating scan and the 40- and 41-week appointments (induction and membrane-sweep decisions)
never move. Coordinators change all of this per clinic in the app.
"""

from __future__ import annotations

from dataclasses import dataclass


def weeks(w: int, d: int = 0) -> int:
    return w * 7 + d


@dataclass(frozen=True)
class DefaultKind:
    name: str
    import_names: tuple[str, ...] = ()
    movable: bool = True
    days_earlier: int = 7
    days_later: int = 7
    gestation_from: int | None = None
    gestation_to: int | None = None


def _week_check(n: int) -> DefaultKind:
    return DefaultKind(
        name=f"{n}-week check",
        import_names=(f"{n} week check", f"{n} week appointment", f"{n}-week appointment"),
        gestation_from=weeks(n - 1),
        gestation_to=weeks(n, 6),
    )


NICE_DEFAULTS: tuple[DefaultKind, ...] = (
    DefaultKind(
        "Booking appointment",
        ("Booking", "Booking visit"),
        movable=False,
        days_earlier=0,
        days_later=0,
    ),
    DefaultKind(
        "Dating scan",
        ("Dating ultrasound", "12 week scan"),
        movable=False,
        days_earlier=0,
        days_later=0,
        gestation_from=weeks(11, 2),
        gestation_to=weeks(14, 1),
    ),
    _week_check(16),
    DefaultKind(
        "Anomaly scan",
        ("20 week scan", "Fetal anomaly scan", "Mid-pregnancy scan"),
        gestation_from=weeks(18),
        gestation_to=weeks(20, 6),
    ),
    _week_check(25),
    _week_check(28),
    _week_check(31),
    _week_check(34),
    _week_check(36),
    _week_check(38),
    DefaultKind(
        "40-week check",
        ("40 week check", "40 week appointment"),
        movable=False,
        days_earlier=0,
        days_later=0,
    ),
    DefaultKind(
        "41-week check",
        ("41 week check", "41 week appointment"),
        movable=False,
        days_earlier=0,
        days_later=0,
    ),
    # Not in NG201's routine schedule but on every list: serial growth scans (twins, a raised
    # BMI) move a few days at most, and a routine midwife check a week.
    DefaultKind("Growth scan", ("Growth ultrasound",), days_earlier=3, days_later=3),
    DefaultKind(
        "Antenatal check",
        ("Antenatal check with midwife", "Routine antenatal check", "Midwife appointment"),
    ),
)
