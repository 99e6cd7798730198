"""Her answers and ideas, and the coordinator's review: input and its messages in plain words."""

from __future__ import annotations

from django import forms

from .definitions import Item
from .models import SuggestionQuestion, SuggestionStatus, YouSaidWeDid


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer", "invalid_choice": "Choose an answer"},
    )

    def __init__(self, *args, item: Item, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(o.value, o.label) for o in item.options]
        self.fields["answer"].label = item.text


class IdeasForm(forms.Form):
    waiting_room = forms.CharField(
        label=SuggestionQuestion.WAITING_ROOM.label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You do not have to answer. Please do not write your name.",
        error_messages={"max_length": "Write 2000 characters or fewer"},
    )
    next_topic = forms.CharField(
        label=SuggestionQuestion.NEXT_TOPIC.label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You do not have to answer.",
        error_messages={"max_length": "Write 2000 characters or fewer"},
    )


class SuggestionReviewForm(forms.Form):
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=400,
        help_text="Words to group suggestions by, separated by commas. For example: seating, "
        "drinks, topics.",
    )
    status = forms.ChoiceField(
        label="What happened to this suggestion?",
        choices=SuggestionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened to this suggestion"},
    )
    entry = forms.ModelChoiceField(
        label='The "You said, we did" entry it led to (optional)',
        queryset=YouSaidWeDid.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args, entries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries


class EntryForm(forms.Form):
    you_said = forms.CharField(
        label="You said",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What women told you, in their words or close to them. No names.",
        error_messages={"required": "Enter what women said"},
    )
    we_did = forms.CharField(
        label="We did",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the clinic changed because of it.",
        error_messages={"required": "Enter what the clinic did"},
    )


class FeedbackSettingsForm(forms.Form):
    ask_after_sessions = forms.BooleanField(
        label="Ask women a few questions after a group they came to", required=False
    )
    after_appointment_minutes = forms.IntegerField(
        label="How many minutes after her appointment to ask",
        min_value=0,
        max_value=720,
        help_text="Counted from the end of her appointment that day, or of the group if it ends "
        "later. Texts are never sent between 8pm and 8am.",
        error_messages={
            "required": "Enter how many minutes after her appointment to ask",
            "invalid": "Enter a whole number of minutes, like 60",
            "min_value": "Enter 0 or more minutes",
            "max_value": "Enter 720 minutes (12 hours) or fewer",
        },
    )
    after_session_instruments = forms.MultipleChoiceField(
        label="Questions after a group",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ask_baseline_and_later = forms.BooleanField(
        label="Ask at her first invitation and again later in pregnancy", required=False
    )
    later_at_weeks = forms.IntegerField(
        label="Week of pregnancy for the second time",
        min_value=20,
        max_value=40,
        help_text="Worked out from her due date. Usually 36.",
        error_messages={
            "required": "Enter a week of pregnancy",
            "invalid": "Enter a whole number of weeks, like 36",
            "min_value": "Enter a week from 20 to 40",
            "max_value": "Enter a week from 20 to 40",
        },
    )
    pair_instruments = forms.MultipleChoiceField(
        label="Questions at her first invitation and later",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, instruments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i.slug, f"{i.title} ({i.get_domain_display().lower()})") for i in instruments]
        self.fields["after_session_instruments"].choices = choices
        self.fields["pair_instruments"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("ask_after_sessions") and not data.get("after_session_instruments"):
            self.add_error(
                "after_session_instruments", "Choose at least one set of questions after a group"
            )
        if data.get("ask_baseline_and_later") and not data.get("pair_instruments"):
            self.add_error(
                "pair_instruments", "Choose at least one set of questions for her first invitation"
            )
        return data
