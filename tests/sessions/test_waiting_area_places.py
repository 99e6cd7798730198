"""Sessions meet at places a clinic's staff set up, whose names are safe on a lock screen."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.invitations.models import Invitation, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.wording import message_wording
from sessions.models import WaitingAreaPlace, WaitingRoomSession
from sessions.scheduling.forms import WaitingRoomSessionForm
from sessions.scheduling.services import session_create
from tests.factories import (
    ClinicFactory,
    CohortFactory,
    WaitingAreaPlaceFactory,
    WaitingRoomSessionFactory,
)
from tests.invitations.conftest import NOW, SESSION_START, make_day

pytestmark = pytest.mark.django_db

UNSAFE = "Perinatal mental health corner"


def places_page(clinic) -> str:
    return reverse("waiting_area_places", kwargs={"clinic_slug": clinic.slug})


def test_a_coordinator_adds_a_place_and_then_chooses_it_for_a_session(client, coordinator, clinic):
    client.force_login(coordinator)
    home = client.get(reverse("coordinator_home")).content.decode()
    assert places_page(clinic) in home  # reached from her home page

    response = client.post(places_page(clinic), {"name": "  Bay 3,   by the   fish tank "})

    assert response.status_code == 302
    place = WaitingAreaPlace.objects.get(clinic=clinic)
    assert place.name == "Bay 3, by the fish tank"
    form = client.get(reverse("session_create", args=[clinic.slug])).content.decode()
    assert f'<option value="{place.pk}">Bay 3, by the fish tank</option>' in form


def test_a_place_named_for_a_condition_is_refused_with_a_linked_error(client, coordinator, clinic):
    client.force_login(coordinator)

    response = client.post(places_page(clinic), {"name": UNSAFE})

    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in body
    assert 'href="#id_name"' in body  # the error summary links to the field
    assert "The name must not include &#x27;perinatal&#x27;, &#x27;mental&#x27;" in body
    assert "lock screen" in body
    assert f'value="{UNSAFE}"' in body  # what she typed is kept
    assert not WaitingAreaPlace.objects.exists()


def test_the_same_name_twice_at_one_clinic_is_refused(client, coordinator, clinic):
    WaitingAreaPlaceFactory(clinic=clinic, name="Bay 2")
    client.force_login(coordinator)

    response = client.post(places_page(clinic), {"name": "bay 2"})

    assert response.status_code == 400
    assert "already has a place with that name" in response.content.decode()


def test_the_admin_path_checks_the_name_too(clinic):
    place = WaitingAreaPlace(clinic=clinic, name="Twins corner")

    with pytest.raises(ValidationError) as error:
        place.full_clean()

    assert "'twins'" in error.value.message_dict["name"][0]


def test_a_removed_place_is_no_longer_offered_but_its_sessions_keep_it(client, coordinator, clinic):
    session = WaitingRoomSessionFactory(clinic=clinic, location="Bay 1")
    client.force_login(coordinator)

    client.post(
        reverse("waiting_area_place_retire", args=[clinic.slug, session.place_id]),
    )

    assert WaitingAreaPlace.objects.in_use().count() == 0
    session.refresh_from_db()
    assert session.location == "Bay 1"
    new_form = WaitingRoomSessionForm(clinic=clinic)
    assert list(new_form.fields["place"].queryset) == []
    edit_form = WaitingRoomSessionForm(clinic=clinic, instance=session)
    assert list(edit_form.fields["place"].queryset) == [session.place]


def test_a_session_cannot_be_at_another_clinics_place(clinic):
    cohort = CohortFactory(clinics=[clinic])
    elsewhere = WaitingAreaPlaceFactory(clinic=ClinicFactory(), name="Their bay")
    form = WaitingRoomSessionForm(
        {
            "cohort": cohort.pk,
            "date_day": "4",
            "date_month": "6",
            "date_year": "2030",
            "start_time": "09:45",
            "end_time": "10:30",
            "place": elsewhere.pk,
            "capacity": "8",
        },
        clinic=clinic,
    )

    assert form.errors["place"] == ["Choose one of this clinic's places"]


def test_the_service_refuses_an_unsafe_or_foreign_place(clinic, coordinator):
    cohort = CohortFactory(clinics=[clinic])
    unsafe = WaitingAreaPlace.objects.create(clinic=clinic, name=UNSAFE)  # behind the form
    foreign = WaitingAreaPlaceFactory(clinic=ClinicFactory(), name="Bay 1")
    fields = {"clinic": clinic, "cohort": cohort, "start": NOW, "end": NOW, "capacity": 8}

    for place in (unsafe, foreign):
        with pytest.raises(ValueError):
            session_create(**fields, place=place, by=coordinator)
    assert not WaitingRoomSession.objects.exists()


def test_the_same_morning_text_names_the_place(clinic):
    day = make_day(clinic, SESSION_START, location="Bay 2, by the windows")
    woman, _ = day.woman()
    plan_invitations_for_session(day.session.pk, now=NOW)
    invitation = Invitation.objects.get(patient=woman)

    body = message_wording(invitation=invitation, kind=MessageKind.SAME_DAY, channel="sms").body

    assert f"in the waiting room at {clinic.name} (Bay 2, by the windows)." in body


def test_a_location_from_before_places_that_names_a_condition_is_left_out_of_the_text(clinic):
    day = make_day(clinic, SESSION_START)
    WaitingRoomSession.objects.filter(pk=day.session.pk).update(location=UNSAFE, place=None)
    woman, _ = day.woman()
    plan_invitations_for_session(day.session.pk, now=NOW)
    invitation = Invitation.objects.select_related("session__clinic").get(patient=woman)

    body = message_wording(invitation=invitation, kind=MessageKind.SAME_DAY, channel="sms").body

    assert "Perinatal" not in body and "mental" not in body
    assert f"in the waiting room at {clinic.name}. Details:" in body


def test_the_data_migration_makes_a_place_of_each_safe_location(clinic):
    migration = importlib.import_module("sessions.migrations.0007_places_from_session_locations")
    sessions = [
        WaitingRoomSessionFactory(clinic=clinic, location=text)
        for text in ("Bay 2", "bay  2", UNSAFE)
    ]
    WaitingRoomSession.objects.update(place=None)
    WaitingAreaPlace.objects.all().delete()

    migration.places_from_locations(apps, None)

    places = {s.pk: s.place for s in WaitingRoomSession.objects.select_related("place")}
    assert [p.name for p in WaitingAreaPlace.objects.all()] == ["Bay 2"]
    assert places[sessions[0].pk] == places[sessions[1].pk] is not None
    assert places[sessions[2].pk] is None
