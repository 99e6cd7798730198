"""The whole story on the demo data, in real Chromium at 375 px, following only what the system
produced: a coordinator publishes a session happening now; the text to one woman is read from
the demo outbox and its link opened logged out; she accepts, makes an account from the link and
signs in with the code sent to the contact the hospital holds for her; she checks in at the
address decoded from the poster's QR code (a screenshot of the poster, read by zxing-cpp); she
appears on the facilitator's run sheet; the facilitator writes a note signposting a resource;
the resource appears on her phone. Every page on the way: axe-core clean at 375 px, no sideways
scrolling at 320 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from demo.seed import demo_seed
from demo.spec import SIGN_INS
from groups.models import Cohort, MembershipStatus
from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Patient
from tests.artefacts import links_in, qr_text_in_png
from tests.factories import AppointmentFactory
from waitroom.models import Clinic

from .axe import axe_violations, format_violations
from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = {s.role: s for s in SIGN_INS}
COHORT_SLUG = "twins-or-multiples"  # public name "More than one baby"
# The account code sent to her contact on file (groups/members/account_codes.py).
CODE = re.compile(r"Your Waitroom code is (\d{6})")


def _width_at_320(page) -> int:
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(PHONE)
    return width


class PageChecks:
    """axe-core at 375 px and sideways scrolling at 320 px on every page visited. Problems are
    collected and reported together at the end, so one run lists every page that needs work."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.visited: list[str] = []

    def __call__(self, page) -> None:
        self.visited.append(page.url)
        violations = axe_violations(page)
        if violations:
            self.problems.append(f"{page.url}: axe-core\n{format_violations(violations)}")
        width = _width_at_320(page)
        if width > 320:
            self.problems.append(f"{page.url} scrolls sideways at 320px ({width}px wide)")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    return context


def _submit(page, name) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _a_demo_woman_in_clinic_now(clinic: Clinic, cohort: Cohort, start: dt.datetime) -> Patient:
    """A demo woman in the cohort, with no account, who can be texted; the hospital's list gives
    her an appointment just after the session starts (the list import is tested elsewhere)."""
    patient = (
        Patient.objects.filter(
            organisation=clinic.organisation,
            user__isnull=True,
            consent_sms=True,
            cohort_memberships__cohort=cohort,
            cohort_memberships__status=MembershipStatus.ACTIVE,
            opted_out_at__isnull=True,
            pregnancy_ended_at__isnull=True,
        )
        # The demo's year of history invited her to past sessions without messages; none to a
        # session still to come and no message, so the outbox holds one invitation to her: this.
        .exclude(invitations__session__start__gte=start - dt.timedelta(days=1))
        .exclude(invitations__messages__isnull=False)
        .exclude(mobile="")
        .exclude(email="")
        .order_by("hospital_number")
        .first()
    )
    assert patient is not None, "The demo has no woman to invite"
    AppointmentFactory(patient=patient, clinic=clinic, start=start + dt.timedelta(minutes=20))
    return patient


def _code_sent_to(patient: Patient) -> str:
    """The sign-in code from the last message sent to the contact the hospital holds for her."""
    to_her = [email for email in mail.outbox if patient.email in email.to]
    assert to_her, f"No email was sent to her address on file ({len(mail.outbox)} sent in all)"
    return CODE.search(to_her[-1].body).group(1)


def test_the_whole_story_from_publishing_to_her_signposted_resource(browser, live_server, settings):
    check = PageChecks()
    demo_seed()
    # Links the system sends must open the site actually being served (issue 9, defect 1).
    settings.SITE_URL = live_server.url
    settings.MESSAGE_CHANNEL = "outbox"
    clinic = Clinic.objects.get(slug="riverside")
    cohort = Cohort.objects.get(slug=COHORT_SLUG)
    zone = clinic.zone
    # A session happening now: starting in five minutes, on the clinic's wall clock.
    start = (
        (timezone.now() + dt.timedelta(minutes=5)).astimezone(zone).replace(second=0, microsecond=0)
    )
    end = start + dt.timedelta(minutes=45)
    if not (clinic.opens_at <= start.time() and end.time() <= clinic.closes_at) or (
        end.date() != start.date()
    ):
        # Outside the demo clinic's hours (a test run at night): the clinic runs late today.
        if end.date() != start.date():
            pytest.skip("A session starting now would cross midnight")
        clinic.opens_at, clinic.closes_at = dt.time(0, 0), dt.time(23, 59)
        clinic.save(update_fields=["opens_at", "closes_at"])
    woman = _a_demo_woman_in_clinic_now(clinic, cohort, start)

    coordinator_context = _phone(browser, live_server)
    her_context = _phone(browser, live_server)
    facilitator_context = _phone(browser, live_server)
    try:
        # 1. The coordinator schedules and publishes the session.
        coord = coordinator_context.new_page()
        sign_in(coord, DEMO["coordinator"].email, DEMO["coordinator"].password)
        coord.goto(f"/clinics/{clinic.slug}/sessions/new/")
        check(coord)
        coord.get_by_label("Group").select_option(label=cohort.staff_name)
        coord.locator("input[name=date_day]").fill(str(start.day))
        coord.locator("input[name=date_month]").fill(str(start.month))
        coord.locator("input[name=date_year]").fill(str(start.year))
        coord.locator("input[name=start_time]").fill(f"{start:%H:%M}")
        coord.locator("input[name=end_time]").fill(f"{end:%H:%M}")
        # The first of the demo clinic's named places in the waiting area.
        coord.get_by_label("Where in the waiting area").select_option(index=1)
        coord.locator("input[name=capacity]").fill("8")
        coord.get_by_label(DEMO["facilitator"].name).check()
        coord.locator("main form [type=submit]").last.click()
        # The draft says how many women publishing will invite (she is one of them).
        publish = re.compile(r"^Publish and invite \d+ wom[ae]n$")
        expect(coord.get_by_role("button", name=publish)).to_be_visible()
        check(coord)
        _submit(coord, publish)
        check(coord)
        invitation = Invitation.objects.get(session__start=start, patient=woman)

        # 2. The text she was sent, read in the demo outbox.
        coord.goto(f"/clinics/{clinic.slug}/outbox/")
        card = coord.locator(".nhsuk-card").filter(
            has_text=f"Invitation to {woman.first_name} {woman.family_name}"
        )
        expect(card).to_have_count(1)
        check(coord)
        [link] = links_in(card.inner_text())
        assert link.startswith(live_server.url + "/")

        # 3. She opens it on her phone, logged out, and accepts.
        her = her_context.new_page()
        her.goto(link)
        expect(her.get_by_role("heading", name=cohort.public_name)).to_be_visible()
        check(her)
        _submit(her, "Yes, I will come")
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.ACCEPTED
        check(her)

        # 4. An account from the link; she signs in with the code sent to her contact on file.
        with her.expect_navigation():
            her.get_by_role("link", name="Create an account").click()
        check(her)
        # She chooses her email on file, shown masked (ADR 29), and the code goes there.
        her.get_by_label(re.compile(r"^Email to ")).check()
        _submit(her, "Send me a code")
        expect(her.locator("input[name=code]")).to_be_visible()
        check(her)
        her.locator("input[name=code]").fill(_code_sent_to(woman))
        her.locator("input[name=display_name]").fill("Sunny")
        _submit(her, "Create account")
        assert her.url.endswith("/me/")
        check(her)
        woman.refresh_from_db()
        assert woman.user is not None

        # 5. The facilitator puts up the poster; she checks in at the address its QR code holds.
        staff = facilitator_context.new_page()
        sign_in(staff, DEMO["facilitator"].email, DEMO["facilitator"].password)
        staff.goto(f"/clinics/{clinic.slug}/check-in-poster/")
        check(staff)
        scanned = qr_text_in_png(staff.locator("svg.waitroom-poster__qr").screenshot())
        assert scanned.startswith(live_server.url + "/")
        short_address = staff.locator(".waitroom-poster strong").inner_text().strip()
        assert short_address.startswith(live_server.url + "/")
        assert clinic.checkin_code in staff.locator(".waitroom-poster__short-code").inner_text()
        her.goto(scanned)
        check(her)
        _submit(her, re.compile("^Check in"))
        expect(her.get_by_text(f"You are checked in to {cohort.public_name}")).to_be_visible()
        check(her)

        # 6. She is on the run sheet; the facilitator writes a note signposting a resource.
        staff.goto(f"/clinics/{clinic.slug}/sessions/{invitation.session_id}/run/")
        expect(staff.get_by_role("heading", name="Sunny")).to_be_visible()
        check(staff)
        with staff.expect_navigation():
            staff.get_by_role("link", name="Write a discussion note and signpost resources").click()
        check(staff)
        staff.get_by_label("Summary").fill("We talked about sleep with two babies.")
        resource = staff.locator("input[name=resources]").first
        title = staff.locator(f"label[for='{resource.get_attribute('id')}']").inner_text()
        title = re.sub(r"\s*\([^)]*\)\s*$", "", title).strip()
        resource.check()
        _submit(staff, "Save note")
        expect(staff.get_by_role("heading", name="Discussion note")).to_be_visible()
        check(staff)

        # 7. The resource is on her phone.
        her.goto("/me/")
        expect(her.get_by_text(title).first).to_be_visible()
        check(her)
        her.goto("/my-resources/")
        expect(her.get_by_text(title).first).to_be_visible()
        check(her)
    finally:
        coordinator_context.close()
        her_context.close()
        facilitator_context.close()
    check.assert_clean()
    assert len(check.visited) >= 15
