"""allauth's sign-in forms in NHS style: plain labels, hints instead of placeholders."""

from allauth.account import forms as allauth_forms


def _plain(field, *, label: str, help_text: str = "", required_message: str) -> None:
    field.label = label
    field.help_text = help_text
    field.widget.attrs.pop("placeholder", None)
    field.error_messages["required"] = required_message


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain(
            self.fields["login"],
            label="Email address",
            required_message="Enter your email address",
        )
        self.fields["login"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        _plain(self.fields["password"], label="Password", required_message="Enter your password")


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain(
            self.fields["email"],
            label="Email address",
            help_text="We will email you a code to sign in with. You do not need a password.",
            required_message="Enter your email address",
        )
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )


class ConfirmLoginCodeForm(allauth_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain(
            self.fields["code"],
            label="Code",
            help_text="The code is in the email we just sent you.",
            required_message="Enter the code from the email",
        )
