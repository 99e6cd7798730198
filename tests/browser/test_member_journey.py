"""A woman's journey on a small phone, in real Chromium, with axe-core on every page: from the
link in her message to accepting, an account, her group and a post; another member reports the
post and a facilitator hides it; then she checks in from the waiting-room poster."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from groups.models import Post
from sessions.facilitation.models import Attendance
from sessions.invitations.models import InvitationState
from tests.artefacts import printed_checkin, qr_target, qr_text_in_png
from tests.factories import CohortFactory, PatientFactory, StaffRoleFactory
from tests.members.builders import group_member, invitation_for, link, running_now
from waitroom.models import Role

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} scrolls sideways at {viewport}px ({width}px wide)"


def _check(page, assert_accessible) -> None:
    assert_accessible(page)
    _no_sideways_scroll(page)


def _context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    return context


def _submit(page, text: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=text).click()


def test_member_journey(
    phone_page, browser, live_server, assert_accessible, clinic, mailoutbox, settings
):
    page = phone_page
    settings.SITE_URL = live_server.url  # links the system makes open the site under test
    facilitator = StaffRoleFactory(
        clinic=clinic,
        role=Role.FACILITATOR,
        user__email="amara@example.nhs.uk",
        user__first_name="Amara",
    ).user
    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    patient = PatientFactory(organisation=clinic.organisation)
    start, end = running_now()
    invitation = invitation_for(
        clinic, patient=patient, cohort=cohort, start=start, end=end, facilitators=[facilitator]
    )
    reporter = group_member(
        cohort, display_name="Reader", email="reader@example.com", clinic=clinic
    )

    # The link in her text message.
    page.goto(link(invitation))
    assert page.get_by_role("heading", name="Twins and more group").is_visible()
    assert page.get_by_text("Amara").is_visible()
    _check(page, assert_accessible)
    _submit(page, "Yes, I will come")
    invitation.refresh_from_db()
    assert invitation.state in (InvitationState.ACCEPTED, InvitationState.WAITING_LIST)
    _check(page, assert_accessible)

    # An account from the link: a code to her email on file, and she is signed in.
    with page.expect_navigation():
        page.get_by_role("link", name="Create an account").click()
    _check(page, assert_accessible)
    page.get_by_label(re.compile(r"Email to .•••@")).check()
    _submit(page, "Send me a code")
    assert page.url.endswith("/account/code/")
    _check(page, assert_accessible)
    [sent] = [m for m in mail.outbox if m.to == [patient.email]]
    code = re.search(r"Your Waitroom code is (\d{6})", sent.body).group(1)
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=display_name]").fill("Sunny")
    _submit(page, "Create account")
    assert page.url.endswith("/me/")
    _check(page, assert_accessible)

    # Her group: join, then post.
    with page.expect_navigation():
        page.get_by_role("link", name="Join or leave groups online").click()
    _check(page, assert_accessible)
    with page.expect_navigation():
        page.get_by_role("link", name="Join Twins and more group").click()
    _check(page, assert_accessible)
    page.locator("input[name=agree]").check()
    _submit(page, "Join the group")
    assert page.get_by_text("Need help now?").is_visible()
    _check(page, assert_accessible)
    page.locator("input[name=title]").fill("Sleep")
    page.locator("textarea[name=body]").fill("Anyone else awake at 4am? https://www.nhs.uk/")
    _submit(page, "Post")
    _check(page, assert_accessible)
    post = Post.objects.get(thread__title="Sleep")

    # Another member reports it.
    other = _context(browser, live_server)
    try:
        other_page = other.new_page()
        sign_in(other_page, "reader@example.com", "correct-horse-battery")
        other_page.goto(f"/groups/{cohort.pk}/threads/{post.thread_id}/")
        _check(other_page, assert_accessible)
        with other_page.expect_navigation():
            other_page.get_by_role("link", name=re.compile("^Report")).click()
        _check(other_page, assert_accessible)
        other_page.locator("input[value=unkind]").check()
        _submit(other_page, "Send report")
        assert post.reports.filter(reporter=reporter).exists()
    finally:
        other.close()

    # A facilitator hides it from the moderation queue.
    staff = _context(browser, live_server)
    try:
        staff_page = staff.new_page()
        sign_in(staff_page, "amara@example.nhs.uk", "correct-horse-battery")
        staff_page.goto(f"/clinics/{clinic.slug}/moderation/")
        assert staff_page.get_by_text("Reported 1 time").is_visible()
        _check(staff_page, assert_accessible)
        with staff_page.expect_navigation():
            staff_page.get_by_role("link", name=re.compile("^Review")).first.click()
        _check(staff_page, assert_accessible)
        staff_page.locator("input[name=reason]").fill("Please keep it kind")
        _submit(staff_page, "Hide the message")
        post.refresh_from_db()
        assert post.hidden_reason == "Please keep it kind"
        staff_page.goto(f"/clinics/{clinic.slug}/check-in-poster/")
        assert staff_page.locator("svg.waitroom-poster__qr").is_visible()
        _check(staff_page, assert_accessible)
        # What her phone camera reads from the poster as printed.
        scanned = qr_text_in_png(staff_page.locator("svg.waitroom-poster__qr").screenshot())
    finally:
        staff.close()

    # She sees why, then checks in from the poster.
    page.goto(f"/groups/{cohort.pk}/")
    assert page.get_by_text("Please keep it kind").is_visible()
    _check(page, assert_accessible)
    page.goto(scanned)
    _check(page, assert_accessible)
    _submit(page, re.compile("^Check in"))
    assert page.get_by_text("You are checked in to Twins and more group").is_visible()
    assert Attendance.objects.filter(patient=patient, session=invitation.session).count() == 1
    _check(page, assert_accessible)

    # Her preferences and information pages.
    for url in ("/me/preferences/", "/me/your-information/", "/me/delete-account/"):
        page.goto(url)
        _check(page, assert_accessible)


def test_member_pages_fit_a_320px_screen(phone_page, live_server, clinic, peer_supporter, settings):
    page = phone_page
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": 320, "height": 640})
    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    invitation = invitation_for(clinic, cohort=cohort)
    page.goto(link(invitation))
    _no_sideways_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Create an account").click()
    _no_sideways_scroll(page)
    staff = Client()
    staff.force_login(peer_supporter)
    poster = staff.get(reverse("checkin_poster", args=[clinic.slug]))
    page.goto(qr_target(poster))
    _no_sideways_scroll(page)
    address, _code = printed_checkin(poster)
    page.goto(address)
    _no_sideways_scroll(page)
    user = group_member(cohort, display_name="Sunny", email="s@example.com", clinic=clinic)
    user.set_password("correct-horse-battery")
    user.save()
    sign_in(page, "s@example.com", "correct-horse-battery")
    from groups.services import thread_start

    thread = thread_start(
        membership=user.patient.cohort_memberships.get(),
        author=user,
        title="A long link",
        body="https://www.nhs.uk/" + "very-long-path-segment-" * 10,
    )
    for url in (
        "/me/",
        "/groups/",
        f"/groups/{cohort.pk}/",
        f"/groups/{cohort.pk}/threads/{thread.pk}/",
    ):
        page.goto(url)
        _no_sideways_scroll(page)
