"""Every SPC chart of one clinic with five years of weekly data: compute and draw.

15 measures × (3 cohorts + overall) = 60 charts of 260 weekly points each, with one rebase a
year in, a step change after it and a target on every chart. Prints the seconds to compute
every chart with the engine (sessions/measures/spc.py), to draw every SVG
(sessions/measures/charts.py), and the SVGs' total size. Pure Python, no database: the
measures page adds its own reads (part B pins their query count).

    .venv/bin/python benchmarks/spc.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sessions.measures.charts import render_chart_svg  # noqa: E402
from sessions.measures.spc import xmr  # noqa: E402

MEASURES = 15
SERIES_PER_MEASURE = 4  # three cohorts and the clinic overall
WEEKS = 5 * 52
FIRST_WEEK = dt.date(2021, 1, 4)
REBASE = FIRST_WEEK + dt.timedelta(weeks=52)


def build(seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    series = []
    for measure in range(MEASURES):
        improvement = ("increase", "decrease")[measure % 2]
        for _ in range(SERIES_PER_MEASURE):
            level, spread = rng.uniform(20, 80), rng.uniform(2, 10)
            step = spread * (1.5 if improvement == "increase" else -1.5)
            points = [
                (
                    FIRST_WEEK + dt.timedelta(weeks=week),
                    rng.gauss(level + (step if week >= 52 else 0), spread),
                )
                for week in range(WEEKS)
            ]
            series.append(
                {"points": points, "improvement": improvement, "target": level + step / 2}
            )
    return series


def run_once(series: list[dict]) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    charts = [
        xmr(s["points"], improvement=s["improvement"], target=s["target"], rebase=[REBASE])
        for s in series
    ]
    computed = time.perf_counter()
    svgs = [render_chart_svg(chart, title="Measure", unit="score") for chart in charts]
    drawn = time.perf_counter()
    special = sum(1 for chart in charts for point in chart.points if point.special_cause)
    return computed - started, drawn - computed, sum(map(len, svgs)), special


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    series = build()
    runs = [run_once(series) for _ in range(repeat)]
    compute = statistics.median(r[0] for r in runs)
    draw = statistics.median(r[1] for r in runs)
    size, special = runs[0][2], runs[0][3]
    charts, points = len(series), len(series) * WEEKS
    print(f"{charts} charts of {WEEKS} weekly points ({points:,} points), median of {repeat} runs")
    print(f"compute every chart: {compute:.3f} s ({compute / charts * 1000:.1f} ms a chart)")
    print(f"draw every SVG:      {draw:.3f} s ({draw / charts * 1000:.1f} ms a chart)")
    print(f"total:               {compute + draw:.3f} s")
    print(f"SVG size: {size / 1024:,.0f} KiB in all; special-cause points: {special:,}")


if __name__ == "__main__":
    main()
