"""Proving she is the woman an invitation is for, before an account is linked to her record.

Holding the invitation link is not enough: a text can be forwarded and a phone shared. So an
account is made only for a contact the hospital already holds for her. She chooses one (shown
masked), we send a six-digit code to it, and only the browser that asked and then types the code
gets the account (docs/adr/0029-accounts-only-through-a-contact-on-file.md).

- Email codes go by Django's mail backend, like every later sign-in code.
- Text codes go through the messaging channel (GOV.UK Notify, or the demo outbox), recorded as a
  Message of kind `account_code` on the invitation. The stored text hides the code unless it is
  the demo outbox, whose only reader is staff and where the text is the message.
- What is pending lives in her browser session: the invitation id, the contact, a keyed hash of
  the code, when it expires and how many wrong tries are left. A code is useless elsewhere.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from sessions.invitations.models import Channel, Invitation, Message, MessageKind, MessageStatus
from sessions.models import Patient
from waitroom.messaging import OutgoingMessage, SendError, channel_backend

SESSION_KEY = "waitroom.account_code"
CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_WRONG_TRIES = 5
# Codes one invitation may ask for in an hour: a link holder cannot flood her phone.
MAX_CODES_PER_HOUR = 5
EMAIL, MOBILE = "email", "mobile"


class CodeRefused(Exception):
    """The code cannot be accepted; the message is written for her and safe to show."""


@dataclass(frozen=True)
class ContactChoice:
    key: str  # EMAIL or MOBILE: the only thing the form posts
    label: str  # masked, for example "m•••@e•••.com"


def masked_email(email: str) -> str:
    """ "maria@example.com" -> "m•••@e•••.com": enough for her to recognise, not to learn."""
    local, _, domain = email.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    return f"{local[:1]}•••@{name[:1]}•••{dot}{tld}"


def masked_mobile(mobile: str) -> str:
    """ "07700 900123" -> "07••• •••123"."""
    digits = "".join(ch for ch in mobile if ch.isdigit())
    return f"{digits[:2]}••• •••{digits[-3:]}"


def _sms_possible() -> bool:
    # MESSAGE_CHANNEL=email sends everything by Django's mail backend: no texts.
    return settings.MESSAGE_CHANNEL in {"outbox", "notify"}


def contacts_on_file(patient: Patient) -> list[ContactChoice]:
    """The contacts the hospital holds for her that a code can go to, masked."""
    choices = []
    if patient.email:
        choices.append(ContactChoice(EMAIL, f"Email to {masked_email(patient.email)}"))
    if patient.mobile and _sms_possible():
        choices.append(ContactChoice(MOBILE, f"Text message to {masked_mobile(patient.mobile)}"))
    return choices


def _code_hash(invitation_id: int, code: str) -> str:
    return salted_hmac(
        "waitroom.account_code", f"{invitation_id}:{code}", algorithm="sha256"
    ).hexdigest()


def _code_text(code: str) -> str:
    return (
        f"Your Waitroom code is {code}\n\n"
        "Type it on the page where you asked for it. It works for 15 minutes. "
        "If you did not ask for it, you can ignore this message."
    )


def _send_by_email(patient: Patient, code: str) -> None:
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}your code",
        message=_code_text(code),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[patient.email],
    )


def _send_by_text(invitation: Invitation, code: str) -> None:
    channel = Channel.OUTBOX if settings.MESSAGE_CHANNEL == "outbox" else Channel.SMS
    text = _code_text(code)
    now = timezone.now()
    message = Message.objects.create(
        invitation=invitation,
        kind=MessageKind.ACCOUNT_CODE,
        channel=channel,
        due_at=now,
        status=MessageStatus.SENDING,
        claimed_at=now,
        attempts=1,
        # The demo outbox is read in the app, so it keeps the code; elsewhere the record does not.
        body=text if channel == Channel.OUTBOX else text.replace(code, "••••••"),
    )
    try:
        provider_id = channel_backend(channel).send(
            OutgoingMessage(
                reference=message.reference,
                channel=channel,
                to=invitation.patient.mobile,
                subject="",
                body=text,
            )
        )
    except SendError as failure:
        message.status = MessageStatus.TECHNICAL_FAILURE
        message.failure_reason = failure.reason[:200]
        message.save(update_fields=["status", "failure_reason"])
        raise CodeRefused(
            "We could not send a text message just now. Try again in a few minutes, or choose "
            "email if you can."
        ) from failure
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.provider_id = provider_id
    message.save(update_fields=["status", "sent_at", "provider_id"])


def account_code_send(*, session: SessionBase, invitation: Invitation, contact: str) -> None:
    """Send a new code to the contact on file she chose, and remember it in her session."""
    patient = invitation.patient
    if contact not in {choice.key for choice in contacts_on_file(patient)}:
        raise CodeRefused("Choose where to send your code")
    counter = f"waitroom:account-codes:{invitation.pk}"
    cache.add(counter, 0, timeout=3600)
    try:
        count = cache.incr(counter)
    except ValueError:  # the hour ended between add and incr
        cache.add(counter, 1, timeout=3600)
        count = 1
    if count > MAX_CODES_PER_HOUR:
        raise CodeRefused(
            "We have sent several codes for this invitation in the last hour. Wait an hour "
            "and try again, or ask at the clinic."
        )
    code = f"{secrets.randbelow(10**6):06d}"
    if contact == EMAIL:
        _send_by_email(patient, code)
    else:
        # Not in a savepoint of its own: a failed send stays recorded for staff to see.
        _send_by_text(invitation, code)
    session[SESSION_KEY] = {
        "invitation": invitation.pk,
        "contact": contact,
        "hash": _code_hash(invitation.pk, code),
        "expires": (timezone.now() + CODE_LIFETIME).timestamp(),
        "tries_left": MAX_WRONG_TRIES,
    }


def pending_contact(*, session: SessionBase, invitation: Invitation) -> str | None:
    """The contact a live code was sent to for this invitation from this browser, if any."""
    pending = session.get(SESSION_KEY)
    if not pending or pending.get("invitation") != invitation.pk:
        return None
    if pending["expires"] < timezone.now().timestamp():
        return None
    return pending["contact"]


def account_code_check(*, session: SessionBase, invitation: Invitation, code: str) -> str:
    """The contact the code proves she holds, or CodeRefused. A code is good for one account."""
    pending = session.get(SESSION_KEY)
    if not pending or pending.get("invitation") != invitation.pk:
        raise CodeRefused("Ask for a new code")
    if pending["expires"] < timezone.now().timestamp():
        del session[SESSION_KEY]
        raise CodeRefused("This code has expired. Ask for a new code")
    given = "".join(ch for ch in code if ch.isdigit())
    if not constant_time_compare(_code_hash(invitation.pk, given), pending["hash"]):
        pending["tries_left"] -= 1
        if pending["tries_left"] <= 0:
            del session[SESSION_KEY]
            raise CodeRefused("That code was wrong too many times. Ask for a new code")
        session[SESSION_KEY] = pending
        raise CodeRefused("The code is not right. Check the message and try again")
    return pending["contact"]


def account_code_forget(*, session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
