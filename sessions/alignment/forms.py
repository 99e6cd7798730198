from __future__ import annotations

from django import forms

from groups.models import Cohort
from waitroom.models import Clinic

from .selectors import DEFAULT_WEEKS, MAX_WEEKS


class AlignmentForm(forms.Form):
    """Which cohort, over how many weeks: read from the query string."""

    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={
            "required": "Choose a cohort",
            "invalid_choice": "Choose a cohort that this clinic runs",
        },
    )
    weeks = forms.IntegerField(
        label="Number of weeks ahead",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=DEFAULT_WEEKS,
        help_text=f"From tomorrow, up to {MAX_WEEKS} weeks.",
        error_messages={
            "required": "Enter the number of weeks ahead",
            "invalid": "Enter the number of weeks as a whole number, like 4",
            "min_value": f"Enter a number of weeks from 1 to {MAX_WEEKS}",
            "max_value": f"Enter a number of weeks from 1 to {MAX_WEEKS}",
        },
    )

    def __init__(self, *args, clinic: Clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = clinic.cohorts.order_by("staff_name")

    @classmethod
    def from_query(cls, query, *, clinic: Clinic) -> AlignmentForm:
        """Bound once a cohort is chosen; before that, the empty form with its defaults."""
        if "cohort" not in query:
            return cls(clinic=clinic, initial={"weeks": DEFAULT_WEEKS})
        data = query.copy()
        if not data.get("weeks"):
            data["weeks"] = str(DEFAULT_WEEKS)
        return cls(data, clinic=clinic)
