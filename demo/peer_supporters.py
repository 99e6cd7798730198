"""The demo's part of `sessions.facilitation`: the volunteer's training and DBS check."""

from __future__ import annotations

import datetime as dt

from sessions.facilitation.models import PeerSupporterRecord
from waitroom.models import User


def seed_peer_supporter_checks(volunteer: User, *, today: dt.date) -> None:
    """The demo volunteer is trained and DBS-checked, so she may run sessions."""
    PeerSupporterRecord.objects.update_or_create(
        user=volunteer,
        defaults={
            "training_completed_on": today - dt.timedelta(days=300),
            "dbs_checked_on": today - dt.timedelta(days=400),
            "dbs_expires_on": today + dt.timedelta(days=695),
        },
    )
