"""Signed, expiring links to an invitation: the URL carries a signed invitation id only."""

from __future__ import annotations

from django.core import signing

from .models import Invitation

_SALT = "waitroom.invitation-link"
# Long enough to cover an invitation sent 7 days ahead, plus the day itself.
MAX_AGE_SECONDS = 60 * 60 * 24 * 10


class InvalidLink(Exception):
    """The link was tampered with, has expired, or names no invitation."""


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"i": invitation.pk})


def invitation_from_token(token: str, *, max_age: int = MAX_AGE_SECONDS) -> Invitation:
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
        return Invitation.objects.select_related(
            "session__clinic", "session__cohort", "patient", "appointment"
        ).get(pk=payload["i"])
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist) as exc:
        raise InvalidLink from exc
