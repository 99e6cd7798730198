"""Every CSV export is written by waitroom.csv_export, which keeps cells from running as
spreadsheet formulas."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from waitroom.csv_export import csv_text, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+2", "'  =1+2"),
        ("Chloe Bennett", "Chloe Bennett"),
        ("O'Brien", "O'Brien"),
        ("", ""),
        (None, ""),
        (-3, -3),
        (2.5, 2.5),
        (Decimal("-1.5"), Decimal("-1.5")),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(value, cell):
    assert spreadsheet_cell(value) == cell


def test_the_header_and_every_row_are_made_safe():
    text = csv_text(["=header"], [["=a", 1], ["b", "@c"]])
    assert list(csv.reader(io.StringIO(text))) == [["'=header"], ["'=a", "1"], ["b", "'@c"]]


# Writers that are not exports: the demo's sample appointment list is an import file made from
# fixed fictional data, and must stay exactly as the importer reads it ("+44..." mobiles).
NOT_EXPORTS = {"demo/samples.py"}


def test_no_module_writes_csv_on_its_own():
    """One writer for every export: only waitroom/csv_export.py may use csv.writer."""
    root = Path(__file__).resolve().parents[2]
    writers = [
        str(path.relative_to(root))
        for app in ("waitroom", "groups", "sessions", "resources", "demo")
        for path in (root / app).rglob("*.py")
        if "csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text()
    ]
    assert sorted(set(writers) - NOT_EXPORTS) == ["waitroom/csv_export.py"]
