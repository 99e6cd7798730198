from __future__ import annotations

import re

from django import forms

from groups.models import Cohort
from waitroom.models import Clinic

from .models import (
    LONGEST_GESTATION_DAYS,
    AppointmentKind,
    BookingSlots,
    PartOfDay,
    Weekday,
    WorklistStatus,
    normalised_type,
)
from .proposals import gestation_text
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
        help_text=f"From now, up to {MAX_WEEKS} weeks.",
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


class CohortDayForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the day of the week"},
    )
    part = forms.ChoiceField(
        label="Part of the day",
        choices=PartOfDay.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose morning, afternoon or all day"},
    )


_GESTATION = re.compile(r"^\s*(\d{1,2})\s*(?:\+\s*([0-6]))?\s*$")


class GestationField(forms.CharField):
    """Weeks and days as midwives write them, '27+0' (or '27'), kept as days (189)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return gestation_text(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _GESTATION.match(value)
        if not match:
            raise forms.ValidationError(
                "Enter the gestation in weeks and days, like 27+0", code="invalid"
            )
        days = int(match[1]) * 7 + int(match[2] or 0)
        if days > LONGEST_GESTATION_DAYS:
            raise forms.ValidationError("Enter a gestation of 44+0 weeks or less", code="max")
        return days


class AppointmentKindForm(forms.ModelForm):
    gestation_from_days = GestationField(
        label="Earliest gestation (optional)",
        help_text="In weeks and days, like 27+0. Leave blank if it does not matter.",
    )
    gestation_to_days = GestationField(
        label="Latest gestation (optional)",
        help_text="In weeks and days, like 28+6.",
    )

    class Meta:
        model = AppointmentKind
        fields = [
            "name",
            "import_names",
            "movable",
            "days_earlier",
            "days_later",
            "gestation_from_days",
            "gestation_to_days",
        ]
        labels = {
            "name": "Name",
            "movable": "This appointment may move to another day",
            "days_earlier": "Days earlier it may move",
            "days_later": "Days later it may move",
        }
        help_texts = {
            "days_earlier": "Up to 28.",
            "days_later": "Up to 28.",
        }
        error_messages = {
            "name": {"required": "Enter a name for the appointment type"},
            "days_earlier": {
                "required": "Enter how many days earlier it may move, or 0",
                "invalid": "Enter the days as a whole number, like 7",
                "max_value": "Enter a number of days from 0 to 28",
                "min_value": "Enter a number of days from 0 to 28",
            },
            "days_later": {
                "required": "Enter how many days later it may move, or 0",
                "invalid": "Enter the days as a whole number, like 7",
                "max_value": "Enter a number of days from 0 to 28",
                "min_value": "Enter a number of days from 0 to 28",
            },
        }
        widgets = {"import_names": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, clinic: Clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = (
            AppointmentKind.objects.filter(clinic=self.clinic, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError("This clinic already has an appointment type of that name")
        return name

    def clean_import_names(self) -> str:
        lines = [" ".join(line.split()) for line in self.cleaned_data["import_names"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("gestation_from_days"), cleaned.get("gestation_to_days")
        if earliest is not None and latest is not None and earliest > latest:
            self.add_error(
                "gestation_to_days",
                "The latest gestation must be the same as or after the earliest",
            )
        if "name" in cleaned and "import_names" in cleaned:
            mine = {
                normalised_type(n)
                for n in [cleaned["name"], *cleaned["import_names"].split("\n")]
                if n
            }
            others = AppointmentKind.objects.filter(clinic=self.clinic).exclude(pk=self.instance.pk)
            for other in others:
                clash = mine & set(other.type_names)
                if clash:
                    self.add_error(
                        "import_names",
                        f"'{sorted(clash)[0]}' already means {other.name}: each name in the list "
                        "can mean one appointment type only",
                    )
                    break
        return cleaned


class BookingSlotsForm(forms.ModelForm):
    class Meta:
        model = BookingSlots
        fields = ["slot_minutes", "per_slot"]
        error_messages = {
            "slot_minutes": {
                "required": "Enter the length of a slot in minutes",
                "invalid": "Enter the minutes as a whole number, like 20",
                "min_value": "Enter a slot length from 5 to 120 minutes",
                "max_value": "Enter a slot length from 5 to 120 minutes",
            },
            "per_slot": {
                "required": "Enter how many appointments can be booked in one slot",
                "invalid": "Enter a whole number, like 4",
                "min_value": "Enter a number from 1 to 50",
                "max_value": "Enter a number from 1 to 50",
            },
        }
        help_texts = {
            "per_slot": "For example the number of midwives or scan rooms working at once.",
        }


class WorklistAddForm(forms.Form):
    """The proposals a coordinator picked on the alignment page."""

    appointment = forms.TypedMultipleChoiceField(
        label="Proposals to put on the worklist",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one proposal"},
    )

    def __init__(self, *args, appointment_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].choices = [(i, str(i)) for i in appointment_ids]


OUTCOMES = [
    (WorklistStatus.REBOOKED, "Rebooked at the proposed time"),
    (WorklistStatus.NOT_POSSIBLE, "Not possible"),
    (WorklistStatus.DECLINED, "She preferred not to move"),
]


class WorklistOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    reason = forms.CharField(
        label="Why it was not possible",
        required=False,
        max_length=300,
        help_text="Needed if the move was not possible, for example 'No scan room that day'.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == WorklistStatus.NOT_POSSIBLE
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", "Enter why the move was not possible")
        return cleaned
