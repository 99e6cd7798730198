"""A coordinator imports her clinic's appointment list, opens the clinic day, turns a suggested
window into a session, saves and publishes it, at phone and tablet size, with axe reporting
nothing on each page; publishing invites the cohort's women."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from sessions.models import SessionStatus, WaitingRoomSession
from tests.factories import (
    CohortFactory,
    StaffRoleFactory,
    WaitingAreaPlaceFactory,
)
from waitroom.models import Role

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def _first_tuesday_of_next_june() -> dt.date:
    # Within the import's window around today (it refuses implausible dates), in summer time.
    june = dt.date(dt.datetime.now(LONDON).year + 1, 6, 1)
    return june + dt.timedelta(days=(1 - june.weekday()) % 7)


DAY = _first_tuesday_of_next_june()
PASSWORD = "correct-horse-battery"  # the UserFactory's


HEADER = (
    "Hospital number,Given name,Family name,Mobile,Appointment identifier,Start,Cohorts,"
    "Text message consent"
)


def clinic_list_csv() -> bytes:
    """Four women of the twins cohort around 10:00, three other women in the afternoon."""
    rows = [HEADER]
    for n, minute in enumerate((0, 5, 5, 50), start=1):
        rows.append(
            f"H{n:04d},Woman,Twin{n},07700 9000{n:02d},T{n},"
            f"{DAY:%d/%m/%Y} 10:{minute:02d},twins,yes"
        )
    for n in range(5, 8):
        rows.append(f"H{n:04d},Woman,Other{n},07700 9000{n:02d},T{n},{DAY:%d/%m/%Y} 14:00,,yes")
    return ("\r\n".join(rows) + "\r\n").encode()


@pytest.fixture
def seeded_day(clinic, coordinator, facilitator):
    cohort = CohortFactory(slug="twins", staff_name="Twins and multiples", clinics=[clinic])
    StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER)
    WaitingAreaPlaceFactory(clinic=clinic, name="Bay 2, by the windows")
    return cohort


@pytest.mark.parametrize("size", ["phone_page", "tablet_page"])
def test_a_coordinator_schedules_and_publishes_a_suggested_session(
    request, size, seeded_day, clinic, coordinator, facilitator, assert_accessible
):
    page = request.getfixturevalue(size)
    sign_in(page, coordinator.email, PASSWORD)

    page.goto(f"/clinics/{clinic.slug}/import/")
    assert_accessible(page)
    page.set_input_files(
        "#id_file",
        files=[{"name": "clinic-list.csv", "mimeType": "text/csv", "buffer": clinic_list_csv()}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Import appointments").click()
    report = page.locator("main").inner_text()
    assert "Appointment import: finished" in report
    assert re.search(r"New\s+7\b", report) and re.search(r"Not imported\s+0\b", report)
    assert_accessible(page)

    page.goto(f"/clinics/{clinic.slug}/days/{DAY.isoformat()}/?minutes=30")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith(f"Tuesday {DAY.day} June {DAY.year}")
    )
    assert page.get_by_text(
        "3 of 4 women from this cohort are in the waiting room for at least half of a session "
        "from 09:35 to 10:05"
    ).is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Schedule a session here").first.click()
    assert page.locator("input[name=start_time]").input_value() == "09:35"
    assert page.locator("input[name=end_time]").input_value() == "10:05"
    assert page.locator("input[name=date_day]").input_value() == str(DAY.day)
    assert_accessible(page)

    page.get_by_label("Where in the waiting area").select_option(label="Bay 2, by the windows")
    page.get_by_label(facilitator.get_full_name()).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save session").click()
    assert page.get_by_text("Session saved as a draft").is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Publish and invite 3 women").click()
    assert page.get_by_text("Session published. 3 women will be invited").is_visible()
    assert_accessible(page)

    session = WaitingRoomSession.objects.get()
    assert session.status == SessionStatus.PUBLISHED
    # Publishing handed the session to the invitations planner (in-process here), which invited
    # the cohort's women in the waiting room then.
    assert session.invitations.count() == 3
    assert session.planning_due_at is None
    assert session.start == dt.datetime.combine(DAY, dt.time(9, 35), tzinfo=LONDON)
    assert list(session.facilitators.all()) == [facilitator]
