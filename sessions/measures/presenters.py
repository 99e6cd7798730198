"""Words and rows for the measures pages: what a chart shows in words (its text alternative),
the data table's rows and the CSV file's rows. Display only, no database."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.formats import date_format

from .catalogue import SMALL_NUMBER_LIMIT
from .charts import chart_description
from .selectors import TOO_FEW, MeasureSeries, ShownPoint
from .spc import SpcPoint

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
    """What the chart shows, in words, for the text under it: how many periods had a value or
    too few answers, then the chart's own description (charts.chart_description)."""
    points = series.points
    if not points:
        return ["There is nothing to show yet."]
    too_few = sum(1 for p in points if p.suppressed)
    sentences = [
        f"{len(points)} {series.period}s from {day(points[0].start)}: "
        f"{len(series.charted)} with a value"
        + (f", {too_few} with {TOO_FEW}" if too_few else "")
        + "."
    ]
    if series.chart is None:
        sentences.append("A chart needs at least 2 values.")
    else:
        sentences.append(chart_description(series.chart, unit=series.measure.unit))
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
