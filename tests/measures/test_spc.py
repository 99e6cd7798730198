"""The XmR engine (sessions/measures/spc.py) against figures worked out by hand, each rule at its
boundary, screening, rebasing, the icons and the edge cases. No database: the engine is pure."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from sessions.measures.spc import SpcChart, xmr

START = date(2025, 3, 3)  # a Monday


def weekly(values, start=START):
    return [(start + timedelta(weeks=i), v) for i, v in enumerate(values)]


def flagged(chart: SpcChart, rule: str) -> list[int]:
    return [i for i, point in enumerate(chart.points) if rule in point.rules]


def special(chart: SpcChart) -> list[int]:
    return [i for i, point in enumerate(chart.points) if point.special_cause]


# 12 weeks alternating around 12; worked out by hand in the first test.
REFERENCE = [10, 12, 10, 12, 14, 12, 14, 12, 10, 12, 14, 12]


def test_mean_and_limits_match_the_figures_worked_out_by_hand():
    """Worked by hand, not by the engine:
    sum = 10+12+10+12+14+12+14+12+10+12+14+12 = 144, mean = 144 / 12 = 12;
    moving ranges |12-10|, |10-12|, ... are eleven 2s: mean moving range = 22 / 11 = 2;
    screening drops ranges ≥ 3.267 × 2 = 6.534: none;
    limits = 12 ± 2.66 × 2 = 12 ± 5.32 → 6.68 and 17.32;
    the 2/3 lines are 12 ± 3.5467; no value reaches 15.55 or 8.45, no run of 7 on one side
    (12s sit on the mean and break runs), no 7 rising or falling: common cause throughout."""
    chart = xmr(weekly(REFERENCE), improvement="increase")

    assert [p.mean for p in chart.points] == pytest.approx([12] * 12)
    assert [p.lower for p in chart.points] == pytest.approx([6.68] * 12)
    assert [p.upper for p in chart.points] == pytest.approx([17.32] * 12)
    assert [p.period for p in chart.points] == [0] * 12
    assert special(chart) == []
    assert chart.variation == "common_cause"
    assert chart.warnings == ()  # 12 points is enough


def test_points_come_back_in_date_order_whatever_order_they_were_given():
    points = weekly(REFERENCE)
    chart = xmr(list(reversed(points)))
    assert [p.x for p in chart.points] == [x for x, _ in points]
    assert chart.points[0].upper == pytest.approx(17.32)


# Screening


def test_screening_leaves_out_a_huge_moving_range_before_the_limits_are_computed():
    """Ten values alternating 10, 11, then 10 and 35. By hand:
    sum = 5×10 + 5×11 + 10 + 35 = 150, mean = 12.5;
    moving ranges: ten 1s and |35-10| = 25, mean = 35 / 11 = 3.1818;
    screening: 25 ≥ 3.267 × 3.1818 = 10.395 is left out, mean moving range = 10 / 10 = 1,
    limits 12.5 ± 2.66 = 9.84 and 15.16;
    without screening: limits 12.5 ± 2.66 × 35/11 = 12.5 ± 8.4636 → 4.0364 and 20.9636."""
    values = [10, 11] * 5 + [10, 35]

    screened = xmr(weekly(values))
    unscreened = xmr(weekly(values), screen=False)

    assert (screened.points[0].lower, screened.points[0].upper) == pytest.approx((9.84, 15.16))
    assert (unscreened.points[0].lower, unscreened.points[0].upper) == pytest.approx(
        (12.5 - 2.66 * 35 / 11, 12.5 + 2.66 * 35 / 11)
    )
    assert unscreened.points[0].upper == pytest.approx(20.9636, abs=1e-4)
    assert flagged(screened, "outside_limits") == flagged(unscreened, "outside_limits") == [11]


def test_screening_keeps_a_moving_range_just_under_the_cut_off():
    """Eleven 2s and one range r: mean range (22 + r) / 12 (13 points). r is screened when
    r ≥ 3.267 × (22 + r) / 12, i.e. r ≥ 71.874 / 8.733 = 8.2302. r = 8 stays, r = 9 goes."""
    kept = [10, 12] * 6 + [20]  # last range 12 → 20 = 8
    dropped = [10, 12] * 6 + [21]  # last range 9
    assert xmr(weekly(kept)).points[0].upper == pytest.approx(
        xmr(weekly(kept), screen=False).points[0].upper
    )
    assert xmr(weekly(dropped)).points[0].upper != pytest.approx(
        xmr(weekly(dropped), screen=False).points[0].upper
    )


def test_a_moving_range_exactly_on_the_cut_off_is_screened_out():
    """Twelve values alternating 10, 11 (eleven ranges of 1), then 11 + r. r is on the cut-off
    when r = 3.267 × (11 + r) / 12, i.e. r = 35.937 / 8.733 = 4.1151."""
    on_cut_off = 35.937 / 8.733
    values = [10, 11] * 6
    on = xmr(weekly([*values, 11 + on_cut_off]))
    assert on.points[0].upper == pytest.approx(on.points[0].mean + 2.66)  # mean range 11/11
    under = xmr(weekly([*values, 11 + on_cut_off - 0.01]))
    assert under.points[0].upper == pytest.approx(
        under.points[0].mean + 2.66 * (11 + on_cut_off - 0.01) / 12
    )


# Rule: a point outside the limits


def test_a_point_exactly_on_the_limit_is_not_outside_it_and_one_just_beyond_is():
    """Eleven values 0, 2, 0, ..., 0 (sum 10, ten ranges of 2) and a last value x, without
    screening. x sits on the upper limit when x - (10 + x)/12 = 2.66 × (20 + x)/11, that is
    121x - 110 = 638.4 + 31.92x, x = 748.4 / 89.08 = 8.4014."""
    base = [0, 2] * 5 + [0]
    on_limit = 748.4 / 89.08
    chart = xmr(weekly([*base, on_limit]), screen=False)
    assert chart.points[-1].upper == pytest.approx(on_limit)
    assert "outside_limits" not in chart.points[-1].rules

    beyond = xmr(weekly([*base, on_limit + 0.01]), screen=False)
    assert "outside_limits" in beyond.points[-1].rules


def test_a_point_below_the_lower_limit_is_special_cause_concern_when_higher_is_better():
    chart = xmr(weekly([*REFERENCE, 12, 0]), improvement="increase")
    assert flagged(chart, "outside_limits") == [13]
    assert chart.points[13].special_cause == "concern"
    assert chart.points[13].signal == "low"
    assert chart.variation == "special_cause_concern"


# Rule: 7 in a row on one side of the mean (shift)

SHIFT_7 = [8, 12, 8, 12, 8, 12, 8, 11, 12, 11, 12, 11, 12, 11, 8, 12, 8, 12, 8, 12]
SHIFT_6 = [8, 12, 8, 12, 8, 12, 8, 11, 12, 11, 12, 11, 12, 8, 12, 8, 12, 8, 12]


def test_seven_points_in_a_row_above_the_mean_are_a_shift():
    """Mean = 208 / 20 = 10.4; 11 and 12 are above it, 8 below. Points 7 to 13 (11, 12, 11, 12,
    11, 12, 11) are seven in a row above; the 8s either side end the run."""
    chart = xmr(weekly(SHIFT_7), improvement="decrease")
    assert chart.points[0].mean == pytest.approx(10.4)
    assert flagged(chart, "shift") == list(range(7, 14))
    assert special(chart) == list(range(7, 14))
    assert {chart.points[i].special_cause for i in range(7, 14)} == {"concern"}


def test_six_points_in_a_row_above_the_mean_are_not_a_shift():
    chart = xmr(weekly(SHIFT_6), improvement="decrease")
    assert special(chart) == []


def test_a_point_on_the_mean_breaks_a_run():
    """Six 1s, six 3s and two 2s: sum 28, 14 points, mean exactly 2. The seven points
    3, 3, 3, 2, 3, 3, 3 are not seven on one side: the 2 is on the mean."""
    values = [1, 1, 1, 3, 3, 3, 2, 3, 3, 3, 1, 1, 1, 2]
    chart = xmr(weekly(values))
    assert chart.points[0].mean == pytest.approx(2)
    assert flagged(chart, "shift") == []


# Rule: 7 in a row increasing or decreasing (trend)

TREND_7 = [10, 12, 10, 12, 10, 12, 8, 9, 10, 11, 12, 13, 14, 10, 12, 10, 12, 10, 12]
TREND_6 = [10, 12, 10, 12, 10, 12, 8, 9, 10, 11, 12, 13, 10, 12, 10, 12, 10, 12]
TREND_TIE = [10, 12, 10, 12, 10, 12, 8, 9, 10, 10, 11, 12, 13, 10, 12, 10, 12, 10, 12]


def test_seven_points_each_higher_than_the_last_are_a_trend_in_the_direction_it_runs():
    """8, 9, ..., 14 (points 6 to 12): seven rising, six rises. Mean = 209 / 19 = 11, so 8, 9
    and 10 are below the mean; a trend's direction is where it runs, so they count as
    improvement when higher is better (ADR 0037)."""
    chart = xmr(weekly(TREND_7), improvement="increase")
    assert chart.points[0].mean == pytest.approx(11)
    assert flagged(chart, "trend") == list(range(6, 13))
    assert special(chart) == list(range(6, 13))
    assert {chart.points[i].special_cause for i in range(6, 13)} == {"improvement"}


def test_a_falling_trend_is_concern_when_higher_is_better():
    falling = [10, 12, 10, 12, 10, 12, 14, 13, 12, 11, 10, 9, 8, 12, 10, 12, 10, 12, 10]
    chart = xmr(weekly(falling), improvement="increase")
    assert flagged(chart, "trend") == list(range(6, 13))
    assert {chart.points[i].special_cause for i in range(6, 13)} == {"concern"}


def test_six_points_rising_are_not_a_trend():
    assert special(xmr(weekly(TREND_6), improvement="increase")) == []


def test_a_tie_breaks_a_trend():
    # 8, 9, 10, 10, 11, 12, 13: seven points, but two equal in the middle.
    assert special(xmr(weekly(TREND_TIE), improvement="increase")) == []


# Rule: 2 of 3 beyond two thirds of the way to a limit, same side

BASE = [9, 11] * 6


def test_two_of_three_points_beyond_two_thirds_of_the_way_to_a_limit_are_special_cause():
    """12 values alternating 9, 11, then 15, 10, 15, then 11 alternating values again: mean
    = 269 / 26 = 10.3462, limits 3.7494 and 16.9430 (engine), so the upper 2/3 line is
    10.3462 + 2/3 × 6.5968 = 14.744. The two 15s (points 12 and 14) are beyond it and within
    the limit: they are flagged, the 10 between them is not."""
    chart = xmr(weekly(BASE + [15, 10, 15] + BASE[:-1]), improvement="decrease")
    point = chart.points[0]
    assert point.mean + 2 / 3 * (point.upper - point.mean) == pytest.approx(14.744, abs=1e-3)
    assert flagged(chart, "outside_limits") == []
    assert flagged(chart, "two_in_three") == [12, 14]
    assert {chart.points[i].special_cause for i in (12, 14)} == {"concern"}


def test_two_of_four_points_beyond_the_line_are_not_two_of_three():
    chart = xmr(weekly(BASE + [15, 10, 10, 15] + BASE[:-1]), improvement="decrease")
    assert special(chart) == []


def test_two_points_beyond_the_line_on_opposite_sides_are_not_special_cause():
    chart = xmr(weekly(BASE + [15, 10, 5] + BASE[:-1]), improvement="decrease")
    assert special(chart) == []


# Rebasing


def test_a_rebase_recomputes_the_mean_and_limits_for_each_period():
    """Twelve weeks alternating 10, 12 (mean 11, mean range 2, limits 11 ± 5.32), then twelve
    alternating 20, 22 (mean 21, limits 21 ± 5.32). Without screening, the jump 12 → 20 (a
    range of 8) would raise the first chart's mean range to 52 / 23 if it crossed the rebase."""
    values = [10, 12] * 6 + [20, 22] * 6
    rebase_on = START + timedelta(weeks=12)

    chart = xmr(weekly(values), rebase=[rebase_on], screen=False)

    first, second = chart.points[0], chart.points[12]
    assert (first.period, second.period) == (0, 1)
    assert (first.mean, first.lower, first.upper) == pytest.approx((11, 5.68, 16.32))
    assert (second.mean, second.lower, second.upper) == pytest.approx((21, 15.68, 26.32))
    assert chart.rebase_dates == (rebase_on,)
    assert chart.warnings == ()
    assert special(chart) == []

    whole = xmr(weekly(values), screen=False)
    assert whole.points[0].upper == pytest.approx(16 + 2.66 * 52 / 23)
    assert special(whole) != []  # the step change shows as special cause without a rebase


def test_a_period_of_fewer_than_twelve_points_is_warned_about():
    chart = xmr(weekly(REFERENCE + REFERENCE[:8]), rebase=[START + timedelta(weeks=12)])
    assert chart.warnings == (
        "Period from 26 May 2025 has 8 points; limits need at least 12 to be reliable.",
    )
    chart = xmr(weekly(REFERENCE[:8] + REFERENCE), rebase=[START + timedelta(weeks=8)])
    assert chart.warnings == (
        "Period from 3 Mar 2025 has 8 points; limits need at least 12 to be reliable.",
    )


def test_eleven_points_are_warned_about_and_twelve_are_not():
    assert len(xmr(weekly(REFERENCE[:11])).warnings) == 1
    assert xmr(weekly(REFERENCE)).warnings == ()


def test_a_rebase_between_two_points_starts_the_period_at_the_next_point():
    chart = xmr(weekly(REFERENCE * 2), rebase=[START + timedelta(weeks=11, days=3)])
    assert [p.period for p in chart.points] == [0] * 12 + [1] * 12


def test_a_rebase_date_outside_the_data_is_ignored_with_a_warning():
    chart = xmr(weekly(REFERENCE), rebase=[date(2030, 1, 1), date(2020, 1, 1), START])
    assert {p.period for p in chart.points} == {0}
    assert chart.warnings == (
        "Rebase date 1 Jan 2020 is before the first point, so it was ignored.",
        "Rebase date 1 Jan 2030 is after the last point, so it was ignored.",
    )


def test_runs_do_not_cross_a_rebase():
    """Seven rising points, 8 to 14, with a rebase before the 12: three in one period, four in
    the next, so neither period holds a trend."""
    values = [10, 12] * 6 + [8, 9, 10] + [11, 12, 13, 14] + [12, 10] * 4
    rising = xmr(weekly(values))
    assert flagged(rising, "trend") == list(range(12, 19))
    rebased = xmr(weekly(values), rebase=[START + timedelta(weeks=15)])
    assert flagged(rebased, "trend") == []


# Icons: variation from the latest point, assurance from the latest period's limits


@pytest.mark.parametrize(
    ("improvement", "last", "variation", "signal"),
    [
        ("increase", 12, "common_cause", None),
        ("increase", 30, "special_cause_improvement", "high"),
        ("decrease", 30, "special_cause_concern", "high"),
        ("increase", -5, "special_cause_concern", "low"),
        ("decrease", -5, "special_cause_improvement", "low"),
        (None, 30, "special_cause_neither", "high"),
        (None, -5, "special_cause_neither", "low"),
    ],
)
def test_the_variation_icon_follows_the_latest_point(improvement, last, variation, signal):
    chart = xmr(weekly([*REFERENCE, last]), improvement=improvement)
    assert chart.variation == variation
    assert chart.variation_signal == signal


def test_special_cause_earlier_in_the_chart_does_not_set_the_variation_icon():
    chart = xmr(weekly([*REFERENCE[:6], 40, *REFERENCE[6:]]), improvement="increase")
    assert "outside_limits" in chart.points[6].rules
    assert chart.points[-1].special_cause is None
    assert chart.variation == "common_cause"


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        # Limits 6.68 and 17.32 (the hand-worked reference above).
        ("increase", 6, "consistently_passing"),
        ("increase", 18, "consistently_failing"),
        ("increase", 12, "hit_and_miss"),
        ("increase", 17.32, "hit_and_miss"),  # on a limit is within
        ("increase", 6.68, "hit_and_miss"),
        ("increase", 17.33, "consistently_failing"),
        ("decrease", 6, "consistently_failing"),
        ("decrease", 18, "consistently_passing"),
        ("decrease", 12, "hit_and_miss"),
        ("increase", None, None),
        (None, 6, None),  # no better side: no assurance
    ],
)
def test_the_assurance_icon_places_the_target_against_the_limits(improvement, target, assurance):
    chart = xmr(weekly(REFERENCE), improvement=improvement, target=target)
    assert chart.assurance == assurance


def test_assurance_uses_the_latest_periods_limits():
    values = [10, 12] * 6 + [20, 22] * 6  # limits 5.68-16.32, then 15.68-26.32
    rebase = [START + timedelta(weeks=12)]
    chart = xmr(weekly(values), improvement="increase", target=15, rebase=rebase)
    assert chart.assurance == "consistently_passing"
    assert xmr(weekly(values[:12]), improvement="increase", target=15).assurance == "hit_and_miss"


# Edge cases


def test_no_points_make_an_empty_common_cause_chart_with_a_warning():
    chart = xmr([], improvement="increase", target=5)
    assert chart.points == ()
    assert chart.variation == "common_cause"
    assert chart.assurance is None
    assert chart.warnings == ("There are no points to chart.",)


def test_one_point_has_its_limits_on_its_mean_and_no_rule():
    chart = xmr(weekly([7.5]))
    (point,) = chart.points
    assert (point.mean, point.lower, point.upper) == (7.5, 7.5, 7.5)
    assert point.rules == frozenset()
    assert chart.warnings == (
        "Period from 3 Mar 2025 has 1 point; limits need at least 12 to be reliable.",
    )


def test_all_equal_values_trigger_nothing():
    """Every value 4: mean 4, every range 0 (nothing to screen), limits 4 and 4. Each point is
    on the mean and on both limits: not outside, on neither side, and equal values never
    rise or fall."""
    chart = xmr(weekly([4] * 20), improvement="increase", target=4)
    assert {(p.mean, p.lower, p.upper) for p in chart.points} == {(4, 4, 4)}
    assert special(chart) == []
    assert chart.assurance == "hit_and_miss"


@pytest.mark.parametrize(
    ("points", "kwargs", "message"),
    [
        ([(START, 1), (START, 2)], {}, "There are two values on 3 Mar 2025."),
        ([(START, float("nan"))], {}, "The value on 3 Mar 2025 is not a number."),
        ([(START, 1)], {"improvement": "up"}, "improvement must be"),
        ([(START, 1)], {"target": float("inf")}, "The target must be a finite number."),
    ],
)
def test_it_refuses_input_it_cannot_chart(points, kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(points, **kwargs)


# A second, literal reading of the rules, written separately from the engine (windows tested
# one by one, exact integer arithmetic): both must flag the same points on many random series.


def literal_rules(values: list[int]) -> list[set[str]]:
    """The four rules for one period, read word for word, in exact arithmetic (Fractions), so
    that 2.66, 3.267 and 2/3 compare exactly."""
    from fractions import Fraction

    n = len(values)
    mean = Fraction(sum(values), n)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    average = Fraction(sum(ranges), len(ranges)) if ranges else Fraction(0)
    if average:
        kept = [r for r in ranges if r < Fraction("3.267") * average]
        average = Fraction(sum(kept), len(kept))
    spread = Fraction("2.66") * average
    near = Fraction(2, 3) * spread
    rules: list[set[str]] = [set() for _ in values]
    for i, v in enumerate(values):
        if v > mean + spread or v < mean - spread:
            rules[i].add("outside_limits")
    for start in range(n - 6):
        window = values[start : start + 7]
        if all(v > mean for v in window) or all(v < mean for v in window):
            for i in range(start, start + 7):
                rules[i].add("shift")
        pairs = list(zip(window, window[1:], strict=False))
        if all(b > a for a, b in pairs) or all(b < a for a, b in pairs):
            for i in range(start, start + 7):
                rules[i].add("trend")
    for start in range(n):
        window = range(start, min(start + 3, n))
        for beyond in (lambda v: v > mean + near, lambda v: v < mean - near):
            hits = [i for i in window if beyond(values[i])]
            if len(hits) >= 2:
                for i in hits:
                    rules[i].add("two_in_three")
    return rules


def random_series(seed: int) -> tuple[random.Random, list[int]]:
    """Small integers (many ties, many points on the mean), a step halfway, and in one series
    of three a run of six or seven rising or falling values somewhere."""
    rng = random.Random(seed)
    length = rng.randrange(1, 60)
    values = [rng.randrange(0, 6) + (4 if i > length // 2 else 0) for i in range(length)]
    if seed % 3 == 0 and length > 8:
        start, size, sign = rng.randrange(0, length - 7), rng.choice((6, 7)), rng.choice((1, -1))
        values[start : start + size] = [values[start] + sign * k for k in range(size)]
    return rng, values


@pytest.mark.parametrize("seed", range(60))
def test_the_engine_agrees_with_a_literal_reading_of_the_rules(seed):
    rng, values = random_series(seed)
    length = len(values)
    cut = rng.randrange(0, length) if length > 1 and seed % 2 else None
    rebase = [START + timedelta(weeks=cut)] if cut else []
    chart = xmr(weekly(values), rebase=rebase)

    periods = [values[:cut], values[cut:]] if cut else [values]
    expected = [rules for period in periods for rules in literal_rules(period)]
    assert [set(p.rules) for p in chart.points] == expected


def test_the_random_series_above_exercise_every_rule():
    seen = set()
    for seed in range(60):
        seen |= {rule for rules in literal_rules(random_series(seed)[1]) for rule in rules}
    assert seen == {"outside_limits", "shift", "trend", "two_in_three"}
