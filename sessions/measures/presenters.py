"""Words and rows for the measures pages: what a chart shows in a sentence (its text
alternative), the icons' meanings, and the CSV file's rows. Display only, no database."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.formats import date_format

from .catalogue import SMALL_NUMBER_LIMIT
from .selectors import TOO_FEW, MeasureSeries, ShownPoint
from .spc import SpcPoint

VARIATION_WORDS = {
    "common_cause": "Common cause variation: no sign of change",
    "special_cause_improvement": "Special cause variation: improving",
    "special_cause_concern": "Special cause variation: getting worse",
    "special_cause_neither": "Special cause variation: a change, neither better nor worse",
}
ASSURANCE_WORDS = {
    "consistently_passing": "Will consistently meet the target",
    "consistently_failing": "Will consistently miss the target",
    "hit_and_miss": "Will sometimes meet the target and sometimes miss it",
    None: "No target set",
}
RULE_WORDS = {
    "outside_limits": "outside the limits",
    "shift": "7 or more in a row on one side of the centre line",
    "trend": "7 or more in a row going up or going down",
    "two_in_three": "2 of 3 close to a limit",
}
CSV_HEADER = [
    "Period starting",
    "Value",
    "Unit",
    "Women or answers",
    "Note",
    "Centre line",
    "Lower limit",
    "Upper limit",
    "Special cause",
]


def view_query(cohort, period: str) -> str:
    """The query string that keeps the chosen group and period on links between the pages."""
    return "?" + urlencode({"cohort": cohort.pk if cohort else "", "period": period})


def number(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


def day(value) -> str:
    return date_format(value, "j M Y")


def chart_summary(series: MeasureSeries) -> list[str]:
    """Sentences that say what the chart shows, for the text alternative under it."""
    measure, points, chart = series.measure, series.points, series.chart
    unit = f" {measure.unit}" if measure.unit != "%" else "%"
    period_word = series.period
    sentences = []
    shown = series.charted
    too_few = sum(1 for p in points if p.suppressed)
    if not points:
        return ["There is nothing to show yet."]
    sentences.append(
        f"{len(points)} {period_word}s from {day(points[0].start)}: "
        f"{len(shown)} with a value" + (f", {too_few} with {TOO_FEW}" if too_few else "") + "."
    )
    if chart is None or not chart.points:
        sentences.append("A chart needs at least 2 values.")
        return sentences
    last = chart.points[-1]
    sentences.append(
        f"Latest, {period_word} of {day(last.x)}: {number(last.value)}{unit}. "
        f"Centre line {number(last.mean)}{unit}, limits {number(last.lower)} to "
        f"{number(last.upper)}{unit}."
    )
    sentences.append(VARIATION_WORDS.get(chart.variation, chart.variation) + ".")
    if measure.target is not None:
        sentences.append(
            f"Target {number(measure.target)}{unit}: " + ASSURANCE_WORDS[chart.assurance] + "."
        )
    special = [p for p in chart.points if p.special_cause]
    if special:
        sentences.append(
            f"{len(special)} point{'s' if len(special) != 1 else ''} show special cause variation."
        )
    if series.rebases:
        sentences.append(
            "Limits start again from " + ", ".join(day(d) for d in series.rebases) + "."
        )
    sentences.extend(chart.warnings)
    return sentences


def csv_rows(series: MeasureSeries):
    """One row a period. A suppressed value and its count are left out: only the note stays."""
    for row in data_rows(series):
        point, spc = row.point, row.spc
        yield [
            point.start.isoformat(),
            "" if point.value is None else point.value,
            series.measure.unit,
            f"fewer than {SMALL_NUMBER_LIMIT}" if point.suppressed else point.n,
            point.note,
            "" if spc is None else round(spc.mean, 2),
            "" if spc is None else round(spc.lower, 2),
            "" if spc is None else round(spc.upper, 2),
            (spc.special_cause or "") if spc else "",
        ]


@dataclass(frozen=True)
class DataRow:
    point: ShownPoint
    spc: SpcPoint | None


def data_rows(series: MeasureSeries) -> list[DataRow]:
    """The data table: every period, with its centre line, limits and signal where charted."""
    by_date = {p.x: p for p in (series.chart.points if series.chart else ())}
    return [DataRow(point, by_date.get(point.start)) for point in series.points]
