"""Pages go compressed to a browser that asks (issue 14), and forms still work through it."""

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
GZIP = {"accept-encoding": "gzip, deflate, br"}


def _html(response) -> str:
    assert response["Content-Encoding"] == "gzip"
    return gzip.decompress(response.content).decode()


def test_a_page_is_compressed_when_the_browser_asks(client, member):
    client.force_login(member)

    response = client.get(reverse("member_home"), headers=GZIP)

    html = _html(response)
    assert "<h1" in html
    assert len(response.content) < len(html.encode()) / 2
    assert "Accept-Encoding" in response["Vary"]
    # Compression adds no inline script: the page's CSP is the same.
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_page_is_sent_plain_to_a_client_that_does_not_ask(client, member):
    client.force_login(member)

    response = client.get(reverse("member_home"))

    assert "Content-Encoding" not in response
    assert b"<h1" in response.content


def test_the_same_page_compresses_differently_each_time(client):
    """Django's BREACH mitigation: random padding in the gzip header, so response lengths do
    not reveal how well a secret on the page compresses against text the attacker chose."""
    responses = [client.get(reverse("member_account_deleted"), headers=GZIP) for _ in range(5)]

    assert len({_html(response) for response in responses}) == 1
    assert len({response.content for response in responses}) > 1


def test_a_form_whose_csrf_token_came_compressed_still_signs_in(coordinator):
    client = Client(enforce_csrf_checks=True)
    page = _html(client.get(reverse("account_login"), headers=GZIP))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("account_login"),
        {"login": coordinator.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers=GZIP,
    )

    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == coordinator


def test_a_post_without_the_token_is_still_refused(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"), headers=GZIP)

    response = client.post(
        reverse("account_login"),
        {"login": coordinator.email, "password": PASSWORD},
        headers=GZIP,
    )

    assert response.status_code == 403
