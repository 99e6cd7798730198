"""Forms for running and recording a session. Messages are written for the midwife reading them."""

from __future__ import annotations

from django import forms

from resources.models import Resource
from waitroom.forms import radio_choice
from waitroom.widgets import NHSDateField

from .models import AttendanceStatus, ConcernCategory, ConcernUrgency, DiscussionTopic


def person_name(user) -> str:
    return user.get_full_name() or user.display_name or user.email


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class ResourceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.get_kind_display()})"


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        choices=AttendanceStatus.choices,
        error_messages={
            "required": "Choose how she attended",
            "invalid_choice": "Choose how she attended",
        },
    )


class NoteForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label="Topics discussed",
        queryset=DiscussionTopic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label="Summary",
        help_text=(
            "A few lines about the discussion. Do not name the women or write anything clinical "
            "about one of them: raise a concern for that."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter a short summary of the discussion"},
    )
    resources = ResourceChoice(
        label="Resources you signposted",
        queryset=Resource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The women who came will see these on their phones.",
    )

    def __init__(self, *args, topics, resources, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.fields["resources"].queryset = resources


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the addendum"},
    )


class ConcernForm(forms.Form):
    about = radio_choice(
        label="Who is the concern about?", required="Choose who the concern is about"
    )
    category = radio_choice(
        label="What kind of concern is it?",
        choices=ConcernCategory.choices,
        required="Choose what kind of concern it is",
    )
    urgency = radio_choice(
        label="How urgent is it?",
        choices=ConcernUrgency.choices,
        required="Choose how urgent the concern is",
    )
    description = forms.CharField(
        label="What did you see or hear?",
        help_text="Write what was seen or said, in her words where you can.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter what you saw or heard"},
    )

    SESSION = "session"

    def __init__(self, *args, women: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [(str(pk), label) for pk, label in women] + [
            (self.SESSION, "The session generally")
        ]

    def patient_id(self) -> int | None:
        about = self.cleaned_data["about"]
        return None if about == self.SESSION else int(about)


class CloseConcernForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        help_text="What was done. The person who raised it sees that it is closed, not this text.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the outcome before closing the concern"},
    )


class ConcernLeadsForm(forms.Form):
    """One named lead per category of concern, chosen from the clinic's professionals."""

    def __init__(self, *args, professionals, current: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ConcernCategory.choices:
            self.fields[value] = PersonChoice(
                label=label,
                queryset=professionals,
                required=False,
                empty_label="No named lead (coordinators are told)",
                initial=current.get(value),
            )


class TopicForm(forms.Form):
    name = forms.CharField(
        label="New topic",
        max_length=100,
        help_text="For example, preparing for twins",
        error_messages={"required": "Enter the topic's name"},
    )


class DebriefForm(forms.Form):
    professional = PersonChoice(
        label="Who did you talk it through with?",
        queryset=None,
        empty_label="Choose a professional",
        error_messages={"required": "Choose the professional you talked it through with"},
    )
    went_well = forms.CharField(
        label="What went well",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what went well"},
    )
    was_hard = forms.CharField(
        label="What was hard (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up = forms.CharField(
        label="Anything to follow up (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, professionals, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals


class PeerSupporterRecordForm(forms.Form):
    training_completed_on = NHSDateField(
        label="Training completed (optional)", help_text="For example, 27 3 2026", required=False
    )
    dbs_checked_on = NHSDateField(
        label="DBS check date (optional)", help_text="For example, 27 3 2026", required=False
    )
    dbs_expires_on = NHSDateField(
        label="DBS check expires (optional)", help_text="For example, 27 3 2027", required=False
    )

    def clean(self):
        cleaned = super().clean()
        checked, expires = cleaned.get("dbs_checked_on"), cleaned.get("dbs_expires_on")
        if checked and expires and expires <= checked:
            self.add_error("dbs_expires_on", "The expiry date must be after the DBS check date")
        return cleaned
