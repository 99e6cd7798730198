"""scripts/lint_model_usage.py, which `make lint` runs: a views module that reads a model's
manager or fetches with get_object_or_404 fails; selectors may; the project itself passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "lint_model_usage.py"


def lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


BAD_VIEW = """\
from django.shortcuts import get_object_or_404

from .models import Note, Patient


def note_view(request, clinic, note_id, patient_id):
    patient = Patient.objects.get(pk=patient_id)
    note = get_object_or_404(Note, pk=note_id)
    also = Note._default_manager.first()
    return patient, note, also
"""


@pytest.mark.parametrize(
    "module", ["app/views.py", "app/staff_views.py", "app/views/notes.py", "app/views/__init__.py"]
)
def test_a_views_module_reading_a_model_manager_fails_and_names_each_line(tmp_path, module):
    result = lint(write(tmp_path / module, BAD_VIEW).parent)

    assert result.returncode == 1
    assert "views" in result.stdout
    for line, what in ((7, "Patient.objects"), (8, "get_object_or_404"), (9, "_default_manager")):
        assert f":{line}:" in result.stdout and what in result.stdout, result.stdout
    assert "3 direct model use(s)" in result.stdout


def test_selectors_and_services_may_use_managers_and_views_that_call_selectors_pass(tmp_path):
    write(tmp_path / "app/selectors.py", BAD_VIEW)
    write(tmp_path / "app/services.py", BAD_VIEW)
    write(
        tmp_path / "app/views.py",
        "from .selectors import note_for_clinic\n\n\n"
        "def note_view(request, clinic, note_id):\n"
        "    return note_for_clinic(clinic, note_id)\n",
    )

    result = lint(tmp_path)

    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_tests_and_migrations_are_not_linted(tmp_path):
    write(tmp_path / "tests/views.py", BAD_VIEW)
    write(tmp_path / "app/migrations/views.py", BAD_VIEW)

    assert lint(tmp_path).returncode == 0


def test_the_projects_views_fetch_records_only_through_selectors():
    result = lint()

    assert result.returncode == 0, result.stdout
