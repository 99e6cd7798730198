"""A facilitator's personal calendar feed: her sessions only, at a secret she can revoke."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.calendars.selectors import feed_owner
from sessions.models import SessionStatus
from tests.artefacts import ics_events, links_in, site_path
from tests.factories import (
    ClinicFactory,
    CohortFactory,
    StaffRoleFactory,
    WaitingRoomSessionFactory,
)
from waitroom.models import Role

pytestmark = pytest.mark.django_db


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _session(clinic, *, days=3, facilitators=(), **extra):
    start = _in_days(days)
    return WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=extra.pop("cohort", None) or CohortFactory(clinics=[clinic]),
        start=start,
        end=start + dt.timedelta(minutes=45),
        facilitators=list(facilitators),
        **extra,
    )


def _feed_uids(client, feed: str) -> set[str]:
    response = client.get(feed)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(event["uid"]) for event in ics_events(response)}


def _uid(session) -> str:
    return f"session-{session.pk}@127.0.0.1"


def _create_feed(client) -> str:
    """Create (or replace) her feed; return its address as the calendar page shows it to her."""
    response = client.post(reverse("sessions_calendar"), {"action": "create"})
    assert response.status_code == 302
    page = client.get(response.url)
    [feed] = [url for url in links_in(page) if url.startswith("http") and "/calendar/" in url]
    return site_path(feed)


def test_the_feed_lists_her_sessions_and_no_one_elses(client, clinic, facilitator, peer_supporter):
    hers = _session(clinic, facilitators=[facilitator])
    shared = _session(clinic, days=5, facilitators=[facilitator, peer_supporter])
    draft = _session(clinic, days=6, facilitators=[facilitator], status=SessionStatus.DRAFT)
    _session(clinic, facilitators=[peer_supporter])
    _session(clinic)  # nobody's yet
    client.force_login(facilitator)
    feed = _create_feed(client)
    client.logout()  # calendar apps fetch without signing in

    assert _feed_uids(client, feed) == {_uid(hers), _uid(shared), _uid(draft)}
    # Each event opens that session's run sheet, once she is signed in.
    client.force_login(facilitator)
    for event in ics_events(client.get(feed)):
        run_sheet = client.get(site_path(str(event["url"])))
        assert run_sheet.status_code == 200
        assert _uid(run_sheet.context["session"]) == str(event["uid"])


def test_the_feed_leaves_out_cancelled_sessions_old_sessions_and_clinics_she_has_left(
    client, clinic, facilitator
):
    kept = _session(clinic, days=-29, facilitators=[facilitator])
    _session(clinic, days=-31, facilitators=[facilitator])
    _session(clinic, facilitators=[facilitator], status=SessionStatus.CANCELLED)
    former = ClinicFactory()
    _session(former, facilitators=[facilitator])  # she no longer holds a role there
    client.force_login(facilitator)
    feed = _create_feed(client)

    assert _feed_uids(client, feed) == {_uid(kept)}


def test_a_peer_supporter_s_feed_shows_only_public_cohort_names(client, clinic, peer_supporter):
    cohort = CohortFactory(staff_name="Mental health", public_name="Wednesday group")
    _session(clinic, cohort=cohort, facilitators=[peer_supporter])
    client.force_login(peer_supporter)
    feed = _create_feed(client)

    response = client.get(feed)

    [event] = ics_events(response)
    assert "Wednesday group" in str(event["summary"])
    assert b"Wednesday group" in response.content
    assert b"Mental health" not in response.content


def test_replacing_the_address_makes_the_old_one_404(client, clinic, facilitator):
    _session(clinic, facilitators=[facilitator])
    client.force_login(facilitator)
    old = _create_feed(client)

    new = _create_feed(client)

    assert new != old
    assert client.get(old).status_code == 404
    assert len(_feed_uids(client, new)) == 1


def test_turning_the_address_off_makes_it_404(client, clinic, facilitator):
    client.force_login(facilitator)
    url = _create_feed(client)
    assert client.get(url).status_code == 200

    response = client.post(reverse("sessions_calendar"), {"action": "revoke"})

    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.calendar_token == ""
    assert client.get(url).status_code == 404
    assert feed_owner("") is None


def test_another_users_address_never_shows_her_sessions(client, clinic, facilitator):
    hers = _session(clinic, facilitators=[facilitator])
    colleague = StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR).user
    theirs = _session(clinic, facilitators=[colleague])
    feeds = {}
    for user in (facilitator, colleague):
        client.force_login(user)
        feeds[user] = _create_feed(client)

    assert _feed_uids(client, feeds[colleague]) == {_uid(theirs)}
    assert _uid(hers) not in _feed_uids(client, feeds[colleague])
    assert _feed_uids(client, feeds[facilitator]) == {_uid(hers)}


@pytest.mark.parametrize(
    "token",
    [
        "A" * 43,  # the right shape, nobody's secret
        "short",
    ],
)
def test_a_made_up_address_is_not_found(client, facilitator, token):
    facilitator.calendar_token = "B" * 43
    facilitator.save()

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 404


def test_a_deactivated_user_s_feed_is_not_found(client, clinic, facilitator):
    client.force_login(facilitator)
    url = _create_feed(client)
    facilitator.refresh_from_db()
    facilitator.is_active = False
    facilitator.save()

    assert client.get(url).status_code == 404


PAGE_ACCESS = {
    "coordinator": 403,
    "other_coordinator": 403,
    "facilitator": 200,
    "peer_supporter": 200,
    "member": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "status"), PAGE_ACCESS.items())
def test_only_facilitators_and_peer_supporters_reach_the_calendar_page(as_persona, persona, status):
    response = as_persona(persona).get(reverse("sessions_calendar"))

    assert response.status_code == status


def test_the_page_shows_the_address_once_she_has_created_it(client, facilitator, settings):
    settings.SITE_URL = "https://waitroom.example.nhs.uk"
    client.force_login(facilitator)
    before = client.get(reverse("sessions_calendar")).content.decode()
    assert "Create my calendar address" in before
    assert "/calendar/" not in before

    response = client.post(reverse("sessions_calendar"), {"action": "create"}, follow=True)

    facilitator.refresh_from_db()
    content = response.content.decode()
    assert len(facilitator.calendar_token) == 43
    assert f"https://waitroom.example.nhs.uk/calendar/{facilitator.calendar_token}.ics" in content
    assert f"webcal://waitroom.example.nhs.uk/calendar/{facilitator.calendar_token}.ics" in content
    assert "Your calendar address is ready" in content


def test_the_page_changes_nothing_without_a_csrf_token(facilitator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)

    response = client.post(reverse("sessions_calendar"), {"action": "create"})

    assert response.status_code == 403
    facilitator.refresh_from_db()
    assert facilitator.calendar_token == ""


def test_her_sessions_home_links_to_the_calendar_page(as_persona):
    response = as_persona("facilitator").get(reverse("sessions_home"))

    assert reverse("sessions_calendar").encode() in response.content


def test_the_feed_query_count_does_not_grow_with_her_sessions(
    client, clinic, facilitator, django_assert_max_num_queries
):
    client.force_login(facilitator)
    url = _create_feed(client)
    client.logout()
    for days in range(1, 21):
        _session(clinic, days=days, facilitators=[facilitator])

    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 20
