"""A peer supporter runs a session from the run sheet on a tablet and on a phone: a check-in
from the waiting-room code appears without a reload, she writes a note with signposting and
raises an urgent concern; the coordinator then sees it at the top of her home and her concern
queue until she acknowledges it.
axe-core reports no WCAG 2.2 A/AA violation on any page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from resources.models import Resource
from sessions.facilitation.models import Concern, DiscussionTopic
from sessions.facilitation.services import attendance_check_in
from sessions.invitations.models import Invitation, InvitationState
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    PatientFactory,
    ResourceFactory,
    StaffRoleFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)
from tests.members.builders import running_now
from waitroom.models import Role

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests/factories.py's UserFactory password


@pytest.fixture(params=["tablet_page", "phone_page"])
def page(request):
    return request.getfixturevalue(request.param)


def test_a_peer_supporter_runs_a_session_and_the_coordinator_sees_her_concern(
    page, assert_accessible
):
    clinic = ClinicFactory(slug="riverside", name="Riverside Antenatal Clinic")
    cohort = CohortFactory(staff_name="Twin pregnancy", clinics=[clinic])
    peer = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER, user__email="peer@example.org")
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR, user__email="coord@example.nhs.uk")
    start, end = running_now()  # women can be checked in only while it runs
    session = WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=start, end=end, facilitators=[peer.user]
    )
    woman = PatientFactory(
        organisation=clinic.organisation, user=UserFactory(display_name="Sunflower")
    )
    appointment = AppointmentFactory(patient=woman, clinic=clinic, start=session.start)
    Invitation.objects.create(
        session=session, patient=woman, appointment=appointment, state=InvitationState.ACCEPTED
    )
    DiscussionTopic.objects.create(clinic=clinic, name="Feeding")
    ResourceFactory(title="Twins feeding helpline", kind=Resource.Kind.HELPLINE, phone="0800 1")

    sign_in(page, "peer@example.org", PASSWORD)
    page.goto(f"/clinics/riverside/sessions/{session.pk}/run/")
    expect(page.get_by_role("heading", name="Sunflower")).to_be_visible()
    expect(page.locator("#run-sheet-count")).to_have_text("0 of 1 checked in")
    assert_accessible(page)

    # She scans the waiting-room code: the run sheet shows it without a reload.
    attendance_check_in(session=session, patient=woman)
    expect(page.locator("#run-sheet-count")).to_have_text("1 of 1 checked in", timeout=15_000)
    expect(page.get_by_text("scanned the code")).to_be_visible()

    page.get_by_role("link", name="Write a discussion note and signpost resources").click()
    assert_accessible(page)
    page.get_by_label("Feeding", exact=True).check()
    page.get_by_label("Summary").fill("We talked about feeding two babies.")
    page.get_by_label(re.compile("Twins feeding helpline")).check()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("heading", name="Discussion note")).to_be_visible()
    expect(page.get_by_text("Twins feeding helpline")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/clinics/riverside/sessions/{session.pk}/concerns/new/")
    assert_accessible(page)
    page.get_by_label("Sunflower").check()
    page.get_by_label("Safeguarding").check()
    page.get_by_label("Urgent: today").check()
    page.get_by_label("What did you see or hear?").fill("She said she is frightened at home.")
    page.get_by_role("button", name="Send concern").click()
    expect(page.get_by_role("heading", name="Concern: Safeguarding")).to_be_visible()
    assert_accessible(page)
    concern = Concern.objects.get()
    assert concern.urgency == "urgent"

    page.context.clear_cookies()
    sign_in(page, "coord@example.nhs.uk", PASSWORD)
    # Signing in lands her on her home, with the urgent concern at the top until acknowledged.
    expect(page.get_by_role("heading", name="Your clinics", level=1)).to_be_visible()
    expect(page.locator("#urgent-concerns")).to_contain_text("Safeguarding")
    assert_accessible(page)
    page.goto("/clinics/riverside/concerns/")
    first = page.locator("li.nhsuk-card").first
    expect(first).to_contain_text("Safeguarding")
    expect(first).to_contain_text("Urgent: today")
    assert_accessible(page)
    first.get_by_role("link", name="Safeguarding").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Concern acknowledged.")).to_be_visible()
    assert_accessible(page)
    page.goto("/coordinator/")
    expect(page.locator("#urgent-concerns")).to_have_count(0)
