"""The shared browser harness: real Chromium (Debian's, no downloads) driven by Playwright's sync
API against pytest-django's live server, plus axe-core and a sign-in helper.

Browser tests mark themselves `@pytest.mark.browser` and take `phone_page` or `tablet_page`:
each is a fresh browser context (own cookies) whose base URL is the live server, so
`page.goto("/")` works. Playwright's sync API keeps an event loop running in the main thread,
which is why tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE: Django's ORM would otherwise
refuse to run in the test body.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .axe import assert_accessible as _assert_accessible

CHROMIUM = os.environ.get("WAITROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 667}
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole run; each test gets its own context (cookies, storage)."""
    if not Path(CHROMIUM).exists():
        # Not a skip: a missing browser must fail loudly (.ci/run installs Debian's chromium).
        pytest.fail(f"Chromium is not at {CHROMIUM}: install it with `apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser, live_server, viewport: dict, **options) -> Iterator:
    """A fresh page in its own context on the live server, British English in London time;
    `options` go to Playwright's new_context (java_script_enabled=False, ...)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="en-GB",
        timezone_id="Europe/London",
        **options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, live_server, transactional_db) -> Iterator:
    """A fresh page 375 × 667 (a small phone) on the live server."""
    yield from open_page(browser, live_server, PHONE)


@pytest.fixture
def tablet_page(browser, live_server, transactional_db) -> Iterator:
    """A fresh page 768 × 1024 (a tablet in portrait) on the live server."""
    yield from open_page(browser, live_server, TABLET)


@pytest.fixture
def assert_accessible() -> Callable:
    """`assert_accessible(page)`: fail listing each axe-core WCAG 2.2 A/AA violation."""
    return _assert_accessible


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real allauth password form and wait for the page after it."""
    page.goto("/account/login/")
    # By field name, not label: the labels' wording belongs to the sign-in page's designers.
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
