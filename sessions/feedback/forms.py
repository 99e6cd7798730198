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
