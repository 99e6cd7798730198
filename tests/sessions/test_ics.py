"""Session calendar files: RFC 5545 text read back by icalendar and by a second, plain reading."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from sessions.calendars.ics import session_ics, session_sequence, session_uid
from sessions.models import SessionStatus
from tests.artefacts import href_of, ics_events, site_path
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
STAFF_NAME = "BMI over 30"
PUBLIC_NAME = "Tuesday morning group"


def _london(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.fixture
def cohort(clinic):
    return CohortFactory(staff_name=STAFF_NAME, public_name=PUBLIC_NAME, clinics=[clinic])


def _session(clinic, cohort, start, **extra):
    return WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=start, end=start + dt.timedelta(minutes=45), **extra
    )


# --- a second, independent reading of the raw text, with no icalendar and no zoneinfo ---


def _unfold(raw: bytes) -> list[str]:
    """RFC 5545 §3.1: a CRLF followed by one space or tab continues the previous line."""
    return re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")


def _blocks(lines: list[str], name: str) -> list[list[str]]:
    found, current = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}" and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def _prop(block: list[str], name: str) -> list[str]:
    return [line for line in block if re.match(rf"{name}[;:]", line)]


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def _local(text: str) -> dt.datetime:
    # Wall-clock digits only; held with a UTC label so the offset arithmetic stays plain.
    return dt.datetime.strptime(text + "+0000", "%Y%m%dT%H%M%S%z")


def _utc_by_hand(raw: bytes, prop: str) -> dt.datetime:
    """The event's `prop` in UTC, worked out from the file's own VTIMEZONE rules."""
    lines = _unfold(raw)
    (event,) = _blocks(lines, "VEVENT")
    (line,) = _prop(event, prop)
    params, value = line.split(":", 1)
    assert "TZID=Europe/London" in params
    (vtimezone,) = _blocks(lines, "VTIMEZONE")
    onsets = []
    for kind in ("STANDARD", "DAYLIGHT"):
        for rule in _blocks(vtimezone, kind):
            to = _offset(_prop(rule, "TZOFFSETTO")[0].split(":")[1])
            starts = [_prop(rule, "DTSTART")[0].split(":")[1]]
            for rdate in _prop(rule, "RDATE"):
                starts += rdate.split(":")[1].split(",")
            onsets += [(_local(start), to) for start in starts]
    local = _local(value)
    offset = max((onset for onset in onsets if onset[0] <= local), key=lambda o: o[0])[1]
    return local - offset


def _assert_well_formed(raw: bytes) -> None:
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n"), "every line ends with CRLF"
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
    lines = _unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    (vtimezone,) = _blocks(lines, "VTIMEZONE")
    assert "TZID:Europe/London" in vtimezone
    names = {line for line in vtimezone if line.startswith("TZNAME:")}
    assert names == {"TZNAME:GMT", "TZNAME:BST"}
    assert _blocks(vtimezone, "STANDARD") and _blocks(vtimezone, "DAYLIGHT")


@pytest.mark.parametrize(
    ("start", "local_text", "utc"),
    [
        # Summer: BST, one hour ahead of UTC.
        (_london(2026, 7, 14, 10), "20260714T100000", dt.datetime(2026, 7, 14, 9, tzinfo=dt.UTC)),
        # Winter: GMT.
        (_london(2026, 1, 13, 10), "20260113T100000", dt.datetime(2026, 1, 13, 10, tzinfo=dt.UTC)),
        # The clocks went forward at 01:00 that morning: already BST.
        (_london(2026, 3, 29, 10), "20260329T100000", dt.datetime(2026, 3, 29, 9, tzinfo=dt.UTC)),
        # The clocks went back at 02:00 that morning: GMT again.
        (
            _london(2026, 10, 25, 10),
            "20261025T100000",
            dt.datetime(2026, 10, 25, 10, tzinfo=dt.UTC),
        ),
        # The day before the clocks go back is still BST.
        (_london(2026, 10, 24, 10), "20261024T100000", dt.datetime(2026, 10, 24, 9, tzinfo=dt.UTC)),
    ],
)
def test_it_writes_local_clinic_times_that_both_readers_place_at_the_same_instant(
    clinic, cohort, start, local_text, utc
):
    session = _session(clinic, cohort, start)

    raw = session_ics(session, for_member=False)

    _assert_well_formed(raw)
    assert f"DTSTART;TZID=Europe/London:{local_text}" in _unfold(raw)
    assert _utc_by_hand(raw, "DTSTART") == utc
    assert _utc_by_hand(raw, "DTEND") == utc + dt.timedelta(minutes=45)
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").astimezone(dt.UTC) == utc
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=45)


def test_it_describes_the_session_for_staff(clinic, cohort, facilitator):
    session = _session(
        clinic, cohort, _london(2026, 7, 14, 10), topic="Feeding", facilitators=[facilitator]
    )

    (event,) = icalendar.Calendar.from_ical(session_ics(session, for_member=False)).walk("VEVENT")

    assert str(event["uid"]) == f"session-{session.pk}@127.0.0.1"
    assert str(event["summary"]) == f"{STAFF_NAME}: waiting-room session"
    assert str(event["location"]) == f"Bay 2, by the windows, {clinic.name}, Main site"
    assert "Topic: Feeding" in str(event["description"])
    assert facilitator.get_full_name() in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"


def test_it_folds_long_lines_at_75_octets_without_splitting_a_character(clinic, cohort):
    topic = "Café and crèche — what’s nearby, and how partners can help " * 3
    session = _session(clinic, cohort, _london(2026, 7, 14, 10), topic=topic.strip())

    raw = session_ics(session, for_member=False)

    _assert_well_formed(raw)
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert topic.strip() in str(event["description"])


def test_it_keeps_the_uid_and_raises_the_sequence_when_a_session_is_cancelled(clinic, cohort):
    created = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    session = _session(
        clinic,
        cohort,
        _london(2026, 7, 14, 10),
        created_at=created,
        published_at=created + dt.timedelta(hours=1),
    )
    before = icalendar.Calendar.from_ical(session_ics(session, for_member=False)).walk("VEVENT")[0]

    session.status = SessionStatus.CANCELLED
    session.cancelled_at = created + dt.timedelta(hours=2)
    session.save()
    raw = session_ics(session, for_member=False)
    after = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]

    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"]) > 0
    assert str(after["status"]) == "CANCELLED"
    assert "STATUS:CANCELLED" in _unfold(raw)
    assert "This session has been cancelled." in str(after["description"])


def test_a_cancellation_in_the_same_second_as_publishing_still_raises_the_sequence(clinic, cohort):
    moment = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    session = _session(
        clinic, cohort, _london(2026, 7, 14, 10), created_at=moment, published_at=moment
    )
    published = session_sequence(session)

    session.status, session.cancelled_at = SessionStatus.CANCELLED, moment

    assert session_sequence(session) > published


def test_moving_a_session_raises_the_sequence(clinic, cohort):
    from sessions.models import WaitingRoomSession

    created = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    session = _session(clinic, cohort, _london(2026, 7, 14, 10), created_at=created)
    WaitingRoomSession.objects.filter(pk=session.pk).update(updated_at=created)
    session.refresh_from_db()
    before = session_sequence(session)

    session.start += dt.timedelta(minutes=30)
    session.end += dt.timedelta(minutes=30)
    session.save()

    assert session_sequence(session) > before


def test_a_draft_is_tentative(clinic, cohort):
    session = _session(clinic, cohort, _london(2026, 7, 14, 10), status=SessionStatus.DRAFT)

    (event,) = icalendar.Calendar.from_ical(session_ics(session, for_member=False)).walk("VEVENT")

    assert str(event["status"]) == "TENTATIVE"


def test_the_member_variant_names_the_cohort_only_by_its_public_name(clinic, cohort):
    session = _session(clinic, cohort, _london(2026, 7, 14, 10), topic="Feeding")

    raw = session_ics(session, for_member=True)

    _assert_well_formed(raw)
    text = "\n".join(_unfold(raw))
    assert STAFF_NAME not in text
    assert cohort.criterion not in text
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["summary"]) == f"{PUBLIC_NAME}: waiting-room session"
    assert clinic.maternity_triage_phone in str(event["description"])


@pytest.mark.parametrize("for_member", [False, True])
def test_no_calendar_carries_a_patients_details(clinic, cohort, for_member):
    patient = PatientFactory(
        organisation=clinic.organisation,
        hospital_number="RX9912345",
        given_name="Philippa",
        family_name="Quartermaine",
        nhs_number="9434765919",
    )
    CohortMembershipFactory(cohort=cohort, patient=patient)
    start = _london(2026, 7, 14, 10)
    AppointmentFactory(patient=patient, clinic=clinic, start=start)
    session = _session(clinic, cohort, start)

    text = "\n".join(_unfold(session_ics(session, for_member=for_member)))

    for detail in ("RX9912345", "Philippa", "Quartermaine", "9434765919", patient.email):
        assert detail not in text


# --- the staff download ---

DOWNLOAD_ACCESS = {
    "coordinator": 200,
    "facilitator": 200,
    "peer_supporter": 404,  # not her session: see the next test
    "other_coordinator": 404,
    "member": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "status"), DOWNLOAD_ACCESS.items())
def test_only_staff_of_the_sessions_clinic_download_its_calendar_file(
    as_persona, clinic, cohort, persona, status
):
    session = _session(clinic, cohort, _london(2026, 7, 14, 10))
    url = reverse("session_calendar", args=[clinic.slug, session.pk])

    response = as_persona(persona).get(url)

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="waitroom-session-{session.pk}.ics"'
        _assert_well_formed(response.content)


def test_a_peer_supporter_downloads_only_the_sessions_she_runs(
    as_persona, clinic, cohort, peer_supporter
):
    hers = _session(clinic, cohort, _london(2026, 7, 14, 10))
    hers.facilitators.add(peer_supporter)
    not_hers = _session(clinic, cohort, _london(2026, 7, 15, 10))
    client = as_persona("peer_supporter")

    assert client.get(reverse("session_calendar", args=[clinic.slug, hers.pk])).status_code == 200
    assert (
        client.get(reverse("session_calendar", args=[clinic.slug, not_hers.pk])).status_code == 404
    )


def test_a_session_of_another_clinic_is_not_found_through_this_clinic(
    as_persona, clinic, other_clinic, cohort
):
    session = _session(other_clinic, cohort, _london(2026, 7, 14, 10))

    response = as_persona("coordinator").get(
        reverse("session_calendar", args=[clinic.slug, session.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "name"), [("facilitator", STAFF_NAME), ("peer_supporter", PUBLIC_NAME)]
)
def test_peer_supporters_download_the_public_cohort_name(
    as_persona, clinic, cohort, persona, name, request
):
    session = _session(clinic, cohort, _london(2026, 7, 14, 10))
    session.facilitators.add(request.getfixturevalue(persona))

    response = as_persona(persona).get(reverse("session_calendar", args=[clinic.slug, session.pk]))

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == f"{name}: waiting-room session"
    if persona == "peer_supporter":
        assert STAFF_NAME.encode() not in response.content


def test_the_session_page_s_calendar_link_downloads_that_session(as_persona, clinic, cohort):
    session = _session(clinic, cohort, _london(2026, 7, 14, 10))
    client = as_persona("coordinator")
    page = client.get(reverse("session_detail", args=[clinic.slug, session.pk]))

    response = client.get(href_of(page, "Download calendar file (.ics)"))

    [event] = ics_events(response)
    assert client.get(site_path(str(event["url"]))).context["session"] == session  # run sheet
    assert str(event["uid"]) == session_uid(session)
    assert event.decoded("dtstart") == _london(2026, 7, 14, 10)
    assert str(event["summary"]) == f"{STAFF_NAME}: waiting-room session"
