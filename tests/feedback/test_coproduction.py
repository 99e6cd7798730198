"""The co-production queue: a clinic's coordinators review what its women suggested (never who),
tag it, publish "You said, we did" that the clinic's members see, and export the free text for
the Maternity Voices Partnership. Other clinics, facilitators and peer supporters see none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.feedback.models import (
    FeedbackRequest,
    Occasion,
    Suggestion,
    SuggestionStatus,
    YouSaidWeDid,
)
from tests.artefacts import form_action_of, href_of, records_of
from tests.factories import AppointmentFactory, PatientFactory
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


def suggestion(clinic, text: str, **patient) -> Suggestion:
    woman = PatientFactory(
        organisation=clinic.organisation,
        given_name="Zenobia",
        family_name="Quartermaine",
        **patient,
    )
    request = FeedbackRequest.objects.create(
        patient=woman, clinic=clinic, occasion_kind=Occasion.BASELINE, occasion="baseline"
    )
    return Suggestion.objects.create(
        request=request, clinic=clinic, question="waiting_room", text=text
    )


def test_the_queue_shows_this_clinics_suggestions_without_who_wrote_them(
    client, clinic, other_clinic, coordinator
):
    suggestion(clinic, "More chairs by the window", nhs_number="9434765919")
    suggestion(other_clinic, "Hillside wants tea")
    client.force_login(coordinator)
    page = client.get(reverse("feedback_queue", args=[clinic.slug])).content.decode()
    assert "More chairs by the window" in page
    assert "Hillside wants tea" not in page
    for secret in ("Zenobia", "Quartermaine", "9434765919"):
        assert secret not in page
    assert AuditEvent.objects.filter(object_type="feedback.suggestion_queue").exists()


def test_the_queue_pins_its_query_count(client, clinic, coordinator, django_assert_num_queries):
    for n in range(12):
        suggestion(clinic, f"Idea {n}")
    client.force_login(coordinator)
    url = reverse("feedback_queue", args=[clinic.slug]) + "?status=all"
    client.get(url)
    # session, user, roles, clinic, suggestions, counts, audit insert (+ savepoints)
    with django_assert_num_queries(9):
        page = client.get(url)
    assert page.content.decode().count("Review<span") == 12


def test_a_coordinator_tags_a_suggestion_and_links_what_was_done(client, clinic, coordinator):
    idea = suggestion(clinic, "Water please")
    entry = YouSaidWeDid.objects.create(
        clinic=clinic, you_said="Water", we_did="A water cooler in bay 2"
    )
    client.force_login(coordinator)
    queue = client.get(reverse("feedback_queue", args=[clinic.slug]))
    page = client.get(
        href_of(queue, "Review suggestion from " + idea.created_at.strftime("%-d %B %Y"))
    )
    response = client.post(
        form_action_of(page, "Save") or page.request["PATH_INFO"],
        {"tags": "Drinks, comfort, drinks", "status": "acted_on", "entry": entry.pk},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.tags == ["drinks", "comfort"]
    assert idea.status == SuggestionStatus.ACTED_ON
    assert idea.response_entry == entry


def test_an_entry_is_a_draft_until_published_and_then_members_of_the_clinic_see_it(
    client, clinic, other_clinic, coordinator, member
):
    AppointmentFactory(patient=member.patient, clinic=clinic)
    YouSaidWeDid.objects.create(
        clinic=other_clinic,
        you_said="Hillside said",
        we_did="Hillside did",
        published_at="2026-01-01T10:00Z",
    )
    client.force_login(coordinator)
    entries_url = reverse("feedback_entries", args=[clinic.slug])
    client.post(
        entries_url, {"you_said": "It was too cold", "we_did": "We moved the group to bay 3"}
    )
    entry = YouSaidWeDid.objects.get(clinic=clinic)
    assert entry.published_at is None

    client.force_login(member)
    assert "bay 3" not in client.get(reverse("member_you_said_we_did")).content.decode()

    client.force_login(coordinator)
    client.post(form_action_of(client.get(entries_url), "Publish"))
    entry.refresh_from_db()
    assert entry.published_at is not None

    client.force_login(member)
    home = client.get(reverse("member_home"))
    page = client.get(href_of(home, "You said, we did: what your clinic changed")).content.decode()
    assert "We moved the group to bay 3" in page
    assert "Hillside did" not in page


def test_the_export_for_the_mvp_holds_the_free_text_and_nothing_about_her(
    client, clinic, coordinator
):
    idea = suggestion(clinic, '=HYPERLINK("x") more chairs', nhs_number="9434765919")
    idea.tags = ["seating"]
    idea.save()
    client.force_login(coordinator)
    queue = client.get(reverse("feedback_queue", args=[clinic.slug]))
    download = client.get(href_of(queue, "Download suggestions (CSV)"))
    records = records_of(download)
    assert records == [
        {
            "month": idea.created_at.astimezone(clinic.zone).strftime("%Y-%m"),
            "question": "What would make the waiting room better for you?",
            "what she wrote": '\'=HYPERLINK("x") more chairs',
            "tags": "seating",
            "status": "New",
            "you said, we did": "",
        }
    ]
    raw = download.content.decode()
    for secret in ("Zenobia", "Quartermaine", "9434765919", idea.request.patient.hospital_number):
        assert secret not in raw
    assert AuditEvent.objects.filter(action="export", object_type="feedback.mvp_export").exists()


@pytest.mark.parametrize("persona", ["facilitator", "peer_supporter", "member"])
def test_no_one_but_coordinators_sees_the_queue_or_the_export(as_persona, clinic, persona):
    suggestion(clinic, "Secret idea")
    client = as_persona(persona)
    for name in ("feedback_queue", "feedback_export", "feedback_entries"):
        response = client.get(reverse(name, args=[clinic.slug]))
        assert response.status_code == 403
        assert b"Secret idea" not in response.content


def test_another_clinics_coordinator_cannot_reach_this_clinics_suggestion(
    client, clinic, other_clinic, other_coordinator
):
    idea = suggestion(clinic, "Secret idea")
    client.force_login(other_coordinator)
    assert client.get(reverse("feedback_queue", args=[clinic.slug])).status_code == 404
    url = reverse("feedback_suggestion", args=[other_clinic.slug, idea.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "reviewed"}).status_code == 404
    idea.refresh_from_db()
    assert idea.status == SuggestionStatus.NEW
