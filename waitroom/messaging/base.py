"""What every channel takes and what it may raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """One message, ready to go. `reference` is the message id: the only thing a provider is
    told about it besides the address and text, and never anything about her."""

    reference: str
    channel: str
    to: str
    subject: str
    body: str
    unsubscribe_url: str = ""

    def __repr__(self) -> str:
        # Keep addresses and text out of tracebacks and logs.
        return f"OutgoingMessage(reference={self.reference!r}, channel={self.channel!r})"


class SendError(Exception):
    """The message did not go."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class TransientSendError(SendError):
    """Worth trying again later: rate limited (429), the provider's fault (5xx), a timeout."""


class UncertainSendError(TransientSendError):
    """Worth trying again, but the provider may already have it: no answer within the timeout,
    the connection dropped after the request went, or a 5xx. Ask it by reference first."""


class PermanentSendError(SendError):
    """Trying again cannot help: a bad request (400), a bad key (403), a bad address."""


# Returned by `find_sent` when the channel cannot tell whether a message reached it.
UNKNOWN = object()


class MessageChannel(Protocol):
    def send(self, message: OutgoingMessage) -> str:
        """Send it and return the provider's id for it."""

    def find_sent(self, reference: str) -> str | None | object:
        """The provider's id of a message it already accepted with this reference, None if it
        has none, or UNKNOWN when the channel cannot be asked."""
