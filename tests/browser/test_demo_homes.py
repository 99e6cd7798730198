"""Each demo role, in real Chromium at phone size: sign in with the printed demo details, reach
her home, and find no WCAG 2.2 A/AA problem on the way, nor any sideways scrolling at 320 px."""

import re

import pytest

from demo.seed import demo_seed
from demo.spec import SIGN_INS

from .conftest import sign_in

pytestmark = pytest.mark.browser

# role → (the home's path, its h1, something from the demo data it must show)
HOMES = {
    "coordinator": ("/coordinator/", "Your clinics", "Riverside Antenatal Clinic"),
    "facilitator": ("/my-sessions/", "Your sessions", "Riverside Antenatal Clinic"),
    "peer supporter": ("/my-sessions/", "Your sessions", "Riverside Antenatal Clinic"),
    "member": ("/me/", "Hello Chloe B", "Calm and connected"),
}


def scrolls_sideways_at_320px(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 640})
    return page.evaluate("document.documentElement.scrollWidth") > 320


@pytest.mark.parametrize(
    "demo_sign_in", [s for s in SIGN_INS if s.role in HOMES], ids=lambda s: s.role
)
def test_each_demo_role_signs_in_at_phone_size_and_reaches_an_accessible_home(
    phone_page, assert_accessible, demo_sign_in
):
    demo_seed()
    page = phone_page

    page.goto("/")
    assert re.search(r"/account/login/", page.url), page.url
    assert_accessible(page)
    assert not scrolls_sideways_at_320px(page)
    page.set_viewport_size({"width": 375, "height": 667})

    sign_in(page, demo_sign_in.email, demo_sign_in.password)
    path, heading, shows = HOMES[demo_sign_in.role]
    page.wait_for_url(f"**{path}")
    assert page.locator("h1").inner_text().strip() == heading
    assert shows in page.locator("main").inner_text()
    assert_accessible(page)
    assert not scrolls_sideways_at_320px(page)
