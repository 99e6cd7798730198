"""Forms for the staff's group pages, and what every form view uses. The member's forms are in
groups/members/forms.py."""

from __future__ import annotations

from django import forms


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="The author sees this reason when a post is hidden.",
        error_messages={
            "required": "Enter the reason, so the member and other moderators know why",
            "max_length": "Keep the reason to 200 characters or fewer",
        },
    )


def posted(request) -> dict | None:
    """The POST data when the form was sent (even empty, so it shows its errors), else None."""
    return request.POST if request.method == "POST" else None
