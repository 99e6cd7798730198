"""Answering from the link in the message as sent: one question a page with progress, answers
saved as she goes so she can stop and come back, her ideas, a thank-you page that says what
happens to her answers; one response per (woman, instrument, occasion); reads and writes
audited."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction

from sessions.feedback.models import FeedbackRequest, Instrument, Response, Suggestion
from sessions.feedback.planner import feedback_plan_for_clinic
from sessions.invitations.models import Message, MessageKind, MessageStatus
from tests.artefacts import href_of, links_in, site_path
from waitroom.models import AuditEvent

from .conftest import AFTER_IT

pytestmark = pytest.mark.django_db

ANSWERS = ["yes_a_lot", "yes_a_bit", "yes_a_lot", "yes", "good"]


@pytest.fixture
def asked(clinic, came, settings):
    settings.MESSAGE_CHANNEL = "outbox"
    her = came()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    message = Message.objects.get(kind=MessageKind.FEEDBACK, patient=her.patient)
    return her, message


def link_from(message: Message) -> str:
    (link,) = links_in(message)
    return site_path(link)


def test_she_answers_every_question_from_the_link_in_her_message(client, asked):
    her, message = asked
    page = client.get(link_from(message))
    assert page.status_code == 200
    assert "There are 5 short questions" in page.content.decode()

    url = href_of(page, "Start")
    for n, answer in enumerate(ANSWERS, 1):
        page = client.get(url)
        assert f"Question {n} of 5" in page.content.decode()
        response = client.post(url, {"answer": answer})
        assert response.status_code == 302
        url = response["Location"]

    page = client.get(url)
    assert "What would make the waiting room better for you?" in page.content.decode()
    thanks = client.post(
        url, {"waiting_room": "Comfier chairs please", "next_topic": "Sleep"}, follow=True
    )
    text = thanks.content.decode()
    assert "What happens to your answers" in text
    assert "do not see your answers" in text

    experience = Response.objects.get(instrument_slug="session-experience")
    assert experience.score == 87.5  # 2 + 1 + 2 + 2 = 7 of 8
    assert Response.objects.get(instrument_slug="fft").score == 100.0
    request = FeedbackRequest.objects.get(patient=her.patient)
    assert request.completed_at is not None
    assert set(Suggestion.objects.values_list("question", "text")) == {
        ("waiting_room", "Comfier chairs please"),
        ("next_topic", "Sleep"),
    }
    # Answered: the link now opens the thank-you page.
    assert (
        "What happens to your answers"
        in client.get(link_from(message), follow=True).content.decode()
    )


def test_she_can_stop_and_carry_on_where_she_left_off(client, asked):
    _, message = asked
    start = client.get(link_from(message))
    url = href_of(start, "Start")
    client.post(url, {"answer": "no"})
    client.post(url.replace("/1/", "/2/"), {"answer": "no"})

    again = client.get(link_from(message))
    assert "You have answered 2 of 5 questions" in again.content.decode()
    resume = href_of(again, "Carry on")
    assert resume.endswith("/questions/3/")


def test_going_back_shows_her_saved_answer_and_audits_reading_it(client, asked):
    her, message = asked
    url = href_of(client.get(link_from(message)), "Start")
    client.post(url, {"answer": "yes_a_bit"})
    before = AuditEvent.objects.filter(patient_id=her.patient.pk, action="view").count()
    page = client.get(url).content.decode()
    assert re.search(r'value="yes_a_bit" checked', page)
    assert AuditEvent.objects.filter(patient_id=her.patient.pk, action="view").count() == before + 1
    assert AuditEvent.objects.filter(
        patient_id=her.patient.pk, action="create", object_type="feedback.response"
    ).exists()


def test_no_answer_gets_an_error_linked_to_the_question(client, asked):
    _, message = asked
    url = href_of(client.get(link_from(message)), "Start")
    page = client.post(url, {})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: " in text
    assert 'href="#id_answer_0"' in text
    assert 'id="id_answer_0"' in text


def test_answering_stops_her_message_if_it_has_not_gone(client, asked, clinic):
    her, message = asked
    # From her home before the message went: the same link.
    url = href_of(client.get(link_from(message)), "Start")
    client.post(url, {"answer": "no"})
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED


def test_a_tampered_link_names_nobody(client, asked):
    her, message = asked
    page = client.get(link_from(message)[:-3] + "xx/")
    assert page.status_code == 404
    assert her.patient.given_name not in page.content.decode()


def test_one_response_per_woman_instrument_and_occasion_is_held_by_the_database(asked):
    her, _ = asked
    request = FeedbackRequest.objects.get(patient=her.patient)
    fft = Instrument.objects.get(slug="fft")
    Response.objects.create(request=request, instrument=fft, instrument_slug="fft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(request=request, instrument=fft, instrument_slug="fft")


def test_one_request_per_woman_and_occasion_is_held_by_the_database(asked):
    her, _ = asked
    request = FeedbackRequest.objects.get(patient=her.patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackRequest.objects.create(
            patient=her.patient,
            clinic=request.clinic,
            occasion_kind=request.occasion_kind,
            occasion=request.occasion,
        )


def test_her_home_links_to_her_unfinished_questions(client, clinic, came, settings):
    from tests.factories import UserFactory

    settings.MESSAGE_CHANNEL = "outbox"
    her = came()
    her.patient.user = UserFactory(email="her@example.com")
    her.patient.save()
    feedback_plan_for_clinic(clinic_id=clinic.pk, now=AFTER_IT)
    client.force_login(her.patient.user)
    home = client.get("/me/")
    start = client.get(href_of(home, f"Answer a few questions from {clinic.name}"))
    assert "There are 5 short questions" in start.content.decode()
