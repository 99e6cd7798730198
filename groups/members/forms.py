"""Forms for the member's pages. Error messages are written for her, in plain words."""

from __future__ import annotations

from django import forms

from groups.models import ReportReason
from groups.post_text import MAX_POST_LENGTH, MAX_TITLE_LENGTH, looks_like_html
from sessions.invitations.models import MAX_ADULTS_WITH_HER, MAX_CHILDREN_WITH_HER
from waitroom.forms import radio_choice

# Waitroom's pages and messages are in English only, for now: the language she chooses tells the
# team which interpreter to arrange, not which language to show her (issue 9, item 10).
LANGUAGES = [
    ("en", "English: I do not need an interpreter"),
    ("ar", "Arabic (العربية)"),
    ("bn", "Bengali (বাংলা)"),
    ("zh", "Chinese (中文)"),
    ("fr", "French (Français)"),
    ("pl", "Polish (Polski)"),
    ("pt", "Portuguese (Português)"),
    ("pa", "Punjabi (ਪੰਜਾਬੀ)"),
    ("ro", "Romanian (Română)"),
    ("so", "Somali (Soomaali)"),
    ("es", "Spanish (Español)"),
    ("tr", "Turkish (Türkçe)"),
    ("ur", "Urdu (اردو)"),
]


def _display_name_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label="Your name in groups",
        max_length=40,
        required=required,
        help_text="Other women in your groups see this name. It can be a first name or a "
        "nickname. Your full name is never shown to them.",
        error_messages={
            "required": "Enter the name you want others in your groups to see",
            "max_length": "Your name in groups must be 40 characters or fewer",
        },
    )


def _clean_text(value: str, *, what: str, max_length: int) -> str:
    value = value.strip()
    if not value:
        raise forms.ValidationError(f"Write your {what}")
    if len(value) > max_length:
        raise forms.ValidationError(
            f"Your {what} must be {max_length:,} characters or fewer (it has {len(value):,})"
        )
    if looks_like_html(value):
        raise forms.ValidationError(
            f"Write your {what} as plain text, without code or HTML tags such as <script>"
        )
    return value


class ComingWithHerForm(forms.Form):
    """Who is coming with her, asked when she accepts, only for what the session welcomes
    (WaitingRoomSession.partners_welcome / children_welcome). Each person takes a place."""

    def __init__(self, *args, session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if session.partners_welcome:
            self.fields["adults_with_her"] = forms.TypedChoiceField(
                label="Is your partner or another adult coming with you?",
                choices=[
                    ("0", "No, just me"),
                    *[
                        (str(n), f"Yes, {n} adult{'s' if n > 1 else ''}")
                        for n in range(1, MAX_ADULTS_WITH_HER + 1)
                    ],
                ],
                coerce=int,
                initial="0",
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Say whether an adult is coming with you",
                    "invalid_choice": "Say whether an adult is coming with you",
                },
            )
        if session.children_welcome:
            self.fields["children_with_her"] = forms.TypedChoiceField(
                label="Are any children coming with you?",
                choices=[
                    ("0", "No children"),
                    *[
                        (str(n), f"{n} child{'ren' if n > 1 else ''}")
                        for n in range(1, MAX_CHILDREN_WITH_HER + 1)
                    ],
                ],
                coerce=int,
                initial="0",
                widget=forms.RadioSelect,
                help_text="So we keep a place for them.",
                error_messages={
                    "required": "Say whether any children are coming with you",
                    "invalid_choice": "Say whether any children are coming with you",
                },
            )

    def people(self) -> dict[str, int]:
        """What the accept service takes: 0 for anything this session does not ask about."""
        return {
            "adults_with_her": self.cleaned_data.get("adults_with_her", 0),
            "children_with_her": self.cleaned_data.get("children_with_her", 0),
        }


class AccountContactForm(forms.Form):
    """Where to send the code: one of the contacts the hospital holds for her, shown masked."""

    contact = forms.ChoiceField(
        label="Where should we send your code?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where to send your code",
            "invalid_choice": "Choose where to send your code",
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = choices


class AccountCodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text="6 numbers, for example 123456",
        error_messages={"required": "Enter the code we sent you"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    display_name = _display_name_field()

    def __init__(self, *args, needs_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_email:
            # The hospital holds only her mobile: she signs in later by a code sent to this.
            self.fields["email"] = forms.EmailField(
                label="Email address to sign in with",
                help_text="We will email you a code each time you sign in. You do not need a "
                "password.",
                error_messages={
                    "required": "Enter your email address",
                    "invalid": "Enter an email address in the correct format, like "
                    "name@example.com",
                },
            )


class JoinGroupForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree to follow the group's guidelines",
        error_messages={"required": "Tick the box to agree to the group's guidelines"},
    )

    def __init__(self, *args, needs_display_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_display_name:
            self.fields = {"display_name": _display_name_field(), **self.fields}


class PostBodyForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=f"Plain text, up to {MAX_POST_LENGTH:,} characters. Web links work.",
    )

    def clean_body(self) -> str:
        return _clean_text(self.cleaned_data["body"], what="message", max_length=MAX_POST_LENGTH)


class ThreadStartForm(PostBodyForm):
    title = forms.CharField(
        label="Title",
        required=False,
        help_text="A few words about what you want to talk about.",
    )
    field_order = ["title", "body"]

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"], what="title", max_length=MAX_TITLE_LENGTH)


class ReportForm(forms.Form):
    reason = radio_choice(
        label="Why are you reporting this message?",
        choices=ReportReason.choices,
        required="Choose why you are reporting this message",
    )
    detail = forms.CharField(
        label="Anything else the moderators should know (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep this to 500 characters or fewer"},
    )


class PreferencesForm(forms.Form):
    display_name = _display_name_field()
    consent_sms = forms.BooleanField(label="Text messages", required=False)
    consent_email = forms.BooleanField(label="Emails", required=False)
    opt_out = forms.BooleanField(
        label="Stop all messages from Waitroom",
        required=False,
        help_text="We will not send you any invitations or reminders. Your appointments are "
        "not affected.",
    )
    preferred_language = forms.ChoiceField(
        label="Language for an interpreter",
        choices=LANGUAGES,
        help_text="Waitroom's pages and messages are only in English for now. If you would like "
        "an interpreter at group sessions, choose your language and we will tell the midwives "
        "running your group, so they can arrange one.",
        error_messages={"required": "Choose English, or the language you need an interpreter for"},
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and my posts will be deleted",
        error_messages={"required": "Tick the box to confirm you want to delete your account"},
    )


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label="Code on the poster",
        max_length=8,
        help_text="6 letters and numbers, for example K7MP3Q.",
        error_messages={
            "required": "Enter the code from the poster in the waiting room",
            "max_length": "The code is 6 letters and numbers",
        },
    )
