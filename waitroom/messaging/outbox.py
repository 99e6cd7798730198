"""The demo channel: nothing leaves the building; staff read the text in the app's outbox.

The message row already holds the text, so sending is only a matter of saying it went.
"""

from __future__ import annotations

from .base import OutgoingMessage


class OutboxChannel:
    def send(self, message: OutgoingMessage) -> str:
        return f"outbox-{message.reference}"

    def find_sent(self, reference: str) -> None:
        # The outbox is the database row itself: if it is not marked sent, it did not go.
        return None
