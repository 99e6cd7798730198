"""Reading a measure's series from a CSV file of `date,value` rows: the input of
`manage.py spc`. Pure, no Django. Every bad row is reported with its row number and reason, and
nothing is charted from a file with a bad row (a silently dropped week would change the limits).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row's number in the file, counting from 1 (a header is row 1); 0: the file
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}" if self.row else self.reason


class SeriesRefused(ValueError):
    """The file has rows that cannot be read; `problems` says which and why."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _as_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def series_from_csv(lines: Iterable[str]) -> list[tuple[date, float]]:
    """(date, value) for each row, in file order. A first row whose cells are neither a date
    nor a number is a header and skipped; blank rows are skipped. Raises SeriesRefused."""
    series: list[tuple[date, float]] = []
    problems: list[RowProblem] = []
    seen: dict[date, int] = {}
    first = True
    for number, cells in enumerate(csv.reader(lines), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if first:
            first = False
            if len(cells) == 2 and _as_date(cells[0]) is None and _as_number(cells[1]) is None:
                continue  # a header such as "date,value"
        if len(cells) != 2:
            problems.append(
                RowProblem(number, f"expected 2 columns (date,value), found {len(cells)}.")
            )
            continue
        day, value = _as_date(cells[0]), _as_number(cells[1])
        if day is None:
            problems.append(
                RowProblem(number, f"'{cells[0]}' is not a date; write it as YYYY-MM-DD.")
            )
        elif day in seen:
            problems.append(RowProblem(number, f"{day} is already on row {seen[day]}."))
        if value is None:
            problems.append(RowProblem(number, f"'{cells[1]}' is not a number."))
        if day is not None and day not in seen and value is not None:
            seen[day] = number
            series.append((day, value))
    if problems:
        raise SeriesRefused(problems)
    if not series:
        raise SeriesRefused([RowProblem(0, "The file has no rows of data.")])
    return series
