from django import forms

from .models import Clinic, Role, plain_email_address


def radio_choice(
    *, label: str | None = None, choices=(), required: str, help_text: str = ""
) -> forms.ChoiceField:
    """A required choice shown as radios, with the words a person sees if she chooses none."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required},
    )


def _clinic_role(label: str | None = None) -> forms.ChoiceField:
    return radio_choice(
        label=label,
        choices=Role.choices,
        required="Choose their role at this clinic",
        help_text="Peer supporters see display names and appointment times only.",
    )


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
    role = _clinic_role()


class ClinicPlanningForm(forms.ModelForm):
    """The clinic settings a coordinator changes herself (the rest is the administrator's)."""

    class Meta:
        model = Clinic
        fields = ["min_group_size"]
        error_messages = {
            "min_group_size": {
                "required": "Enter the smallest group worth suggesting, like 3",
                "invalid": "Enter a whole number, like 3",
                "min_value": "A group needs at least 2 women",
                "max_value": "Enter a number no bigger than 30",
            }
        }


class StaffRoleChangeForm(forms.Form):
    role = _clinic_role("Role at this clinic")
