"""Fixtures the session tests share."""

import pytest

from tests.factories import CohortFactory


@pytest.fixture
def twins(clinic):
    """The clinic's twins cohort."""
    return CohortFactory(staff_name="Twins and multiples", clinics=[clinic])
