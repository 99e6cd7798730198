"""The library's search form (a GET form) and the review form."""

from __future__ import annotations

from django import forms

from waitroom.widgets import NHSDateField

from .models import Resource


class CohortChoice(forms.ModelChoiceField):
    def __init__(self, *args, public_names: bool, **kwargs) -> None:
        self.public_names = public_names
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        # Peer supporters see the neutral public name: the staff name is a clinical flag.
        return obj.public_name if self.public_names else obj.staff_name


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    cohort = forms.ModelChoiceField(
        label="Group", queryset=None, required=False, empty_label="Any group"
    )
    kind = forms.ChoiceField(label="Kind", required=False)
    language = forms.ChoiceField(label="Language", required=False)

    def __init__(self, *args, cohorts, languages: list[tuple[str, str]], public_names: bool, **kw):
        super().__init__(*args, **kw)
        self.fields["cohort"] = CohortChoice(
            label="Group",
            queryset=cohorts,
            required=False,
            empty_label="Any group",
            public_names=public_names,
        )
        self.fields["kind"].choices = [("", "Any kind"), *Resource.Kind.choices]
        self.fields["language"].choices = [("", "Any language"), *languages]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "cohort": data["cohort"],
            "kind": data["kind"],
            "language": data["language"],
        }


class ReviewForm(forms.Form):
    next_review_due = NHSDateField(
        label="Next review due (optional)",
        help_text="Leave empty for a year from today. For example, 27 3 2027",
        required=False,
    )
