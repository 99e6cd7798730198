import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import Signposting
from sessions.facilitation.models import DiscussionNote, DiscussionTopic, NoteAddendum
from sessions.facilitation.services import FacilitationError, note_update
from tests.factories import ResourceFactory
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(clinic):
    return [
        DiscussionTopic.objects.create(clinic=clinic, name="Feeding"),
        DiscussionTopic.objects.create(clinic=clinic, name="Sleep"),
    ]


def write_note(client, session, **data):
    url = reverse("note_create", args=[session.clinic.slug, session.pk])
    return client.post(url, data)


def test_a_note_records_topics_summary_and_signposting(as_persona, session, topics, cohort):
    resource = ResourceFactory()
    resource.cohorts.add(cohort)
    client = as_persona("peer_supporter")
    response = write_note(
        client,
        session,
        topics=[topics[0].pk],
        summary="Talked about feeding plans.",
        resources=[resource.pk],
    )
    note = DiscussionNote.objects.get()
    assert response.status_code == 302
    assert list(note.topics.all()) == [topics[0]]
    assert Signposting.objects.filter(session=session, resource=resource).exists()
    assert AuditEvent.objects.filter(
        object_type="facilitation.discussionnote", object_id=str(note.pk), action="create"
    ).exists()


def test_the_note_form_offers_only_active_clinic_topics_and_current_resources(
    as_persona, session, topics, clinic
):
    topics[1].is_active = False
    topics[1].save()
    past = ResourceFactory(
        title="Out of date leaflet",
        last_reviewed=timezone.localdate() - dt.timedelta(days=400),
        next_review_due=timezone.localdate() - dt.timedelta(days=1),
    )
    page = (
        as_persona("facilitator")
        .get(reverse("note_create", args=[clinic.slug, session.pk]))
        .content.decode()
    )
    assert "Feeding" in page and "Sleep" not in page
    assert past.title not in page


def test_an_empty_summary_is_refused_with_a_clear_message(as_persona, session):
    response = write_note(as_persona("facilitator"), session, summary="")
    assert response.status_code == 200
    assert "Enter a short summary of the discussion" in response.content.decode()
    assert "<title>Error: " in response.content.decode()


def test_the_author_can_edit_her_note_within_24_hours(as_persona, session, facilitator, clinic):
    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="First")
    url = reverse("note_edit", args=[clinic.slug, note.pk])
    as_persona("facilitator").post(url, {"summary": "Corrected"})
    note.refresh_from_db()
    assert note.summary == "Corrected"


def test_a_note_locks_after_24_hours(as_persona, session, facilitator, clinic):
    note = DiscussionNote.objects.create(
        session=session,
        author=facilitator,
        summary="First",
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1),
    )
    client = as_persona("facilitator")
    response = client.post(reverse("note_edit", args=[clinic.slug, note.pk]), {"summary": "Late"})
    note.refresh_from_db()
    assert response.status_code == 302 and note.summary == "First"
    with pytest.raises(FacilitationError):
        note_update(note=note, by=facilitator, topics=[], summary="Late", resources=[])


def test_only_the_author_may_edit(as_persona, session, facilitator, clinic):
    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="First")
    as_persona("coordinator").post(
        reverse("note_edit", args=[clinic.slug, note.pk]), {"summary": "Not mine"}
    )
    note.refresh_from_db()
    assert note.summary == "First"


def test_a_locked_note_gains_a_dated_addendum(as_persona, session, facilitator, clinic):
    note = DiscussionNote.objects.create(
        session=session,
        author=facilitator,
        summary="First",
        created_at=timezone.now() - dt.timedelta(days=2),
    )
    client = as_persona("facilitator")
    client.post(reverse("note_detail", args=[clinic.slug, note.pk]), {"text": "Also: sleep."})
    addendum = NoteAddendum.objects.get(note=note)
    assert addendum.text == "Also: sleep." and addendum.created_at.date() == timezone.now().date()
    note.refresh_from_db()
    assert note.summary == "First"
    page = client.get(reverse("note_detail", args=[clinic.slug, note.pk])).content.decode()
    assert "Also: sleep." in page and "Locked" in page


def test_viewing_a_note_is_audited(as_persona, session, facilitator, clinic):
    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="First")
    as_persona("coordinator").get(reverse("note_detail", args=[clinic.slug, note.pk]))
    assert (
        AuditEvent.objects.filter(object_type="facilitation.discussionnote", action="view").count()
        == 1
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("facilitator", 200),
        ("peer_supporter", 200),
        ("other_coordinator", 404),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_note_pages_by_persona(as_persona, session, facilitator, clinic, persona, status):
    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="First")
    client = as_persona(persona)
    assert client.get(reverse("note_detail", args=[clinic.slug, note.pk])).status_code == status
    assert client.get(reverse("note_create", args=[clinic.slug, session.pk])).status_code == status


def test_a_peer_supporter_cannot_read_notes_of_sessions_she_did_not_run(
    as_persona, session, facilitator, clinic, peer_supporter
):
    session.facilitators.remove(peer_supporter)
    note = DiscussionNote.objects.create(session=session, author=facilitator, summary="First")
    response = as_persona("peer_supporter").get(reverse("note_detail", args=[clinic.slug, note.pk]))
    assert response.status_code == 404
