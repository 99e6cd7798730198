"""Signed, expiring links to a feedback request: the URL carries a signed request id only."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import FeedbackRequest

_SALT = "waitroom.feedback-link"
# Four weeks: time to answer at her own pace, and to come back to it.
MAX_AGE_SECONDS = 60 * 60 * 24 * 28


class InvalidFeedbackLink(Exception):
    """The link was tampered with, has expired, or names no request."""


def feedback_token(request: FeedbackRequest) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"r": request.pk})


def feedback_link(request: FeedbackRequest) -> str:
    path = reverse("feedback_start", kwargs={"token": feedback_token(request)})
    return f"{settings.SITE_URL}{path}"


def request_from_token(token: str, *, max_age: int = MAX_AGE_SECONDS) -> FeedbackRequest:
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
        return FeedbackRequest.objects.select_related("clinic", "patient").get(pk=payload["r"])
    except (signing.BadSignature, KeyError, TypeError, FeedbackRequest.DoesNotExist) as exc:
        raise InvalidFeedbackLink from exc
