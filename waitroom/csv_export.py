"""The one way Waitroom writes CSV files: every export goes through `csv_response` (or
`csv_text`), so every cell is made safe for spreadsheet programs.

A cell starting with = + - @ (or a tab or carriage return) is run as a formula by Excel and
LibreOffice: `=HYPERLINK(...)` can leak data and DDE formulas can run programs. Such text gets
a leading apostrophe, shown by spreadsheets as plain text (OWASP's CSV injection advice).
Numbers are written as numbers: they cannot be formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def spreadsheet_cell(value: object) -> str | int | float | Decimal:
    """A value as a cell no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    # Leading spaces do not stop some spreadsheet programs from reading a formula.
    if text.lstrip(" ")[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def write_csv(out: _Writable, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spreadsheet_cell(value) for value in header)
    for row in rows:
        writer.writerow(spreadsheet_cell(value) for value in row)


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue()


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV download. Starts with a byte-order mark so spreadsheet programs read accented
    names correctly; never cached, as exports hold personal data. `filename` must name no
    person (clinic, cohort and dates only)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    write_csv(response, header, rows)
    return response
