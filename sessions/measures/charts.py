"""Drawing an SPC chart as SVG on the server, and the words for its icons.

`render_chart_svg(chart, title=..., unit=...)` returns one escaped, safe `<svg>` for a template:
the values joined by a line, each period's mean (solid) and process limits (dashed), the target
(dash-dot, if any) and rebase boundaries (dotted), with `role="img"`, a `<title>` and a `<desc>`
that says in words what the chart shows. It scales with its viewBox (the `spc-chart` class in
static/css/waitroom.css makes it fill its column, 320 px included) and prints in black and
white: special cause points differ by shape as well as colour (WCAG 1.4.1), and the blue and
orange of Making Data Count, which are under 3:1 against white, get a dark outline (WCAG 1.4.11).
The data as a table is the page's job (part B), beside the chart.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sessions.measures.spc import SpcChart, SpcPoint, day_label

# Making Data Count's colours, from the NHS identity palette.
IMPROVEMENT_BLUE = "#41B6E6"
CONCERN_ORANGE = "#ED8B00"
NEITHER_PURPLE = "#330072"
COMMON_GREY = "#768692"  # 3.7:1 against white
OUTLINE = "#212B32"  # NHS black: the outline that gives the light markers their contrast
LINE_GREY = "#AEB7BD"
LIMIT_GREY = "#4C6272"
TARGET_RED = "#D5281B"

WIDTH, HEIGHT = 400, 290
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 26, 214  # the plot area
FONT = 'font-family="Frutiger W01, Arial, sans-serif"'

VARIATION_LABELS = {
    "common_cause": "Common cause variation: no significant change",
    "special_cause_improvement": "Special cause variation: improving",
    "special_cause_concern": "Special cause variation: concerning",
    "special_cause_neither": "Special cause variation",
}
SIGNAL_WORDS = {"high": "higher", "low": "lower"}
ASSURANCE_LABELS = {
    "consistently_passing": "Consistently passing the target",
    "consistently_failing": "Consistently failing the target",
    "hit_and_miss": "Hit and miss: the target is within the process limits",
}
VARIATION_COLOURS = {
    "common_cause": COMMON_GREY,
    "special_cause_improvement": IMPROVEMENT_BLUE,
    "special_cause_concern": CONCERN_ORANGE,
    "special_cause_neither": NEITHER_PURPLE,
}
ASSURANCE_COLOURS = {
    "consistently_passing": IMPROVEMENT_BLUE,
    "consistently_failing": CONCERN_ORANGE,
    "hit_and_miss": COMMON_GREY,
}
ASSURANCE_LETTERS = {"consistently_passing": "P", "consistently_failing": "F", "hit_and_miss": "?"}
# Point markers: (what it means, the legend's words).
MARKER_WORDS = {
    None: "Common cause",
    "improvement": "Improvement",
    "concern": "Concern",
    "neither": "Special cause",
}


def variation_label(chart: SpcChart) -> str:
    """The variation icon's words, e.g. "Special cause variation: improving (higher)"."""
    label = VARIATION_LABELS[chart.variation]
    if chart.variation_signal:
        label += f" ({SIGNAL_WORDS[chart.variation_signal]})"
    return label


def assurance_label(chart: SpcChart) -> str:
    if chart.assurance:
        return ASSURANCE_LABELS[chart.assurance]
    if chart.target is None:
        return "No target set"
    return "No assurance: the measure has no better direction"


def figure(number: float) -> str:
    """A number as a chart label: at most three significant figures past the units, no
    trailing zeros (12, 12.5, 0.333, 1,250)."""
    if abs(number) < 1e-9 or not math.isfinite(number):
        return "0"  # also a tick that should be 0 but is 1e-17 after adding steps
    places = max(0, 2 - int(math.floor(math.log10(abs(number)))))
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if raw <= nice * power:
            return nice * power
    return 10 * power


class _Scale:
    """Dates and values to viewBox coordinates."""

    def __init__(self, chart: SpcChart):
        points = chart.points
        numbers = [n for p in points for n in (p.value, p.lower, p.upper)]
        if chart.target is not None:
            numbers.append(chart.target)
        low, high = min(numbers), max(numbers)
        if high - low < 1e-9:
            low, high = low - max(1, abs(low) * 0.1), high + max(1, abs(high) * 0.1)
        self.step = _nice_step(high - low)
        self.low = math.floor(low / self.step) * self.step
        self.high = math.ceil(high / self.step) * self.step
        self.first, self.last = points[0].x.toordinal(), points[-1].x.toordinal()
        # Half a step's room at each end, so the first and last markers are not cut.
        gap = (self.last - self.first) / max(1, len(points) - 1) if len(points) > 1 else 1
        self.pad = gap / 2

    def x(self, day: date | float) -> float:
        ordinal = day.toordinal() if isinstance(day, date) else day
        span = (self.last - self.first) + 2 * self.pad
        return round(LEFT + (ordinal - self.first + self.pad) / span * (WIDTH - LEFT - RIGHT), 2)

    def y(self, value: float) -> float:
        return round(BOTTOM - (value - self.low) / (self.high - self.low) * (BOTTOM - TOP), 2)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [round(self.low + i * self.step, 9) for i in range(count + 1)]


def _shape(kind: str | None, x: float, y: float) -> str:
    """Shape by meaning: circle common cause, square improvement, triangle concern, diamond
    special cause without a direction. Numbers only, so plain f-strings: this runs once a
    point, and format_html's escaping of every number was most of the drawing time."""
    if kind == "improvement":
        return (
            f'<rect x="{x - 4.5:.2f}" y="{y - 4.5:.2f}" width="9" height="9" '
            f'fill="{IMPROVEMENT_BLUE}" stroke="{OUTLINE}" stroke-width="1.5"/>'
        )
    if kind == "concern":
        return (
            f'<polygon points="{x:.2f},{y - 6:.2f} {x + 5.5:.2f},{y + 4:.2f} '
            f'{x - 5.5:.2f},{y + 4:.2f}" fill="{CONCERN_ORANGE}" stroke="{OUTLINE}" '
            'stroke-width="1.5"/>'
        )
    if kind == "neither":
        return (
            f'<polygon points="{x:.2f},{y - 6:.2f} {x + 6:.2f},{y:.2f} {x:.2f},{y + 6:.2f} '
            f'{x - 6:.2f},{y:.2f}" fill="{NEITHER_PURPLE}" stroke="{OUTLINE}" stroke-width="1"/>'
        )
    return f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3.5" fill="{COMMON_GREY}"/>'


def _marker(point: SpcPoint, x: float, y: float) -> str:
    label = escape(f"{day_label(point.x)}: {figure(point.value)}")
    return (
        f'<g class="spc-point" data-special-cause="{point.special_cause or "none"}">'
        f"<title>{label}</title>{_shape(point.special_cause, x, y)}</g>"
    )


def _periods(chart: SpcChart) -> list[list[SpcPoint]]:
    periods: list[list[SpcPoint]] = []
    for point in chart.points:
        if not periods or periods[-1][0].period != point.period:
            periods.append([])
        periods[-1].append(point)
    return periods


def _lines(chart: SpcChart, scale: _Scale) -> SafeString:
    """Each period's mean and limits across its own stretch of the chart; rebase boundaries
    halfway between the last point of one period and the first of the next."""
    parts = []
    periods = _periods(chart)
    for index, period in enumerate(periods):
        start = (
            (periods[index - 1][-1].x.toordinal() + period[0].x.toordinal()) / 2
            if index
            else scale.first - scale.pad
        )
        end = (
            (period[-1].x.toordinal() + periods[index + 1][0].x.toordinal()) / 2
            if index + 1 < len(periods)
            else scale.last + scale.pad
        )
        x1, x2 = scale.x(start), scale.x(end)
        first = period[0]
        parts.append(
            format_html(
                '<line class="spc-mean" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="1.5"/>',
                x1,
                x2,
                scale.y(first.mean),
                scale.y(first.mean),
                OUTLINE,
            )
        )
        for limit in (first.lower, first.upper):
            parts.append(
                format_html(
                    '<line class="spc-limit" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                    'stroke-width="1.5" stroke-dasharray="6 4"/>',
                    x1,
                    x2,
                    scale.y(limit),
                    scale.y(limit),
                    LIMIT_GREY,
                )
            )
        if index:
            parts.append(
                format_html(
                    '<line class="spc-rebase" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                    'stroke-width="1.5" stroke-dasharray="2 3"/>',
                    x1,
                    x1,
                    TOP,
                    BOTTOM,
                    OUTLINE,
                )
            )
    if chart.target is not None:
        parts.append(
            format_html(
                '<line class="spc-target" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="2" stroke-dasharray="10 3 2 3"/>',
                LEFT,
                WIDTH - RIGHT,
                scale.y(chart.target),
                scale.y(chart.target),
                TARGET_RED,
            )
        )
    return mark_safe("".join(parts))  # each part built by format_html


def _axes(chart: SpcChart, scale: _Scale, unit: str) -> SafeString:
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#D8DDE0"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#212B32">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, scale.y(t), scale.y(t), LEFT - 4, scale.y(t) + 4, figure(t))
            for t in scale.ticks()
        ),
    )
    first, last = chart.points[0].x, chart.points[-1].x
    dates = format_html(
        '<text x="{}" y="{}" font-size="13" fill="#212B32">{}</text>',
        LEFT,
        BOTTOM + 18,
        day_label(first),
    )
    if last != first:
        dates += format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#212B32">{}</text>',
            WIDTH - RIGHT,
            BOTTOM + 18,
            day_label(last),
        )
    heading = format_html('<text x="4" y="14" font-size="13" fill="#212B32">{}</text>', unit)
    return ticks + dates + heading


def _legend(chart: SpcChart) -> SafeString:
    """What the shapes and lines mean, for the kinds this chart has (printed charts keep it)."""
    kinds = [k for k in MARKER_WORDS if any(p.special_cause == k for p in chart.points)]
    keys = [(k, MARKER_WORDS[k]) for k in kinds]
    items = []
    x, y = LEFT, BOTTOM + 42
    for kind, words in keys:
        marker = mark_safe(_shape(kind, x + 5, y - 4))  # numbers and constants only
        items.append(
            format_html(
                '{}<text x="{}" y="{}" font-size="12" fill="#212B32">{}</text>',
                marker,
                x + 14,
                y,
                words,
            )
        )
        x += 24 + 8 * len(words)  # room for the words at 12 px in a wide sans-serif
    lines = [("Mean", OUTLINE, ""), ("Limits", LIMIT_GREY, "6 4")]
    if chart.target is not None:
        lines.append(("Target", TARGET_RED, "10 3 2 3"))
    if len(_periods(chart)) > 1:
        lines.append(("Rebased", OUTLINE, "2 3"))
    x, y = LEFT, BOTTOM + 64
    for words, colour, dashes in lines:
        items.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"{}/>'
                '<text x="{}" y="{}" font-size="12" fill="#212B32">{}</text>',
                x,
                x + 18,
                y - 4,
                y - 4,
                colour,
                format_html(' stroke-dasharray="{}"', dashes) if dashes else "",
                x + 22,
                y,
                words,
            )
        )
        x += 34 + 8 * len(words)
    return mark_safe('<g class="spc-legend">' + "".join(items) + "</g>")


def chart_description(chart: SpcChart, *, unit: str) -> str:
    """The chart in words: its span, the latest period's mean and limits, the latest value, the
    icons, how many points show special cause, rebases and warnings."""
    points = chart.points
    if not points:
        return "There are no points to chart yet."
    last = points[-1]
    count = len(points)
    words = [
        f"XmR chart of {count} point{'s' if count != 1 else ''} from {day_label(points[0].x)} to "
        f"{day_label(last.x)}, in {unit}."
    ]
    since = "" if len(_periods(chart)) == 1 else f"Since {day_label(_periods(chart)[-1][0].x)}, t"
    words.append(
        f"{since or 'T'}he mean is {figure(last.mean)}, with process limits {figure(last.lower)} "
        f"to {figure(last.upper)}. Latest value {figure(last.value)} on {day_label(last.x)}."
    )
    words.append(f"{variation_label(chart)}.")
    if chart.target is not None:
        words.append(f"Target {figure(chart.target)}. {assurance_label(chart)}.")
    special = [p.special_cause for p in points if p.special_cause]
    if special:
        kinds = ", ".join(
            f"{special.count(kind)} {MARKER_WORDS[kind].lower()}"
            for kind in ("improvement", "concern", "neither")
            if kind in special
        )
        verb = "shows" if len(special) == 1 else "show"
        words.append(f"{len(special)} of {count} points {verb} special cause variation ({kinds}).")
    else:
        words.append("No point shows special cause variation.")
    if chart.rebase_dates:
        words.append("Rebased on " + ", ".join(map(day_label, chart.rebase_dates)) + ".")
    words.extend(chart.warnings)
    return " ".join(words)


def render_chart_svg(chart: SpcChart, *, title: str, unit: str) -> SafeString:
    """The whole chart as one `<svg>`; `title` and `unit` are escaped."""
    digest = hashlib.sha256(
        repr((title, unit, [(p.x, p.value) for p in chart.points])).encode()
    ).hexdigest()[:10]
    ident = f"spc-{digest}"
    description = chart_description(chart, unit=unit)
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc" {}>'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<rect width="{}" height="{}" fill="#FFFFFF"/>',
        WIDTH,
        HEIGHT,
        ident,
        ident,
        mark_safe(FONT),  # a constant
        ident,
        title,
        ident,
        description,
        WIDTH,
        HEIGHT,
    )
    if not chart.points:
        body = format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="16" fill="#212B32">{}</text>',
            WIDTH / 2,
            HEIGHT / 2,
            "No data to chart yet",
        )
        return head + body + mark_safe("</svg>")
    scale = _Scale(chart)
    coordinates = [(scale.x(p.x), scale.y(p.value)) for p in chart.points]
    path = format_html(
        '<polyline class="spc-values" points="{}" fill="none" stroke="{}" stroke-width="1.5"/>',
        " ".join(f"{x},{y}" for x, y in coordinates),
        LINE_GREY,
    )
    markers = mark_safe(  # numbers, constants, and each label escaped in _marker
        "".join(_marker(p, x, y) for p, (x, y) in zip(chart.points, coordinates, strict=True))
    )
    return (
        head
        + _axes(chart, scale, unit)
        + _lines(chart, scale)
        + path
        + format_html('<g class="spc-points">{}</g>', markers)
        + _legend(chart)
        + mark_safe("</svg>")
    )
