"""The client address in the audit trail and in sign-in rate limits: X-Forwarded-For is believed
only from the proxies named in TRUSTED_PROXIES, and a bad value never fails a request."""

import pytest
from django.urls import reverse

from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def _audited_ip(client, **headers) -> str | None:
    """Export the audit trail (which audits itself) and read back the address recorded."""
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.get(reverse("audit_log"), {"format": "csv"}, **headers)
    assert response.status_code == 200
    (event,) = AuditEvent.objects.exclude(pk__in=before)
    return event.ip_address


def test_a_forged_forwarded_header_is_ignored_when_no_proxy_is_trusted(as_persona, settings):
    settings.TRUSTED_PROXIES = []
    client = as_persona("coordinator")
    assert _audited_ip(client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9") == (
        "198.51.100.4"
    )


@pytest.mark.parametrize(
    "forged", ["not-an-ip", "999.1.1.1", "", " , ,", "1.2.3.4; DROP", "x" * 500]
)
@pytest.mark.parametrize("trusted", [[], ["198.51.100.0/24"]])
def test_a_value_that_is_not_an_address_never_fails_the_request(
    as_persona, settings, forged, trusted
):
    settings.TRUSTED_PROXIES = trusted
    client = as_persona("coordinator")
    assert _audited_ip(client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=forged) == (
        "198.51.100.4"
    )


def test_behind_a_trusted_proxy_the_client_is_the_last_address_it_did_not_write(
    as_persona, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = as_persona("coordinator")
    # The client forged the first hop; our two proxies appended the real one and each other.
    header = "6.6.6.6, 203.0.113.9, 10.1.1.1"
    assert _audited_ip(client, REMOTE_ADDR="10.2.2.2", HTTP_X_FORWARDED_FOR=header) == (
        "203.0.113.9"
    )


def test_a_forwarded_header_from_an_untrusted_connection_is_ignored(as_persona, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = as_persona("coordinator")
    assert _audited_ip(client, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="10.9.9.9") == (
        "203.0.113.50"
    )


def test_an_ipv6_address_with_a_zone_from_a_trusted_proxy_is_stored_without_it(
    as_persona, settings
):
    settings.TRUSTED_PROXIES = ["198.51.100.0/24"]
    client = as_persona("coordinator")
    forwarded = "fe80::1%eth0"
    assert _audited_ip(client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=forwarded) == (
        "fe80::1"
    )


def test_a_connecting_address_with_a_port_or_ipv4_in_ipv6_form_is_stored_plainly(
    as_persona, settings
):
    settings.TRUSTED_PROXIES = []
    client = as_persona("coordinator")
    assert _audited_ip(client, REMOTE_ADDR="::ffff:198.51.100.4") == "198.51.100.4"


def _sign_in(client, email, password, forwarded):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_sign_in_rate_limit_cannot_be_dodged_by_forging_forwarded_for(
    client, coordinator, settings
):
    """allauth's per-address limit ("login": 30 a minute) counts the connecting address, not
    whatever X-Forwarded-For says, so changing the header every try does not reset it."""
    settings.TRUSTED_PROXIES = []
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip", "login_failed": None}
    for n in range(3):
        response = _sign_in(client, f"nobody{n}@example.org", "wrong", f"203.0.113.{n}")
        assert response.status_code == 200
    response = _sign_in(client, coordinator.email, PASSWORD, "203.0.113.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_sign_in_rate_limit_counts_the_client_behind_a_trusted_proxy(
    client, coordinator, settings
):
    settings.TRUSTED_PROXIES = ["198.51.100.0/24"]
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip", "login_failed": None}
    for n in range(3):
        assert _sign_in(client, f"nobody{n}@example.org", "wrong", "203.0.113.1").status_code == 200
    # Another woman behind the same hospital proxy is not locked out by the first one.
    assert _sign_in(client, "someone@example.org", "wrong", "203.0.113.2").status_code == 200
    assert _sign_in(client, "someone@example.org", "wrong", "203.0.113.1").status_code == 429
