"""The measures pages' forms: which view of the measures, and a rebase date."""

from __future__ import annotations

from django import forms

from sessions.periods import PERIODS, Period
from waitroom.forms import radio_choice
from waitroom.widgets import NHSDateField

from .catalogue import all_measures


class CohortChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.staff_name


class MeasuresViewForm(forms.Form):
    """Which women and how often (a GET form: the page works without JavaScript)."""

    cohort = CohortChoice(
        label="Group",
        queryset=None,
        required=False,
        empty_label="All groups",
        error_messages={"invalid_choice": "Choose a group this clinic runs"},
    )
    period = radio_choice(
        label="Show each",
        choices=[("week", "Week"), ("month", "Month")],
        required="Choose week or month",
    )

    def __init__(self, *args, cohorts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts

    def view(self):
        """(cohort or None, period): what was asked for when valid, else all groups by week."""
        if self.is_bound and self.is_valid():
            period: Period = self.cleaned_data["period"]
            return self.cleaned_data["cohort"], period
        return None, PERIODS[0]


class RebaseForm(forms.Form):
    measure = forms.ChoiceField(
        label="Which chart",
        # Read when the form is made: questionnaires loaded later have charts too.
        choices=lambda: [("", "Every chart"), *((m.slug, m.title) for m in all_measures())],
        required=False,
    )
    starts_on = NHSDateField(
        label="Date the change started",
        help_text="Points from this date get a new centre line and limits. For example, 3 3 2026",
        error_messages={"required": "Enter the date the change started"},
    )
    reason = forms.CharField(
        label="What changed",
        help_text="For example, “Peer support sessions started”",
        max_length=200,
        error_messages={
            "required": "Enter what changed",
            "max_length": "What changed must be 200 characters or fewer",
        },
    )
