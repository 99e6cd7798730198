"""A run sheet left open: its poller asks whether anything changed and fetches the list only
when it did, and however often it asks, each woman is audited once for her reader within the
window (issue 14, ADR 0034)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sessions.facilitation.services import attendance_check_in
from sessions.invitations.models import Invitation, InvitationState
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    PatientFactory,
    StaffRoleFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)
from tests.members.builders import running_now
from waitroom.models import AuditEvent, Role

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests/factories.py's UserFactory password


def is_poll(response) -> bool:
    return "/run/women/" in response.url


def test_an_open_run_sheet_polls_without_auditing_and_audits_a_change_once(tablet_page):
    page = tablet_page
    clinic = ClinicFactory(slug="riverside")
    cohort = CohortFactory(clinics=[clinic])
    peer = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER, user__email="peer@example.org")
    start, end = running_now()
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
    her_events = AuditEvent.objects.filter(patient_id=woman.pk, action="view")
    page_events = AuditEvent.objects.filter(
        action="view", object_type="waitingroom.waitingroomsession"
    )

    sign_in(page, "peer@example.org", PASSWORD)
    page.goto(f"/clinics/riverside/sessions/{session.pk}/run/")
    expect(page.get_by_role("heading", name="Sunflower")).to_be_visible()
    assert (her_events.count(), page_events.count()) == (1, 1)

    # Nothing changes: two polls come back empty and write nothing.
    for _ in range(2):
        with page.expect_response(is_poll, timeout=15_000) as poll:
            pass
        assert poll.value.status == 204
    assert (her_events.count(), page_events.count()) == (1, 1)

    # She checks in: the next poll fetches the list (one page event), but she was shown to
    # this reader on this run sheet minutes ago, so no second event for her.
    attendance_check_in(session=session, patient=woman)
    expect(page.locator("#run-sheet-count")).to_have_text("1 of 1 checked in", timeout=15_000)
    assert (her_events.count(), page_events.count()) == (1, 2)
