"""Sign-in codes and allauth's other emails, in Waitroom's words, read as they were sent."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

OURS = Path(settings.BASE_DIR) / "templates" / "account" / "email"
ALLAUTHS = Path(allauth.__file__).parent / "templates" / "account" / "email"
NOTIFICATIONS = {
    "password_changed",
    "password_set",
    "password_reset",
    "email_changed",
    "email_deleted",
    "email_confirm",
}
PREFIXES = sorted(p.name.removesuffix("_subject.txt") for p in ALLAUTHS.glob("*_subject.txt"))

# allauth's stock wording (as written: "Sign-In Code" is stock, "sign-in code" ours), and the
# request's host it signs off with.
STOCK = [
    "Hello from",
    "Thank you for using",
    "safely ignored",
    "open browser window",
    "You're receiving this",
    "You are receiving this",
    "sign up",
    "Sign up",
    "Sign-In Code",
    "testserver!",
    "127.0.0.1!",
    "take proper security precautions",
]
# Nothing on a lock screen says she is pregnant or names a group's condition.
PRIVATE = re.compile(r"\b(pregnan\w*|antenatal|maternity|midwi\w*|cohort|twins?|bmi)\b", re.I)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def links_in(text: str) -> list[str]:
    """Every web address in a plain-text body."""
    return re.findall(r"https?://\S+", text)


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def hrefs_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_in_our_words(message) -> None:
    html = html_of(message)
    for text in (message.subject, message.body, html):
        assert [phrase for phrase in STOCK if phrase in text] == []
        assert PRIVATE.findall(text) == []
        assert "{{" not in text and "{%" not in text
    assert message.subject.startswith("Waitroom: ")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert message.body.rstrip().endswith("/account/login/")


def test_the_sign_in_code_email_gives_the_code_and_a_way_back_in_plain_words(client, member):
    client.post(reverse("account_request_login_code"), {"email": member.email})

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Waitroom: Your sign-in code"
    assert_in_our_words(message)
    code = re.search(r"^([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)$", message.body, re.MULTILINE).group(1)
    assert "It works for 5 minutes." in message.body
    assert code in html_of(message)
    # The link for when she has closed the page: on another phone or browser it asks for a new
    # code; in the browser still waiting for this code it goes back to where she enters it.
    (new_code_link,) = [u for u in links_in(message.body) if "/code/" in u]
    assert new_code_link in hrefs_in(html_of(message))
    elsewhere = Client().get(path_of(new_code_link))
    assert "<h1>Sign in with a code</h1>" in elsewhere.content.decode()
    waiting = client.get(path_of(new_code_link), follow=True)
    assert '<label class="nhsuk-label" for="id_code">' in waiting.content.decode()
    # And the code from the email signs her in.
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == member


def test_the_password_reset_email_carries_a_link_that_lets_her_choose_a_password(
    client, coordinator
):
    client.post(reverse("account_reset_password"), {"email": coordinator.email})

    (message,) = mail.outbox
    assert message.subject == "Waitroom: Reset your password"
    assert_in_our_words(message)
    assert "The link works once, for 3 days." in message.body
    assert "Your password has not changed." in message.body
    (reset_link,) = [u for u in links_in(message.body) if "/password/reset/key/" in u]
    assert reset_link in hrefs_in(html_of(message))
    page = client.get(path_of(reset_link), follow=True)
    assert "<h1>Choose a new password</h1>" in page.content.decode()


def test_an_unknown_address_is_told_how_to_get_an_account_not_to_sign_up(client):
    client.post(reverse("account_request_login_code"), {"email": "stranger@example.com"})

    (message,) = mail.outbox
    assert message.subject == "Waitroom: We could not find your account"
    assert_in_our_words(message)
    assert "there is no Waitroom account for it" in message.body
    assert "link in your invitation text or email" in message.body
    assert "ask your clinic coordinator to add you" in message.body
    assert not [u for u in links_in(message.body) if "signup" in u]
    assert not [u for u in hrefs_in(html_of(message)) if "signup" in u]


def _render_every_context() -> dict:
    return {
        "code": "ABC-DEF",
        "password_reset_url": "http://testserver/account/password/reset/key/1-set/",
        "activate_url": "http://testserver/account/confirm-email/key/",
        "signup_url": "http://testserver/account/signup/",
        "from_email": "old@example.com",
        "to_email": "new@example.com",
        "deleted_email": "old@example.com",
        "timestamp": dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC),
        "ip": "192.0.2.1",
        "user_agent": "Phone",
    }


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_allauth_email_is_in_our_words_as_text_and_html(prefix):
    for kind in ("subject.txt", "message.txt", "message.html"):
        assert (OURS / f"{prefix}_{kind}").is_file()
    request = RequestFactory().get("/")
    with allauth_context.request_context(request):
        adapter = get_adapter()
        context = {**adapter._email_context(), **_render_every_context(), "email": "a@example.com"}
        message = adapter.render_mail(f"account/email/{prefix}", "a@example.com", context)

    assert_in_our_words(message)
    assert len(message.subject) < 60
    if prefix in NOTIFICATIONS:
        assert "on 2 December 2026 at 9:30am." in message.body  # NHS style, UK time
