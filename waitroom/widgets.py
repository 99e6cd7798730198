"""Widgets the NHS.UK template pack (templates/nhsuk/) knows how to draw.

The NHS.UK date input asks for a date as three boxes (day, month, year), because people know
dates as numbers and a calendar picker is hard to use on a phone and with a screen reader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

DATE_PARTS = ("day", "month", "year")


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes that hand a plain `forms.DateField` one "YYYY-M-D" string.

    Because `value_from_datadict` joins the boxes into one ISO-style string, any DateField (or
    `NHSDateField` below) validates it the usual way, and a half-typed date ("2026--3") comes
    back to the page exactly as it was typed, with the field's own "invalid" message.

    The boxes are named `<field>_day`, `<field>_month`, `<field>_year`; their ids are
    `id_<field>_0`, `_1` and `_2`, so an error summary links to the day box.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__({part: forms.TextInput(attrs=box) for part in DATE_PARTS}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name: str) -> str | None:
        day, month, year = ((data.get(f"{name}_{part}") or "").strip() for part in DATE_PARTS)
        if not (day or month or year):
            return None
        return f"{year}-{month}-{day}"


class NHSDateField(forms.DateField):
    """A DateField drawn as NHS.UK day, month and year boxes."""

    widget = NHSDateInput
    default_error_messages = {"invalid": "Enter a real date, like 27 3 2026"}
