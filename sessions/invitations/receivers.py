"""The invitations app's answers to what the apps below it announce (connected in apps.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .services import invitations_replan_for_patients


def replan_after_membership_change(*, patient_ids: Iterable[int], **kwargs: Any) -> None:
    """A new cohort member may fit sessions already published: re-plan them."""
    invitations_replan_for_patients(patient_ids=patient_ids)
