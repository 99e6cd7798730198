"""Answering questions on a small phone (375 px), in real Chromium with axe-core on every page:
from the link in the feedback message as sent, one question a page with progress, an error
when she picks nothing, stopping and carrying on from the same link, her ideas, and the
thank-you page; then the coordinator's queue and "You said, we did" pages at the same width."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from sessions.feedback.models import Suggestion
from sessions.feedback.planner import feedback_plan_for_clinic
from sessions.feedback.services import instruments_load_files
from sessions.invitations.models import Invitation, InvitationState, Message, MessageKind
from tests.artefacts import links_in
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    PatientFactory,
    StaffRoleFactory,
    WaitingRoomSessionFactory,
)
from tests.invitations.conftest import london
from waitroom.models import Role

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSION_START = london(2026, 5, 6, 10, 0)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"


def _check(page, assert_accessible) -> None:
    assert_accessible(page)
    _no_sideways_scroll(page)


def _next(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _she_came(clinic):
    instruments_load_files()
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=CohortFactory(clinics=[clinic]),
        start=SESSION_START,
        end=SESSION_START + dt.timedelta(minutes=45),
    )
    woman = PatientFactory(organisation=clinic.organisation, given_name="Amara")
    appointment = AppointmentFactory(patient=woman, clinic=clinic, start=SESSION_START)
    Invitation.objects.create(
        session=session, patient=woman, appointment=appointment, state=InvitationState.ACCEPTED
    )
    Attendance.objects.create(
        session=session,
        patient=woman,
        status=AttendanceStatus.ATTENDED,
        method=CheckInMethod.QR_CODE,
        checked_in_at=SESSION_START,
    )
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=london(2026, 5, 6, 15, 0))
    return woman


def test_she_answers_on_her_phone_from_the_link_in_her_message(
    phone_page, live_server, assert_accessible, clinic, settings
):
    settings.SITE_URL = live_server.url
    settings.MESSAGE_CHANNEL = "outbox"
    woman = _she_came(clinic)
    message = Message.objects.get(kind=MessageKind.FEEDBACK, patient=woman)
    (link,) = links_in(message)
    page = phone_page

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("A few questions")
    _check(page, assert_accessible)
    with page.expect_navigation():
        page.get_by_role("link", name="Start").click()

    assert "Question 1 of 5" in page.inner_text("legend")
    _check(page, assert_accessible)
    _next(page, "Next question")  # nothing chosen
    assert page.title().startswith("Error: ")
    assert page.locator(".nhsuk-error-summary").is_visible()
    _check(page, assert_accessible)
    page.get_by_label("Yes, a lot").check()
    _next(page, "Next question")
    assert "Question 2 of 5" in page.inner_text("legend")
    page.get_by_label("Yes, a bit").check()
    _next(page, "Next question")

    # She stops here, and later taps the link in her message again.
    page.goto(link)
    assert "You have answered 2 of 5 questions" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="Carry on").click()
    assert "Question 3 of 5" in page.inner_text("legend")
    page.get_by_label("Yes, a lot").check()
    _next(page, "Next question")
    page.get_by_label("Maybe").check()
    _next(page, "Next question")
    assert "Question 5 of 5" in page.inner_text("legend")
    _check(page, assert_accessible)
    page.get_by_label("Very good").check()
    _next(page, "Continue")

    assert page.get_by_role("heading", level=1).inner_text() == "Your ideas"
    _check(page, assert_accessible)
    page.get_by_label("What would make the waiting room better for you?").fill("A water jug")
    _next(page, "Send my answers")

    assert "What happens to your answers" in page.inner_text("main")
    _check(page, assert_accessible)
    assert Suggestion.objects.get().text == "A water jug"


def test_the_coordinators_feedback_pages_work_on_a_phone(
    phone_page, live_server, assert_accessible, clinic, settings
):
    settings.MESSAGE_CHANNEL = "outbox"
    woman = _she_came(clinic)
    request = woman.feedback_requests.get()
    Suggestion.objects.create(
        request=request, clinic=clinic, question="next_topic", text="Sleep and tiredness"
    )
    coordinator = StaffRoleFactory(
        clinic=clinic, role=Role.COORDINATOR, user__email="lead@example.nhs.uk"
    ).user
    coordinator.set_password("a-long-demo-password-1")
    coordinator.save()
    page = phone_page
    sign_in(page, "lead@example.nhs.uk", "a-long-demo-password-1")

    page.goto("/coordinator/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"What women suggested at {clinic.name}").click()
    assert "Sleep and tiredness" in page.inner_text("main")
    _check(page, assert_accessible)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Review suggestion")).click()
    _check(page, assert_accessible)
    page.get_by_label("Tags").fill("topics")
    page.get_by_label("Reviewed").check()
    _next(page, "Save")

    with page.expect_navigation():
        page.get_by_role("link", name="You said, we did").first.click()
    _check(page, assert_accessible)
    page.get_by_label("You said").fill("Talk about sleep")
    page.get_by_label("We did").fill("Our next group is about sleep")
    _next(page, "Save as a draft")
    _next(page, "Publish this entry")
    assert "Published" in page.inner_text("main")
    _check(page, assert_accessible)
