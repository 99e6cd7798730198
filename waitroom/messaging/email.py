"""Email through Django's mail backend, with RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from .base import UNKNOWN, OutgoingMessage, PermanentSendError, TransientSendError


class DjangoEmailChannel:
    def send(self, message: OutgoingMessage) -> str:
        headers = {"X-Waitroom-Reference": message.reference}
        if message.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers=headers,
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError("the mail server refused the address") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientSendError("the mail server did not take the message") from exc
        return f"email-{message.reference}"

    def find_sent(self, reference: str) -> object:
        return UNKNOWN
