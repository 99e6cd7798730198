"""What a feedback message says. Neutral, like every message (sessions/invitations/wording.py):
no cohort, condition or topic; her first name, the clinic, and a signed link."""

from __future__ import annotations

from sessions.invitations.models import Channel
from sessions.invitations.wording import Wording

from .models import Occasion


def feedback_wording(
    *, first_name: str, clinic_name: str, occasion_kind: str, link: str, channel: str
) -> Wording:
    stop = " Reply STOP to stop these messages." if channel == Channel.SMS else ""
    if occasion_kind == Occasion.AFTER_SESSION:
        body = (
            f"Hello {first_name}, thank you for coming to the get-together at {clinic_name}. "
            f"Tell us how it went. It takes 2 minutes: {link}{stop}"
        )
    else:
        body = (
            f"Hello {first_name}, {clinic_name} would like to know how you are. "
            f"A few short questions, about 3 minutes: {link}{stop}"
        )
    return Wording(subject=f"A few questions from {clinic_name}", body=body)
