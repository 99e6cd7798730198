"""Which channel a message goes by, from settings and from her consent and contact details."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from .base import MessageChannel

SMS, EMAIL, OUTBOX = "sms", "email", "outbox"


class Contactable(Protocol):
    consent_sms: bool
    consent_email: bool
    mobile: str
    email: str


def _can_sms(patient: Contactable) -> bool:
    return bool(patient.consent_sms and patient.mobile)


def _can_email(patient: Contactable) -> bool:
    return bool(patient.consent_email and patient.email)


def route_for(patient: Contactable) -> str | None:
    """The channel for her, or None when she has consented to no channel we can reach her by.

    SMS first when she consented to it and has a mobile (women read texts; the design is
    phone-first), else email.
    """
    mode = settings.MESSAGE_CHANNEL
    if mode == "outbox":
        return OUTBOX if _can_sms(patient) or _can_email(patient) else None
    if mode == "email":
        return EMAIL if _can_email(patient) else None
    if _can_sms(patient):
        return SMS
    return EMAIL if _can_email(patient) else None


def fallback_route(patient: Contactable) -> str | None:
    """Where an SMS that failed for good goes instead: email, when she consented and has one."""
    if settings.MESSAGE_CHANNEL == "outbox":
        return None
    return EMAIL if _can_email(patient) else None


def channel_backend(channel: str) -> MessageChannel:
    from .email import DjangoEmailChannel
    from .notify import NotifyChannel
    from .outbox import OutboxChannel

    if channel == OUTBOX:
        return OutboxChannel()
    if settings.MESSAGE_CHANNEL == "email" and channel == EMAIL:
        return DjangoEmailChannel()
    return NotifyChannel()
