"""The pages issue 9 found broken on a phone, measured in real Chromium at 320 and 375 px: the
demo outbox (scrolled sideways, links as plain text), the team page (wider than 320 px) and
the run sheet (about 960 px per woman, her state not shown). axe-core clean on each."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from sessions.facilitation.models import Attendance, AttendanceStatus
from sessions.facilitation.services import attendance_check_in
from sessions.invitations.models import Invitation, InvitationState, Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import message_send
from tests.artefacts import links_in
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    PatientFactory,
    StaffRoleFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)
from tests.invitations.conftest import NOW, SESSION_START, make_day
from tests.members.builders import running_now
from waitroom.models import Role

from .conftest import open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests/factories.py's UserFactory password
LONG_EMAIL = "rosalind.featherstonehaugh-cholmondeley@maternity.riverside.example.nhs.uk"
# A woman's block on the run sheet, at most (was about 960 px at 375 px).
MAX_HEIGHT_PER_WOMAN = 200


def _page(browser, live_server, width: int, *, javascript: bool = True) -> Iterator:
    viewport = {"width": width, "height": 640}
    yield from open_page(browser, live_server, viewport, java_script_enabled=javascript)


@pytest.fixture(params=[320, 375], ids=lambda w: f"{w}px")
def narrow_page(request, browser, live_server, transactional_db) -> Iterator:
    yield from _page(browser, live_server, request.param)


@pytest.fixture
def no_js_phone(browser, live_server, transactional_db) -> Iterator:
    yield from _page(browser, live_server, 320, javascript=False)


def assert_no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"


@pytest.fixture
def clinic():
    return ClinicFactory(slug="riverside", name="Riverside Antenatal Clinic")


def test_the_outbox_fits_a_phone_and_its_links_are_links(
    narrow_page, clinic, settings, assert_accessible
):
    page = narrow_page
    settings.MESSAGE_CHANNEL = "outbox"
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR, user__email="coord@example.nhs.uk")
    day = make_day(clinic, SESSION_START)
    for minute in (5, 10):
        day.woman(10, minute)
    plan_invitations_for_session(day.session.pk, now=NOW)
    for message in Message.objects.filter(kind=MessageKind.INVITATION):
        message_send(message_id=message.pk, now=NOW.replace(day=26))
    sent = Message.objects.filter(kind=MessageKind.INVITATION, sent_at__isnull=False)
    assert sent.exists()

    sign_in(page, "coord@example.nhs.uk", PASSWORD)
    page.goto("/clinics/riverside/outbox/")
    expect(page.get_by_role("heading", name="Demo outbox")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    # Every address in a message as sent is a link to that address.
    hrefs = page.locator(".waitroom-message-body a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for message in sent:
        assert links_in(message)
        for url in links_in(message):
            assert url in hrefs


def test_the_team_page_fits_320_px_with_a_long_email_address(
    narrow_page, clinic, assert_accessible
):
    page = narrow_page
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR, user__email="coord@example.nhs.uk")
    StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER, user__email=LONG_EMAIL)
    sign_in(page, "coord@example.nhs.uk", PASSWORD)
    page.goto("/clinics/riverside/team/")
    expect(page.get_by_text(LONG_EMAIL)).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def _session_with_five_women(clinic):
    peer = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER, user__email="peer@example.org")
    start, end = running_now()
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=CohortFactory(staff_name="Twin pregnancy", clinics=[clinic]),
        start=start,
        end=end,
        facilitators=[peer.user],
    )
    names = ["Sunflower", "", "Jo", "", "Bluebell"]
    women = []
    for n, name in enumerate(names):
        woman = PatientFactory(
            organisation=clinic.organisation,
            user=UserFactory(display_name=name) if name else None,
            interpreter_needed=n == 3,
            preferred_language="pl" if n == 3 else "en",
        )
        appointment = AppointmentFactory(patient=woman, clinic=clinic, start=end)
        Invitation.objects.create(
            session=session, patient=woman, appointment=appointment, state=InvitationState.ACCEPTED
        )
        women.append(woman)
    attendance_check_in(session=session, patient=women[0])
    attendance_check_in(session=session, patient=women[1])
    return session, women


def test_the_run_sheet_is_compact_on_a_phone_and_shows_each_womans_state(
    narrow_page, clinic, assert_accessible
):
    page = narrow_page
    session, women = _session_with_five_women(clinic)
    sign_in(page, "peer@example.org", PASSWORD)
    page.goto(f"/clinics/riverside/sessions/{session.pk}/run/")
    expect(page.locator("#run-sheet-count")).to_have_text("2 of 5 checked in")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    blocks = page.locator(".waitroom-run-sheet__woman")
    expect(blocks).to_have_count(5)
    height = page.locator(".waitroom-run-sheet").bounding_box()["height"]
    assert height / 5 <= MAX_HEIGHT_PER_WOMAN, f"{height / 5:.0f} px per woman"
    # Her state is on the page in words, and the button for it is pressed.
    first = page.locator(f"#woman-{women[0].pk}")
    expect(first).to_contain_text("Attended")
    expect(first.locator("button[aria-pressed=true]")).to_have_count(1)
    expect(first.locator("button[aria-pressed=true]")).to_contain_text("Here")
    expect(page.locator(f"#woman-{women[2].pk}")).to_contain_text("Not here yet")
    expect(page.locator(f"#woman-{women[2].pk} button[aria-pressed=true]")).to_have_count(0)


def test_one_tap_changes_a_womans_attendance_without_javascript(
    no_js_phone, clinic, assert_accessible
):
    page = no_js_phone
    session, women = _session_with_five_women(clinic)
    sign_in(page, "peer@example.org", PASSWORD)
    page.goto(f"/clinics/riverside/sessions/{session.pk}/run/")
    third = page.locator(f"#woman-{women[2].pk}")
    with page.expect_navigation():
        third.get_by_role("button", name=re.compile(r"^Late")).click()
    third = page.locator(f"#woman-{women[2].pk}")
    expect(third).to_contain_text("Arrived late")
    expect(third.locator("button[aria-pressed=true]")).to_contain_text("Late")
    expect(page.locator("#run-sheet-count")).to_have_text("3 of 5 checked in")
    assert Attendance.objects.get(patient=women[2]).status == AttendanceStatus.LATE
    assert_no_sideways_scroll(page)


def test_with_javascript_a_tap_changes_her_state_without_reloading_the_page(
    narrow_page, clinic, assert_accessible
):
    page = narrow_page
    session, women = _session_with_five_women(clinic)
    sign_in(page, "peer@example.org", PASSWORD)
    page.goto(f"/clinics/riverside/sessions/{session.pk}/run/")
    page.evaluate("window.sameDocument = true")
    first = page.locator(f"#woman-{women[0].pk}")
    first.get_by_role("button", name=re.compile(r"^Called in")).click()
    expect(page.locator(f"#woman-{women[0].pk}")).to_contain_text("Called in for her appointment")
    pressed = page.locator(f"#woman-{women[0].pk} button[aria-pressed=true]")
    expect(pressed).to_contain_text("Called in")
    expect(pressed).to_be_focused()
    assert page.evaluate("window.sameDocument") is True
    assert Attendance.objects.get(patient=women[0]).status == AttendanceStatus.LEFT_FOR_APPOINTMENT
    assert_no_sideways_scroll(page)
    assert_accessible(page)
