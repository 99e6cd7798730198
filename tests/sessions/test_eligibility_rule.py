"""Item 4 of issue 9: one rule says who a session is for, on the clinic day and on the session.

A window the clinic day suggests becomes, through its own "Schedule a session here" link, a
session whose eligible list names the same women; windows need the clinic's minimum group size.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from sessions.models import WaitingRoomSession
from tests.factories import (
    AppointmentFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingAreaPlaceFactory,
)
from tests.sessions.clinic_time import DAY, at
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


def woman(clinic, cohort, start, name):
    patient = PatientFactory(organisation=clinic.organisation, given_name=name, family_name="Test")
    CohortMembershipFactory(cohort=cohort, patient=patient)
    AppointmentFactory(patient=patient, clinic=clinic, start=start)
    return patient


def schedule_links(html: str) -> list[str]:
    return [
        unescape(href) for href in re.findall(r'<a href="([^"]+)">Schedule a session here', html)
    ]


def eligible_names(html: str) -> list[str]:
    table = html[html.index("<h2>Who is eligible</h2>") :]
    return re.findall(r"Name </span>(\w+) Test</td>", table)


def test_a_suggested_window_becomes_a_session_listing_the_same_women(
    client, coordinator, clinic, twins
):
    # Margins 15 early / 20 after. For a 45-minute session (half is 22.5 minutes) these four
    # share a window; Ebony, booked later, has less than half of it and must be in neither list.
    # On today's main the session page also listed women with a minute of the session.
    for name, start in [
        ("Amara", at(10)),
        ("Bella", at(10, 5)),
        ("Cleo", at(10, 10)),
        ("Dana", at(10, 15)),
        ("Ebony", at(10, 50)),
    ]:
        woman(clinic, twins, start, name)
    client.force_login(coordinator)

    day_page = client.get(reverse("clinic_day", args=[clinic.slug, DAY]) + "?minutes=45")
    best = day_page.context["plan"].cohorts[0].windows[0]
    assert best.window.describe().startswith("4 of 5 women")
    [link, *_] = schedule_links(day_page.content.decode())

    form = client.get(link).context["form"]
    start, end = form.initial["start_time"], form.initial["end_time"]
    created = client.post(
        link,
        {
            "cohort": form.initial["cohort"],
            "date_day": DAY.day,
            "date_month": DAY.month,
            "date_year": DAY.year,
            "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}",
            "place": WaitingAreaPlaceFactory(clinic=clinic, name="Bay 2").pk,
            "capacity": 8,
        },
        follow=True,
    )

    session = WaitingRoomSession.objects.get()
    assert (session.start, session.end) == (best.window.start, best.window.end)
    listed = eligible_names(created.content.decode())
    assert sorted(listed) == sorted(p.given_name for p in best.patients)
    assert sorted(listed) == ["Amara", "Bella", "Cleo", "Dana"]


def test_no_window_is_suggested_for_fewer_women_than_the_clinic_minimum(
    client, coordinator, clinic, twins
):
    woman(clinic, twins, at(9), "Amara")
    woman(clinic, twins, at(9), "Bella")
    for name in ["Cleo", "Dana", "Ebony"]:
        woman(clinic, twins, at(14), name)
    client.force_login(coordinator)
    url = reverse("clinic_day", args=[clinic.slug, DAY]) + "?minutes=30"

    windows = client.get(url).context["plan"].cohorts[0].windows
    assert [w.window.count for w in windows] == [3]

    clinic.min_group_size = 2
    clinic.save(update_fields=["min_group_size"])
    windows = client.get(url).context["plan"].cohorts[0].windows
    # Ranked by how many women are present, not by time of day.
    assert [w.window.count for w in windows] == [3, 2]
    assert windows[0].window.start > windows[1].window.start


def test_a_lone_woman_gets_no_suggestion_by_default(client, coordinator, clinic, twins):
    woman(clinic, twins, at(10), "Amara")
    client.force_login(coordinator)
    response = client.get(reverse("clinic_day", args=[clinic.slug, DAY]) + "?minutes=30")
    assert response.context["plan"].cohorts[0].windows == []
    assert schedule_links(response.content.decode()) == []
    assert "No time this day has 3 or more women" in response.content.decode()


def test_new_clinics_suggest_groups_of_three_or_more(clinic):
    from waitroom.models import Clinic

    assert Clinic._meta.get_field("min_group_size").default == 3
    assert clinic.min_group_size == 3


def _settings_url(clinic):
    return reverse("clinic_settings", args=[clinic.slug])


def test_a_coordinator_changes_the_minimum_group_size_and_it_is_audited(
    as_persona, clinic, coordinator
):
    client = as_persona("coordinator")
    home = client.get(reverse("coordinator_home")).content.decode()
    assert f'href="{_settings_url(clinic)}"' in home

    response = client.post(_settings_url(clinic), {"min_group_size": "4"}, follow=True)

    clinic.refresh_from_db()
    assert clinic.min_group_size == 4
    assert "now suggests times for 4 or more women" in response.content.decode()
    event = AuditEvent.objects.get(action="change")
    assert (event.user, event.object_type, event.object_id) == (
        coordinator,
        "waitroom.clinic",
        str(clinic.pk),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "A group needs at least 2 women"),
        ("", "Enter the smallest group worth suggesting, like 3"),
        ("three", "Enter a whole number, like 3"),
        ("31", "Enter a number no bigger than 30"),
    ],
)
def test_a_bad_minimum_is_explained_and_nothing_changes(as_persona, clinic, value, message):
    response = as_persona("coordinator").post(_settings_url(clinic), {"min_group_size": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'class="nhsuk-error-summary"' in html
    assert f'<a href="#id_min_group_size">{message}</a>' in html
    clinic.refresh_from_db()
    assert clinic.min_group_size == 3
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("facilitator", 403),
        ("peer_supporter", 403),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_clinic_settings_access(as_persona, clinic, persona, status):
    assert as_persona(persona).get(_settings_url(clinic)).status_code == status
    assert as_persona(persona).post(_settings_url(clinic), {"min_group_size": "5"})
    clinic.refresh_from_db()
    assert clinic.min_group_size == (5 if persona == "coordinator" else 3)
