from django import forms

from .models import Role, plain_email_address


class StaffMemberForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email. They sign in with a code sent here.",
        validators=[plain_email_address],
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    first_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter their last name"}
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role at this clinic"},
        help_text="Peer supporters see display names and appointment times only.",
    )
