"""GOV.UK Notify through notifications-python-client.

Notify holds one SMS template and one email template whose content is `((body))` (and the email
subject `((subject))`): the words live in this repository, where tests check them for privacy
(sessions/invitations/wording.py). `reference` is our message id, which also lets a restarted
sender ask Notify whether a message it was sending when it died already went.
"""

from __future__ import annotations

import threading

import requests
import urllib3
from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from .base import OutgoingMessage, PermanentSendError, TransientSendError, UncertainSendError

# Notify's documented answers: 400 bad request, 403 auth, 429 rate or daily limit, 500 its own.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
# Answers after which Notify may nonetheless have taken the message (its own or a proxy's fault).
UNCERTAIN_STATUSES = frozenset({500, 502, 503, 504})


def _never_reached(cause: BaseException | None) -> bool:
    """Whether a failed request certainly never reached Notify: no connection was made."""
    if isinstance(cause, requests.ConnectTimeout):
        return True
    if isinstance(cause, requests.ConnectionError) and not isinstance(cause, requests.Timeout):
        reason = getattr(cause.args[0], "reason", None) if cause.args else None
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


_clients = threading.local()


def _client() -> NotificationsAPIClient:
    """This thread's Notify client, kept for the life of the worker: its HTTP session keeps the
    connection to Notify open between sends instead of a new client and TCP (and TLS) handshake
    per message. A new one is made if the settings it was made with change."""
    config = (settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT_SECONDS)
    cached = getattr(_clients, "cached", None)
    if cached is None or cached[0] != config:
        client = NotificationsAPIClient(config[0], base_url=config[1], timeout=config[2])
        _clients.cached = cached = (config, client)
    return cached[1]


def _raise_for(exc: Exception) -> None:
    if isinstance(exc, APIError):
        status = exc.status_code
        if exc.response is None:
            # No answer at all: the client reports 500. Refused, it never went; a timeout or a
            # dropped connection after sending may have reached Notify.
            if _never_reached(exc.__cause__):
                raise TransientSendError("Notify could not be reached", status=None) from exc
            raise UncertainSendError("no answer from Notify in time", status=None) from exc
        if status in UNCERTAIN_STATUSES:
            raise UncertainSendError(f"Notify answered {status}", status=status) from exc
        if status in TRANSIENT_STATUSES:
            raise TransientSendError(f"Notify answered {status}", status=status) from exc
        raise PermanentSendError(_describe(exc), status=status) from exc
    if isinstance(exc, requests.RequestException):
        if _never_reached(exc):
            raise TransientSendError("Notify could not be reached", status=None) from exc
        raise UncertainSendError("no answer from Notify in time", status=None) from exc
    raise exc


def _describe(exc: APIError) -> str:
    # Notify's error text names the field at fault, never the recipient's details.
    message = exc.message
    if isinstance(message, list):
        message = "; ".join(str(item.get("message", item)) for item in message if item)
    return f"Notify answered {exc.status_code}: {message}"[:200]


class NotifyChannel:
    def send(self, message: OutgoingMessage) -> str:
        client = _client()
        personalisation = {"subject": message.subject, "body": message.body}
        try:
            if message.channel == "sms":
                answer = client.send_sms_notification(
                    phone_number=message.to,
                    template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                    personalisation=personalisation,
                    reference=message.reference,
                )
            else:
                answer = client.send_email_notification(
                    email_address=message.to,
                    template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    personalisation=personalisation,
                    reference=message.reference,
                    one_click_unsubscribe_url=message.unsubscribe_url or None,
                )
        except Exception as exc:  # noqa: BLE001 - sorted into transient and permanent
            _raise_for(exc)
            raise
        return str(answer["id"])

    def find_sent(self, reference: str) -> str | None:
        try:
            answer = _client().get_all_notifications(reference=reference)
        except Exception as exc:  # noqa: BLE001
            _raise_for(exc)
            raise
        notifications = answer.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None
