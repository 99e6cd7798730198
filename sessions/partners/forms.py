"""Forms for a clinic's partners, its own resources and partner meetings (issue 12)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from resources.models import Partner, Resource
from sessions.models import WaitingRoomSession
from sessions.scheduling.forms import WaitingRoomSessionForm, _in_zone, person_name
from waitroom.widgets import NHSDateField

from .services import volunteer_refusal


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PartnerForm(forms.Form):
    name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        help_text="For example, Twins Trust, or the local NCT branch.",
        error_messages={
            "required": "Enter the name of the organisation",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    offer = forms.CharField(
        label="What they offer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Women may read this. For example, 'Coffee mornings for parents of twins'.",
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website address, like https://twinstrust.org"},
    )
    phone = forms.CharField(
        label="Phone (optional)",
        required=False,
        max_length=30,
        error_messages={"max_length": "The phone number must be 30 characters or fewer"},
    )
    volunteers = PersonChoice(
        label="Their volunteers (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Peer supporters at this clinic who volunteer for this organisation. They can "
        "run its meetings in the waiting room once trained and DBS-checked, and see what any "
        "peer supporter sees, nothing more.",
        error_messages={"invalid_choice": "Choose peer supporters who work at this clinic"},
    )

    def __init__(self, *args, clinic, volunteers, partner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic, self.partner = clinic, partner
        self.fields["volunteers"].queryset = volunteers
        if not volunteers.exists():
            del self.fields["volunteers"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Partner.objects.filter(clinic=self.clinic, name__iexact=name)
        if self.partner is not None:
            same = same.exclude(pk=self.partner.pk)
        if same.exists():
            raise forms.ValidationError("This clinic already has a partner with that name")
        return name

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "offer": data.get("offer", ""),
            "website": data.get("website", ""),
            "phone": data.get("phone", ""),
            "volunteers": list(data.get("volunteers") or []),
        }


class CohortsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.staff_name


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ClinicResourceForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "The title is too long"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences a woman reads on her phone.",
        error_messages={"required": "Enter a summary"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of resource it is"},
    )
    url = forms.URLField(
        label="Link (optional if there is a phone number)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link, like https://www.nhs.uk/pregnancy/"},
    )
    phone = forms.CharField(
        label="Phone (optional if there is a link)", required=False, max_length=30
    )
    partner = PartnerChoice(
        label="From a partner (optional)",
        queryset=None,
        required=False,
        empty_label="The hospital",
        error_messages={"invalid_choice": "Choose one of this clinic's partners"},
    )
    cohorts = CohortsChoice(
        label="For groups (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all empty for a resource for every woman.",
        error_messages={"invalid_choice": "Choose groups this clinic runs"},
    )
    languages = forms.CharField(
        label="Languages",
        max_length=100,
        initial="en",
        help_text="Language codes, separated by commas. For example, en, pl",
        error_messages={"required": "Enter at least one language code, like en"},
    )
    last_reviewed = NHSDateField(
        label="Last reviewed",
        help_text="The day someone last checked it. For example, 2 12 2026",
        error_messages={"required": "Enter the date it was last reviewed"},
    )
    next_review_due = NHSDateField(
        label="Next review due",
        help_text="Women stop seeing it after this date until someone reviews it again.",
        error_messages={"required": "Enter the date the next review is due"},
    )

    def __init__(self, *args, clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(clinic=clinic)
        self.fields["cohorts"].queryset = clinic.cohorts.all()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("url") and not data.get("phone") and "url" not in self.errors:
            self.add_error("url", "Enter a link or a phone number")
        last, due = data.get("last_reviewed"), data.get("next_review_due")
        if last and due and due <= last:
            self.add_error("next_review_due", "The next review must be after the last review")
        return data

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            key: data.get(key) or default
            for key, default in (
                ("title", ""),
                ("summary", ""),
                ("kind", ""),
                ("url", ""),
                ("phone", ""),
                ("partner", None),
                ("cohorts", []),
                ("languages", "en"),
                ("last_reviewed", None),
                ("next_review_due", None),
            )
        }


class OutsideMeetingForm(forms.Form):
    """A partner's meeting outside the hospital: where and when, for which groups."""

    partner = PartnerChoice(
        label="Partner",
        queryset=None,
        empty_label="Choose a partner",
        error_messages={
            "required": "Choose the partner that runs the meeting",
            "invalid_choice": "Choose one of this clinic's partners",
        },
    )
    title = forms.CharField(
        label="What it is called",
        max_length=200,
        help_text="Women see this. For example, 'Twins coffee morning'.",
        error_messages={"required": "Enter what the meeting is called"},
    )
    date = NHSDateField(
        label="Date",
        help_text="For example, 15 12 2026",
        error_messages={"required": "Enter the date of the meeting"},
    )
    time = forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 11:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "required": "Enter the time the meeting starts",
            "invalid": "Enter the start time as hours and minutes, for example 11:30",
        },
    )
    place = forms.CharField(
        label="Where",
        required=False,
        max_length=200,
        help_text="For example, 'the café on the ground floor'. Leave empty if it is online.",
    )
    url = forms.URLField(
        label="Link (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link, like https://twinstrust.org/events"},
    )
    cohorts = CohortsChoice(
        label="For which groups",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Women in these groups see it on their home page near their appointment days.",
        error_messages={
            "required": "Choose at least one group",
            "invalid_choice": "Choose groups this clinic runs",
        },
    )

    def __init__(self, *args, clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["partner"].queryset = Partner.objects.filter(clinic=clinic)
        self.fields["cohorts"].queryset = clinic.cohorts.all()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("place") and not data.get("url") and "url" not in self.errors:
            self.add_error("place", "Enter where the meeting is, or a link to it")
        day, time = data.get("date"), data.get("time")
        if day and time:
            starts_at = _in_zone(day, time, self.clinic.zone)
            if starts_at is None:
                self.add_error("time", "The clocks go forward at that time: choose another")
            elif starts_at <= timezone.now():
                self.add_error("date", "The meeting must be in the future")
            else:
                data["starts_at"] = starts_at
        return data

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "partner": data["partner"],
            "title": data["title"],
            "starts_at": data["starts_at"],
            "place": data.get("place", ""),
            "url": data.get("url", ""),
            "cohorts": list(data["cohorts"]),
        }


class VolunteerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        partners = ", ".join(p.name for p in obj.partner_volunteering.all())
        return f"{person_name(obj)} ({partners})" if partners else person_name(obj)


class WaitingRoomMeetingForm(WaitingRoomSessionForm):
    """A partner's meeting held in the waiting room: a session (all the session form's rules:
    the clinic's hours and places, the volunteer free and cleared) run by the partner's
    volunteer."""

    partner = PartnerChoice(
        label="Partner",
        queryset=None,
        empty_label="Choose a partner",
        error_messages={
            "required": "Choose the partner whose meeting it is",
            "invalid_choice": "Choose one of this clinic's partners",
        },
    )
    title = forms.CharField(
        label="What it is called",
        max_length=200,
        help_text="Women see this. For example, 'Twins Trust: meet other parents of twins'.",
        error_messages={"required": "Enter what the meeting is called"},
    )
    volunteer = VolunteerChoice(
        label="Volunteer who runs it",
        queryset=None,
        empty_label="Choose a volunteer",
        help_text="One of the partner's volunteers. A peer supporter must be trained and "
        "DBS-checked on the day.",
        error_messages={
            "required": "Choose the volunteer who runs the meeting",
            "invalid_choice": "Choose one of the partners' volunteers at this clinic",
        },
    )

    field_order = [
        "partner",
        "title",
        "volunteer",
        "cohort",
        "date",
        "start_time",
        "end_time",
        "place",
        "capacity",
        "partners_welcome",
        "children_welcome",
        "buggy_space",
    ]

    def __init__(self, *args: Any, clinic, volunteers, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        del self.fields["facilitators"]
        del self.fields["topic"]
        self.fields["partner"].queryset = Partner.objects.filter(clinic=clinic)
        self.fields["volunteer"].queryset = volunteers.prefetch_related("partner_volunteering")
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        partner, volunteer, start = data.get("partner"), data.get("volunteer"), data.get("start")
        if partner and volunteer and start:
            refusal = volunteer_refusal(
                partner=partner, volunteer=volunteer, on_date=self.clinic.day_of(start)
            )
            if refusal:
                self.add_error("volunteer", refusal)
            elif (
                WaitingRoomSession.objects.not_cancelled()
                .filter(facilitators=volunteer, start__lt=data["end"], end__gt=start)
                .exists()
            ):
                self.add_error(
                    "volunteer", f"{person_name(volunteer)} is already running a session then"
                )
        return data

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "partner",
                "volunteer",
                "title",
                "cohort",
                "start",
                "end",
                "place",
                "capacity",
                "partners_welcome",
                "children_welcome",
                "buggy_space",
            )
        }
