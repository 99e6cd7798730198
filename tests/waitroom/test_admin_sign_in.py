"""The admin signs in on the one rate-limited sign-in page; Django's own admin login, which had
no limit and hashed two passwords a try, checks no password at all."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.nhs.uk", is_superuser=True, is_staff=True)


def _signed_in_user(client):
    return client.get("/").wsgi_request.user


def _sign_in_page_from_admin(client):
    """Open the admin as she would, and follow it to the page that asks for her password."""
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain
    return response.redirect_chain[-1][0]


def test_opening_the_admin_leads_to_the_sign_in_page_and_back(client, superuser):
    sign_in_url = _sign_in_page_from_admin(client)
    assert sign_in_url.startswith(reverse("account_login"))

    response = client.post(sign_in_url, {"login": superuser.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.get(response.url).status_code == 200


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client, superuser):
    response = client.post(
        reverse("admin:login"), {"username": superuser.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not _signed_in_user(client).is_authenticated


def test_forty_wrong_admin_passwords_then_the_right_one_is_refused(client, superuser):
    sign_in_url = _sign_in_page_from_admin(client)
    for n in range(40):
        client.post(sign_in_url, {"login": superuser.email, "password": f"guess-{n}"})

    response = client.post(sign_in_url, {"login": superuser.email, "password": PASSWORD})

    # 5 failures for one address lock it ("login_failed"); 30 tries a minute from one client
    # ("login") are refused outright, with a plain page.
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_after_five_wrong_admin_passwords_the_right_one_is_refused(client, superuser):
    sign_in_url = _sign_in_page_from_admin(client)
    for n in range(5):
        client.post(sign_in_url, {"login": superuser.email, "password": f"guess-{n}"})

    response = client.post(sign_in_url, {"login": superuser.email, "password": PASSWORD})

    assert "tried to sign in too many times" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting how often a password is hashed."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("email", ["admin@example.nhs.uk", "nobody@example.nhs.uk"])
def test_a_failed_sign_in_hashes_one_password(client, superuser, settings, email):
    settings.PASSWORD_HASHERS = ["tests.waitroom.test_admin_sign_in.CountingHasher"]
    superuser.set_password(PASSWORD)
    superuser.save(update_fields=["password"])
    CountingHasher.calls = 0

    client.post(reverse("account_login"), {"login": email, "password": "wrong"})

    assert CountingHasher.calls == 1
