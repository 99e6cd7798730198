"""Issue 12's journey at 375 px, with axe on every page: a coordinator imports her clinic's list,
describes its appointment types from the NICE schedule, sets the twins' day (Waitroom proposes
Tuesday mornings), sees the proposal for the woman alone on Monday, puts it on the worklist and
sends it to bookings, downloads the list; the booking team rebooks her and the next list,
imported, closes the item by itself; the Tuesday now shows the four together, and the clinic
day suggests a session there."""

import csv
import datetime as dt
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CohortFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct-horse-battery"  # the UserFactory's
HEADER = (
    "Hospital number,Given name,Family name,Mobile,Appointment identifier,Start,"
    "Appointment type,Estimated due date,Cohorts,Text message consent"
)


def _tuesday() -> dt.date:
    day = dt.datetime.now(LONDON).date() + dt.timedelta(days=10)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def clinic_list(tuesday: dt.date, lone_at: str) -> bytes:
    due = f"{tuesday + dt.timedelta(weeks=12):%d/%m/%Y}"
    rows = [HEADER]
    for n, minute in enumerate((0, 10, 20), start=1):
        rows.append(
            f"H{n:04d},Woman,Twin{n},07700 9000{n:02d},T{n},{tuesday:%d/%m/%Y} 10:{minute:02d},"
            f"Antenatal check,{due},twins,yes"
        )
    rows.append(f"H0004,Woman,Lone,07700 900004,T4,{lone_at},Antenatal check,{due},twins,yes")
    return ("\r\n".join(rows) + "\r\n").encode()


def _import(page, clinic, content: bytes, name: str, assert_accessible) -> None:
    page.goto(f"/clinics/{clinic.slug}/import/")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Import appointments").click()
    assert "Appointment import: finished" in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_coordinator_aligns_a_cohort_and_the_booking_team_closes_it_by_import(
    phone_page, clinic, coordinator, assert_accessible
):
    page = phone_page
    CohortFactory(slug="twins", staff_name="Twins and multiples", clinics=[clinic])
    tuesday = _tuesday()
    monday = tuesday - dt.timedelta(days=1)
    sign_in(page, coordinator.email, PASSWORD)
    _import(
        page,
        clinic,
        clinic_list(tuesday, f"{monday:%d/%m/%Y} 10:20"),
        "list.csv",
        assert_accessible,
    )

    # The clinic's appointment types, from the NICE schedule.
    page.goto(f"/clinics/{clinic.slug}/alignment/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Appointment types and how far they may move").click()
    assert page.get_by_text("has not described its appointment types yet").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the types from the NICE schedule").click()
    assert page.get_by_text("Added 14 appointment types from the NICE schedule.").is_visible()
    assert_accessible(page)

    # The twins' day: Waitroom proposes Tuesday mornings, where most of them are booked.
    with page.expect_navigation():
        page.get_by_role("link", name="Back to booking alignment").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Show proposals").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Choose the group's day").click()
    assert page.get_by_text("Waitroom suggests Tuesday mornings").is_visible()
    assert page.get_by_label("Tuesday").is_checked()
    assert page.get_by_label("Morning").is_checked()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the group's day").click()

    # The proposal, explained in one line.
    explanation = (
        f"Move Antenatal check from {monday:%a} {monday.day} {monday:%b} 10:20 to "
        f"{tuesday:%a} {tuesday.day} {tuesday:%b} 10:20: with 3 others of the group"
    )
    assert page.get_by_text(explanation).is_visible()
    assert page.get_by_text(f"{tuesday:%A} {tuesday.day} {tuesday:%B}: 3 women").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the worklist").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send 1 to bookings").click()
    assert page.get_by_text("Sent to bookings").first.is_visible()
    assert_accessible(page)

    # The booking team's list, as downloaded: no cohort named, the new time to book.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the open items as a spreadsheet (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "twin" not in text.lower().replace("woman,twin", "")
    (record,) = list(csv.DictReader(io.StringIO(text)))
    assert record["Reason for the move"] == "Peer group day"
    new_time = record["Move to"]
    assert new_time == f"{tuesday:%d/%m/%Y} 10:20"
    with page.expect_navigation():
        page.get_by_role("link", name="Print the open items").click()
    assert_accessible(page)

    # The hospital's next list shows her at the new time: the item closes by itself.
    _import(page, clinic, clinic_list(tuesday, new_time), "rebooked.csv", assert_accessible)
    page.goto(f"/clinics/{clinic.slug}/alignment/worklist/")
    assert page.get_by_text("Nothing is waiting for the booking team").is_visible()
    closed = page.locator("main").inner_text()
    assert re.search(r"Rebooked\s+\(seen in the appointment list\)", closed)
    assert_accessible(page)

    # The group's day now holds all four, and the clinic day suggests a session there.
    page.goto(f"/clinics/{clinic.slug}/alignment/?cohort=twins")
    assert page.get_by_text("No moves to propose").is_visible()
    day_link = page.get_by_role("link", name=f"{tuesday:%A} {tuesday.day} {tuesday:%B}")
    assert page.get_by_text(f"{tuesday:%A} {tuesday.day} {tuesday:%B}: 4 women").is_visible()
    with page.expect_navigation():
        day_link.click()
    assert page.get_by_text(re.compile(r"4 of 4 women from this cohort")).first.is_visible()
    assert page.get_by_role("link", name="Schedule a session here").first.is_visible()
    assert_accessible(page)
