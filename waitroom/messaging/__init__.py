"""Messaging channels: GOV.UK Notify (SMS and email), Django's mail backend, and the demo outbox.

`channel_backend()` gives the backend settings.MESSAGE_CHANNEL names; `route_for()` picks the
channel for one woman from her consent and contact details. Callers hand a backend an
`OutgoingMessage` and get the provider's id back, or a `TransientSendError` (retry later; an
`UncertainSendError` when the provider may have it: ask before retrying) or a
`PermanentSendError` (do not retry; show staff).
"""

from .base import (
    OutgoingMessage,
    PermanentSendError,
    SendError,
    TransientSendError,
    UncertainSendError,
)
from .routing import channel_backend, fallback_route, route_for

__all__ = [
    "OutgoingMessage",
    "PermanentSendError",
    "SendError",
    "TransientSendError",
    "UncertainSendError",
    "channel_backend",
    "fallback_route",
    "route_for",
]
