"""The signed invitation link itself: what it carries, how long it lasts, what it refuses."""

import datetime as dt
from unittest import mock

import pytest
from django.core import signing

from sessions.invitations import links

from .builders import invitation_for, link

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def _days_later(days: float) -> float:
    return dt.datetime.now(dt.UTC).timestamp() + days * DAY


def test_a_link_lasts_ten_days(client, clinic):
    """Long enough for an invitation sent 7 days ahead and the day itself; not much longer."""
    invitation = invitation_for(clinic)
    url = link(invitation)
    with mock.patch("time.time", return_value=_days_later(9.9)):
        assert client.get(url).status_code == 200
    with mock.patch("time.time", return_value=_days_later(10.1)):
        assert client.get(url).status_code == 404


def test_the_link_carries_the_invitation_id_only(clinic):
    invitation = invitation_for(clinic)
    token = links.invitation_token(invitation)
    payload = signing.TimestampSigner(salt="waitroom.invitation-link").unsign_object(token)
    assert payload == {"i": invitation.pk}
    assert links.invitation_from_token(token) == invitation


@pytest.mark.parametrize("payload", [{"x": 1}, [1], "1", None])
def test_a_properly_signed_token_without_an_invitation_id_is_refused(clinic, payload):
    token = signing.TimestampSigner(salt="waitroom.invitation-link").sign_object(payload)
    with pytest.raises(links.InvalidLink):
        links.invitation_from_token(token)


def test_a_link_to_an_invitation_that_no_longer_exists_is_refused(client, clinic):
    invitation = invitation_for(clinic)
    url = link(invitation)
    invitation.delete()
    assert client.get(url).status_code == 404
