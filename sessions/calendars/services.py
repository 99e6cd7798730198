"""Creating, replacing and revoking a staff member's calendar feed secret."""

from __future__ import annotations

import secrets

from waitroom.models import User


def calendar_token_rotate(*, user: User) -> str:
    """Give `user` a new feed secret; any URL made with the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user: User) -> None:
    """Turn `user`'s feed off: no secret, so no URL finds her."""
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])
