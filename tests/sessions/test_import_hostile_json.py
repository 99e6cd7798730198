"""Hostile FHIR Bundles: refused by their shape while they stream in, in bounded memory."""

from __future__ import annotations

import tracemalloc

import pytest

from sessions.imports.rows import ImportRefused
from sessions.models import Appointment, Patient

from .import_files import fhir_bundle, run_import

pytestmark = pytest.mark.django_db

HEAD = '{"resourceType":"Bundle","type":"collection",'
FOUR_HUNDRED_KB = 400 * 1024


def peak_bytes_while_importing(clinic, content: str) -> tuple[int, str]:
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refused:
            run_import(clinic, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, refused.value.message


def test_a_400_kb_bundle_of_nested_lists_is_refused_in_a_few_megabytes(clinic):
    depth = FOUR_HUNDRED_KB // 2
    content = HEAD + '"entry":' + "[" * depth + "]" * depth + "}"

    peak, message = peak_bytes_while_importing(clinic, content)

    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"
    assert "Entry 1 of the selected Bundle is not a FHIR entry" in message
    assert "Nothing was imported" in message
    assert not Appointment.objects.exists() and not Patient.objects.exists()


def test_deep_nesting_inside_an_entry_is_refused_by_depth_in_a_few_megabytes(clinic):
    depth = FOUR_HUNDRED_KB // 8
    content = (
        HEAD
        + '"entry":[{"resource":{"resourceType":"Appointment","extension":'
        + '[{"a":' * depth
        + "1"
        + "}]" * depth
        + "}}]}"
    )

    peak, message = peak_bytes_while_importing(clinic, content)

    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"
    assert "nested more than 20 levels deep" in message


def test_deep_nesting_outside_the_entries_is_refused_too(clinic):
    depth = 5000
    content = HEAD + '"meta":' + "[" * depth + "]" * depth + ',"entry":[]}'

    with pytest.raises(ImportRefused, match="nested more than"):
        run_import(clinic, content)


def test_an_entry_list_that_is_not_a_list_is_refused(clinic):
    with pytest.raises(ImportRefused, match="'entry' is not a list of entries"):
        run_import(clinic, HEAD + '"entry":{"resource":{}}}')


def test_an_entry_that_is_a_number_is_refused_with_its_number(clinic):
    bundle = fhir_bundle(1)[:-2] + ",7]}"  # two good entries, then 7

    with pytest.raises(ImportRefused, match="Entry 3 of the selected Bundle is not a FHIR entry"):
        run_import(clinic, bundle)


def test_a_bundle_nested_as_deep_as_real_ones_still_imports(clinic):
    report = run_import(clinic, fhir_bundle(3))

    assert report.created == 3
