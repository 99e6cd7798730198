"""Signing in through allauth's pages, restyled with the NHS.UK design system."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.artefacts import links_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def _sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _code_from(body):
    """The sign-in code: the line on its own, like "BCD-FGH", in allauth's email."""
    return re.search(r"^([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)$", body, re.MULTILINE).group(1)


def _signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_the_sign_in_page_offers_a_password_and_a_code_and_no_sign_up(client):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – Waitroom – NHS</title>" in html
    assert "<h1>Sign in to Waitroom</h1>" in html
    assert f'href="{reverse("account_request_login_code")}"' in html
    assert "Sign in with a code sent to your email" in html
    assert '<label class="nhsuk-label" for="id_login">' in html
    assert '<label class="nhsuk-label" for="id_password">' in html
    assert 'class="nhsuk-button" data-module="nhsuk-button" type="submit"' in html
    assert "sign up" not in html.lower()
    assert reverse("account_signup") not in html


def test_a_coordinator_signs_in_with_her_password_and_lands_on_her_home(client, coordinator):
    response = _sign_in(client, coordinator.email, PASSWORD)

    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").url == reverse("coordinator_home")
    assert _signed_in_user(client) == coordinator


def test_a_wrong_password_shows_the_error_summary(client, coordinator):
    response = _sign_in(client, coordinator.email, "not-the-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – Waitroom – NHS</title>" in html
    assert 'class="nhsuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert "There is a problem" in html
    # allauth's "not correct" message belongs to the whole form: it links to the first box.
    assert re.search(r'<li><a href="#id_login">[^<]+</a></li>', html)
    assert not _signed_in_user(client).is_authenticated


def test_empty_boxes_are_each_linked_from_the_summary_with_an_error_message(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    html = response.content.decode()
    assert '<li><a href="#id_login">' in html
    assert '<li><a href="#id_password">' in html
    assert 'id="id_login_error"' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>' in html
    assert "nhsuk-form-group--error" in html
    assert "nhsuk-input--error" in html


def test_a_member_signs_in_with_a_code_sent_to_her_email(client, member):
    response = client.get(reverse("account_request_login_code"))
    assert response.status_code == 200
    assert "<h1>Sign in with a code</h1>" in response.content.decode()

    response = client.post(reverse("account_request_login_code"), {"email": member.email})
    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    code = _code_from(mail.outbox[0].body)
    confirm = response.url  # where asking for the code took her

    page = client.get(confirm).content.decode()
    assert "We have sent a code to <strong>member@example.com</strong>" in page
    assert '<label class="nhsuk-label" for="id_code">' in page

    response = client.post(confirm, {"code": code})
    assert response.status_code == 302
    assert _signed_in_user(client) == member
    assert client.get("/").url == reverse("member_home")


def test_a_wrong_code_shows_the_error_summary_and_does_not_sign_in(client, member):
    client.post(reverse("account_request_login_code"), {"email": member.email})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter your code – Waitroom – NHS</title>" in html
    assert '<li><a href="#id_code">' in html
    assert not _signed_in_user(client).is_authenticated


def test_asking_for_a_code_without_an_email_shows_the_error_summary(client):
    response = client.post(reverse("account_request_login_code"), {"email": ""})

    html = response.content.decode()
    assert "<title>Error: Sign in with a code – Waitroom – NHS</title>" in html
    assert '<li><a href="#id_email">' in html
    assert len(mail.outbox) == 0


def test_nobody_can_sign_up(client):
    users_before = get_user_model().objects.count()

    page = client.get(reverse("account_signup"))
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.com", "password1": "a-long-Pass-phrase-9"},
    )

    assert "You cannot create an account here" in page.content.decode()
    assert get_user_model().objects.count() == users_before
    assert not _signed_in_user(client).is_authenticated


def test_failed_sign_ins_are_rate_limited(client, coordinator):
    # allauth's default "login_failed" limit: 5 failures per email address in 5 minutes.
    for _ in range(5):
        response = _sign_in(client, coordinator.email, "not-the-password")
        assert "tried to sign in too many times" not in response.content.decode()

    response = _sign_in(client, coordinator.email, PASSWORD)

    assert response.status_code == 200
    assert "tried to sign in too many times" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_signing_out_asks_first_then_signs_out(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("account_logout")).content.decode()
    response = client.post(reverse("account_logout"))

    assert "<h1>Sign out</h1>" in page
    assert 'class="nhsuk-button"' in page
    assert response.status_code == 302
    assert not _signed_in_user(client).is_authenticated


def test_the_password_reset_pages_are_nhs_styled(client, coordinator):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert "<h1>Reset your password</h1>" in page
    assert '<label class="nhsuk-label" for="id_email">' in page

    errors = client.post(reverse("account_reset_password"), {"email": ""}).content.decode()
    assert "<title>Error: Reset your password – Waitroom – NHS</title>" in errors
    assert '<li><a href="#id_email">' in errors

    response = client.post(reverse("account_reset_password"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    done = client.get(response.url).content.decode()
    assert "<h1>Check your email</h1>" in done


def test_a_password_reset_link_lets_her_choose_a_new_password(client, coordinator):
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    [link] = [url for url in links_in(mail.outbox[0]) if "/password/reset/key/" in url]
    path = urlsplit(link).path.lstrip("/")

    form_page = client.get("/" + path, follow=True)
    assert "<h1>Choose a new password</h1>" in form_page.content.decode()

    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"password1": "a-new-Pass-phrase-42", "password2": "a-new-Pass-phrase-42"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-Pass-phrase-42")
