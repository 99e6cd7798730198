"""python manage.py spc PATH.csv: the engine's JSON from a CSV file, and its refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
# The hand-worked reference series of test_spc.py: mean 12, limits 6.68 and 17.32.
REFERENCE = [10, 12, 10, 12, 14, 12, 14, 12, 10, 12, 14, 12]
DATES = [f"2025-{month:02d}-01" for month in range(1, 13)]


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    return path


def reference_csv(tmp_path: Path, *, header: bool = True, extra: str = "") -> Path:
    rows = [f"{day},{value}" for day, value in zip(DATES, REFERENCE, strict=True)]
    return csv_file(tmp_path, ("date,value\n" if header else "") + "\n".join(rows) + "\n" + extra)


def spc(*args: str) -> dict:
    out = StringIO()
    call_command("spc", *args, stdout=out)
    return json.loads(out.getvalue())


def refused(*args: str) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("spc", *args, stdout=StringIO(), stderr=err)
    return error.value, err.getvalue()


def test_it_prints_each_point_with_its_mean_limits_and_rules(tmp_path):
    chart = spc(str(reference_csv(tmp_path)), "--improvement", "increase", "--target", "5")

    assert len(chart["points"]) == 12
    assert chart["points"][0] == {
        "date": "2025-01-01",
        "value": 10.0,
        "mean": 12.0,
        "lower": 6.68,
        "upper": 17.32,
        "rules": [],
        "special_cause": None,
        "period": 0,
    }
    assert chart["variation"] == "common_cause"
    assert chart["assurance"] == "consistently_passing"  # 5 is under the lower limit 6.68
    assert chart["warnings"] == []


def test_the_header_is_optional(tmp_path):
    with_header = spc(str(reference_csv(tmp_path)))
    without = spc(str(reference_csv(tmp_path, header=False)))
    assert with_header == without


def test_it_names_the_rules_a_point_triggers(tmp_path):
    path = reference_csv(tmp_path, extra="2026-01-01,40\n")
    chart = spc(str(path), "--improvement", "decrease")
    assert chart["points"][-1]["rules"] == ["outside_limits"]
    assert chart["points"][-1]["special_cause"] == "concern"
    assert chart["variation"] == "special_cause_concern"
    assert chart["variation_signal"] == "high"


def test_rebase_dates_and_no_screen_reach_the_engine(tmp_path):
    # The jump to 40 is a moving range the screening leaves out.
    path = reference_csv(tmp_path, extra="2026-01-01,40\n2026-02-01,12\n")
    screened, unscreened = spc(str(path)), spc(str(path), "--no-screen")
    assert screened["screened"] and not unscreened["screened"]
    assert unscreened["points"][0]["upper"] > screened["points"][0]["upper"]

    rebased = spc(str(path), "--rebase", "2025-07-01", "--rebase", "2026-01-01")
    assert [p["period"] for p in rebased["points"]] == [0] * 6 + [1] * 6 + [2] * 2
    assert rebased["warnings"] == [
        "Period from 1 Jan 2025 has 6 points; limits need at least 12 to be reliable.",
        "Period from 1 Jul 2025 has 6 points; limits need at least 12 to be reliable.",
        "Period from 1 Jan 2026 has 2 points; limits need at least 12 to be reliable.",
    ]


def test_it_reports_every_bad_row_with_its_number_and_charts_nothing(tmp_path):
    path = csv_file(
        tmp_path,
        "date,value\n"
        "2025-01-01,10\n"
        "2025-01-08,ten\n"
        "08/01/2025,3\n"
        "2025-01-01,11\n"
        "2025-01-15,12,13\n"
        "\n"
        "2025-01-22,nan\n",
    )
    error, stderr = refused(str(path))

    assert error.returncode == 2
    assert "5 problems" in str(error)
    assert stderr.splitlines() == [
        "Row 3: 'ten' is not a number.",
        "Row 4: '08/01/2025' is not a date; write it as YYYY-MM-DD.",
        "Row 5: 2025-01-01 is already on row 2.",
        "Row 6: expected 2 columns (date,value), found 3.",
        "Row 8: 'nan' is not a number.",
    ]


def test_it_refuses_an_empty_file_and_a_missing_one(tmp_path):
    error, stderr = refused(str(csv_file(tmp_path, "date,value\n\n")))
    assert error.returncode == 2
    assert stderr.strip() == "The file has no rows of data."

    error, _ = refused(str(tmp_path / "nowhere.csv"))
    assert error.returncode == 2
    assert "There is no file at" in str(error)


def test_run_from_the_shell_it_exits_with_status_2_and_says_which_row(tmp_path):
    path = csv_file(tmp_path, "2025-01-01,10\n2025-01-08,x\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "waitroom.settings_test"}

    done = subprocess.run(
        [sys.executable, "manage.py", "spc", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2
    assert "Row 2: 'x' is not a number." in done.stderr
    assert done.stdout == ""

    ok = subprocess.run(
        [sys.executable, "manage.py", "spc", str(reference_csv(tmp_path))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["points"][11]["upper"] == 17.32
