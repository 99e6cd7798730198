"""python manage.py spc PATH.csv [--improvement increase|decrease] [--target X]
[--rebase DATE ...] [--no-screen]

Charts a CSV of `date,value` rows (header optional) with the app's SPC engine
(sessions/measures/spc.py, ADR 0037) and prints JSON: each point's date, value, mean, limits,
the rules it triggers and its special cause, then the chart's variation and assurance icons and
its warnings. Figures are rounded to 6 decimal places. Exit status: 0 when charted, 2 when the
input is refused (each bad row is printed with its row number and reason; nothing is charted).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions.measures.series_csv import SeriesRefused, series_from_csv
from sessions.measures.spc import IMPROVEMENTS, RULES, SpcChart, xmr

BAD_INPUT = 2


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD."
        ) from None


def chart_json(chart: SpcChart, *, screen: bool) -> dict:
    def figure(number: float) -> float:
        return round(number, 6)

    return {
        "points": [
            {
                "date": point.x.isoformat(),
                "value": figure(point.value),
                "mean": figure(point.mean),
                "lower": figure(point.lower),
                "upper": figure(point.upper),
                "rules": [rule for rule in RULES if rule in point.rules],
                "special_cause": point.special_cause,
                "period": point.period,
            }
            for point in chart.points
        ],
        "improvement": chart.improvement,
        "target": chart.target,
        "screened": screen,
        "variation": chart.variation,
        "variation_signal": chart.variation_signal,
        "assurance": chart.assurance,
        "warnings": list(chart.warnings),
    }


class Command(BaseCommand):
    help = "Print the XmR (SPC) chart of a CSV of date,value rows as JSON."
    # Pure arithmetic on a file: no database, so no need for the project's system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV file of date,value rows.")
        parser.add_argument(
            "--improvement", choices=IMPROVEMENTS, help="Which way is better (default: neither)."
        )
        parser.add_argument("--target", type=float, help="Target, for the assurance icon.")
        parser.add_argument(
            "--rebase",
            type=_iso_date,
            nargs="+",
            action="extend",
            default=[],
            metavar="DATE",
            help="Dates (YYYY-MM-DD) that start a new period with its own limits.",
        )
        parser.add_argument(
            "--no-screen",
            dest="screen",
            action="store_false",
            help="Keep very large moving ranges when computing the limits.",
        )

    def handle(self, *args, path: Path, improvement, target, rebase, screen, **options) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.", returncode=BAD_INPUT)
        try:
            with path.open(encoding="utf-8-sig", newline="") as lines:
                series = series_from_csv(lines)
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not a UTF-8 text file.", returncode=BAD_INPUT) from None
        except SeriesRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            count = len(refused.problems)
            raise CommandError(
                f"{count} problem{'' if count == 1 else 's'} in {path}; nothing was charted.",
                returncode=BAD_INPUT,
            ) from None
        try:
            chart = xmr(
                series, improvement=improvement, target=target, rebase=rebase, screen=screen
            )
        except ValueError as refused:
            raise CommandError(str(refused), returncode=BAD_INPUT) from None
        self.stdout.write(json.dumps(chart_json(chart, screen=screen), indent=2))
