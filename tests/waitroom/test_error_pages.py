"""Error pages are NHS-styled, say what to do next, and lead back to the service."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_what_to_do(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<title>Page not found – Waitroom – NHS</title>" in body
    assert "nhsuk-header" in body
    assert "Go to your Waitroom home page" in body


def test_a_forbidden_page_points_to_the_coordinator(as_persona):
    response = as_persona("member").get("/coordinator/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert "ask your clinic coordinator" in response.content.decode()


def test_the_server_error_page_renders_without_a_request():
    # Django renders 500.html with an empty context: nothing in it may need a request or user.
    body = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in body
    assert "NHS 111" in body
