"""The demo's part of `sessions.feedback`: the instruments loaded, a year of answers with a
visible step up after the programme started (so the measures page tells a story), suggestions
in the coordinator's queue, "You said, we did" entries, and questions waiting for the demo
member (in the outbox, and on her home)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sessions.feedback.models import (
    FeedbackRequest,
    Instrument,
    Occasion,
    Response,
    Suggestion,
    SuggestionStatus,
    YouSaidWeDid,
)
from sessions.feedback.planner import feedback_request_create
from sessions.feedback.services import instruments_load_files
from sessions.models import Patient
from waitroom.models import Clinic

WEEKS = 52
# The programme "started" this many weeks ago: answers improve after it (a rebase date).
PROGRAMME_STARTED_WEEKS_AGO = 20
AFTER_SESSION = ["session-experience", "fft"]
PAIR = ["ons4", "placeholder-health-confidence", "placeholder-service-integration"]

SUGGESTIONS = [
    ("waiting_room", "More chairs near the group, my back hurts after a while.", ["seating"]),
    ("waiting_room", "A water jug would be nice.", ["drinks"]),
    ("waiting_room", "It is hard to hear when they call names.", ["calling in"]),
    ("waiting_room", "Somewhere to charge my phone.", []),
    ("waiting_room", "Knowing how long the wait will be.", ["waiting time"]),
    ("next_topic", "Sleep, and how to get comfortable.", ["topics"]),
    ("next_topic", "What happens on the day of the birth.", ["topics"]),
    ("next_topic", "Feeding, breast and bottle.", ["topics"]),
    ("next_topic", "Going back to work.", []),
    ("next_topic", "How partners can help.", []),
]
ENTRIES = [
    ("It is hard to hear when your name is called.", "Staff now come to the group to call you."),
    ("You wanted to talk about sleep.", "Our groups in March were about sleep, with a leaflet."),
    ("You asked for water.", "There is now a water jug by bay 2."),
]


def _answers(
    instrument: Instrument, rng: random.Random, better: bool
) -> tuple[dict[str, str], float]:
    definition = instrument.parsed
    answers = {}
    for item in definition.items:
        options = sorted(item.options, key=lambda o: o.score)
        if item.reverse:
            options.reverse()
        # Later options score higher: lean towards them, more so after the programme started.
        weights = [(n + 1) ** (2.2 if better else 1.4) for n in range(len(options))]
        if definition.method == "percent_positive":
            options = [o for o in item.options if o.value != "dont_know"]
            options.sort(key=lambda o: o.score)
            weights = [1, 1, 2, 5, 6] if better else [1, 2, 3, 5, 4]
        answers[item.key] = rng.choices(options, weights=weights[: len(options)])[0].value
    return answers, definition.score(answers)


def seed_feedback(
    clinic: Clinic, patients: list[Patient], member_patient: Patient, *, rng: random.Random
) -> None:
    instruments_load_files()
    current = {i.slug: i for i in Instrument.objects.current()}
    if not FeedbackRequest.objects.filter(clinic=clinic, occasion__startswith="demo-").exists():
        _seed_answers(clinic, [p for p in patients if p.pk != member_patient.pk], current, rng)
        _seed_suggestions(clinic)
    if not FeedbackRequest.objects.filter(
        patient=member_patient, occasion=Occasion.BASELINE
    ).exists():
        # The demo member's baseline questions: a message in the outbox and a link on her home.
        now = timezone.now()
        feedback_request_create(
            patient=member_patient,
            clinic=clinic,
            occasion_kind=Occasion.BASELINE,
            occasion=Occasion.BASELINE,
            instruments=[current[slug] for slug in PAIR],
            due=now,
            now=now,
        )


def _seed_answers(clinic, patients, current, rng: random.Random) -> None:
    """Each of the last WEEKS whole weeks: 7-10 women answer after a group, 6-8 the pair, on
    weekdays, so every weekly point has enough answers to show (5 or more)."""
    this_monday = clinic.today() - dt.timedelta(days=clinic.today().weekday())
    requests, by_request = [], []
    women = [p for p in patients if p.pregnancy_ended_at is None]
    for week in range(WEEKS, 0, -1):
        better = week <= PROGRAMME_STARTED_WEEKS_AGO
        monday = this_monday - dt.timedelta(weeks=week)
        asked = [AFTER_SESSION] * rng.randint(7, 10) + [PAIR] * rng.randint(6, 8)
        for n, slugs in enumerate(asked):
            day = monday + dt.timedelta(days=rng.randint(0, 4))
            when = clinic.day_bounds(day)[0] + dt.timedelta(hours=rng.randint(10, 16))
            after_session = slugs is AFTER_SESSION
            request = FeedbackRequest(
                patient=rng.choice(women),
                clinic=clinic,
                occasion_kind=Occasion.AFTER_SESSION if after_session else Occasion.BASELINE,
                occasion=f"demo-{week}-{n}",
                order=slugs,
                created_at=when,
                completed_at=when,
            )
            requests.append(request)
            by_request.append((request, slugs, when, better))
    FeedbackRequest.objects.bulk_create(requests, batch_size=500)
    responses, links = [], []
    through = FeedbackRequest.instruments.through
    for request, slugs, when, better in by_request:
        for slug in slugs:
            instrument = current[slug]
            answers, score = _answers(instrument, rng, better)
            responses.append(
                Response(
                    request=request,
                    instrument=instrument,
                    instrument_slug=slug,
                    answers=answers,
                    score=score,
                    started_at=when,
                    completed_at=when,
                )
            )
            links.append(through(feedbackrequest_id=request.pk, instrument_id=instrument.pk))
    Response.objects.bulk_create(responses, batch_size=500)
    through.objects.bulk_create(links, batch_size=500)


def _seed_suggestions(clinic: Clinic) -> None:
    now = timezone.now()
    entries = []
    for n, (you_said, we_did) in enumerate(ENTRIES):
        entries.append(
            YouSaidWeDid.objects.create(
                clinic=clinic,
                you_said=you_said,
                we_did=we_did,
                created_at=now - dt.timedelta(weeks=12 - 3 * n),
                published_at=now - dt.timedelta(weeks=11 - 3 * n),
            )
        )
    YouSaidWeDid.objects.create(
        clinic=clinic,
        you_said="You would like to know how long the wait will be.",
        we_did="We are testing a screen that shows the waiting time.",
    )
    requests = list(
        FeedbackRequest.objects.filter(clinic=clinic, occasion__startswith="demo-").order_by(
            "-created_at"
        )[: len(SUGGESTIONS)]
    )
    for n, ((question, text, tags), request) in enumerate(zip(SUGGESTIONS, requests, strict=False)):
        reviewed = bool(tags)
        Suggestion.objects.create(
            request=request,
            clinic=clinic,
            question=question,
            text=text,
            tags=tags,
            status=SuggestionStatus.REVIEWED if reviewed else SuggestionStatus.NEW,
            response_entry=entries[n % len(entries)] if n in (1, 2, 5) else None,
            created_at=request.created_at,
            reviewed_at=request.created_at if reviewed else None,
        )
