"""What each message says. Neutral on purpose: texts show on lock screens.

No message names a cohort (neither its staff name nor its public name), a health condition, the
session's topic, or the word "cohort". It carries her first (or preferred) name, the date and
time, the clinic, and a signed link that holds nothing but a signed invitation id. The cohort's
public name appears only behind that link. tests/invitations/test_wording.py checks every
kind against `LOCK_SCREEN_FORBIDDEN_WORDS` (sessions/lock_screen.py); the names of waiting-area
places (which the same-morning text carries) are checked against the same list when staff set
them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from sessions.lock_screen import lock_screen_forbidden_words

from .links import invitation_token
from .models import CancelReason, Channel, Invitation, MessageKind


def invitation_link(invitation: Invitation) -> str:
    """The address of her invitation page (a GET page showing the session, with accept and
    decline), not the POST-only answer endpoint behind its buttons."""
    path = reverse("invitation_page", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def _time(moment) -> str:
    # NHS style: 9:45am, 2pm.
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _date(moment) -> str:
    return f"{moment:%A} {moment.day} {moment:%B}"


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def message_wording(*, invitation: Invitation, kind: str, channel: str) -> Wording:
    """The subject and text of one message. `invitation` comes with session, clinic, patient."""
    session = invitation.session
    clinic = session.clinic
    tz = clinic.zone
    start = session.start.astimezone(tz)
    name = invitation.patient.first_name
    when = f"{_date(start)} at {_time(start)}"
    place = clinic.name
    link = invitation_link(invitation)
    sms = channel == Channel.SMS
    stop = " Reply STOP to stop these messages." if sms else ""

    if kind == MessageKind.INVITATION:
        subject = f"An invitation from {place}"
        body = (
            f"Hello {name}, you are invited to a short, friendly get-together in the waiting room "
            f"at {place} on {when}, while you wait for your appointment. "
            f"Tell us if you can come: {link}{stop}"
        )
    elif kind == MessageKind.REMINDER:
        subject = f"A reminder from {place}"
        body = (
            f"Hello {name}, a reminder of your invitation to a short get-together in the waiting "
            f"room at {place} on {when}. Tell us if you can come: {link}{stop}"
        )
    elif kind == MessageKind.SAME_DAY:
        subject = f"See you today at {place}"
        # The place's name was checked when staff set it up; a location from before places
        # (or changed behind the form's back) is checked again here, and left out if unsafe.
        where = session.location
        where = f" ({where})" if where and not lock_screen_forbidden_words(where) else ""
        body = (
            f"Hello {name}, see you today at {_time(start)} in the waiting room at {place}"
            f"{where}. Details: {link}"
        )
    elif kind == MessageKind.CHANGE:
        subject = f"A change to your invitation from {place}"
        body = (
            f"Hello {name}, your appointment time has changed, so the get-together at {place} "
            f"on {when} no longer fits it and you do not need to come. Your appointment itself "
            f"is as the hospital told you. Details: {link}"
        )
    elif kind == MessageKind.CANCELLATION:
        subject = f"A cancellation from {place}"
        if invitation.cancel_reason == CancelReason.APPOINTMENT_CANCELLED:
            body = (
                f"Hello {name}, your appointment on {_date(start)} has changed, so your "
                f"invitation to the get-together at {place} on {when} no longer applies."
            )
        else:
            body = (
                f"Hello {name}, sorry: the get-together at {place} on {when} will not take "
                f"place. Your own appointment is not affected."
            )
    elif kind == MessageKind.WAITING_LIST:
        subject = f"You are on the waiting list at {place}"
        body = (
            f"Hello {name}, thank you for replying. The get-together at {place} on {when} is "
            f"full, so you are on the waiting list. We will tell you if a place comes up: {link}"
        )
    elif kind == MessageKind.PROMOTED:
        subject = f"A place for you at {place}"
        body = (
            f"Hello {name}, a place has come up at the get-together at {place} on {when}, and "
            f"it is yours. Details: {link}"
        )
    else:
        raise ValueError(f"No wording for {kind!r}")
    return Wording(subject=subject, body=body)
