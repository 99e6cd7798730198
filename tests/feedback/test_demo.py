"""The demo's feedback: instruments loaded, a year of weekly answers with a step up after the
programme started, suggestions in the queue, "You said, we did" for members, questions waiting
for the demo member; the same however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from demo.feedback import PROGRAMME_STARTED_WEEKS_AGO, WEEKS
from demo.seed import demo_seed
from sessions.feedback.measures import series
from sessions.feedback.models import FeedbackRequest, Instrument, Response, Suggestion, YouSaidWeDid
from sessions.invitations.models import Message, MessageKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_seed()


def test_the_demo_has_a_year_of_answers_that_improve_after_the_programme_started(demo):
    clinic = demo.clinic
    today = clinic.today()
    points = series(
        clinic,
        instrument="session-experience",
        start=today - dt.timedelta(weeks=WEEKS),
        end=today - dt.timedelta(weeks=1),
    )
    counted = [(day, value, n) for day, value, n in points if n]
    assert len(counted) >= WEEKS - 1
    assert all(n >= 4 for _, _, n in counted)  # enough to show (5+ in most weeks)
    started = today - dt.timedelta(weeks=PROGRAMME_STARTED_WEEKS_AGO)
    before = [v for day, v, _ in counted if day < started - dt.timedelta(days=7)]
    after = [v for day, v, _ in counted if day > started]
    assert sum(after) / len(after) > sum(before) / len(before) + 5
    assert Instrument.objects.filter(placeholder=True).count() == 2


def test_the_demo_has_a_queue_published_entries_and_questions_for_the_member(demo):
    assert Suggestion.objects.filter(status="new").exists()
    assert YouSaidWeDid.objects.filter(published_at__isnull=False).count() == 3
    assert YouSaidWeDid.objects.filter(published_at__isnull=True).count() == 1
    member = FeedbackRequest.objects.get(patient__user__email="member@waitroom.example")
    assert member.completed_at is None
    message = Message.objects.get(kind=MessageKind.FEEDBACK, patient=member.patient)
    assert message.pk == member.message_id


def test_running_the_demo_again_adds_no_feedback(demo):
    counts = (FeedbackRequest.objects.count(), Response.objects.count(), Suggestion.objects.count())
    demo_seed(today=timezone.localdate())
    assert counts == (
        FeedbackRequest.objects.count(),
        Response.objects.count(),
        Suggestion.objects.count(),
    )
