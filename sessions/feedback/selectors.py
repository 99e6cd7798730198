"""Reads: her questionnaires step by step, her open requests, and the clinic's co-production
queue. Staff reads start from the clinic; hers from her own request or patient record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from sessions.models import Patient
from waitroom.models import Clinic

from .definitions import Item
from .models import (
    FeedbackRequest,
    Instrument,
    Response,
    Suggestion,
    SuggestionQuestion,
    SuggestionStatus,
    YouSaidWeDid,
)


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, across every questionnaire of the request
    instrument: Instrument
    item: Item


@dataclass(frozen=True)
class Questionnaire:
    """A request's questions in order, with what she has answered so far."""

    request: FeedbackRequest
    steps: list[Step]
    responses: dict[str, Response]  # by instrument slug

    @property
    def total(self) -> int:
        return len(self.steps)

    def answer(self, step: Step) -> str:
        response = self.responses.get(step.instrument.slug)
        return response.answers.get(step.item.key, "") if response else ""

    @property
    def instruments(self) -> list[Instrument]:
        return list(dict.fromkeys(step.instrument for step in self.steps))

    @property
    def answered(self) -> int:
        return sum(1 for step in self.steps if self.answer(step))

    @property
    def next_unanswered(self) -> Step | None:
        return next((step for step in self.steps if not self.answer(step)), None)

    def step(self, number: int) -> Step | None:
        if 1 <= number <= len(self.steps):
            return self.steps[number - 1]
        return None


def questionnaire(request: FeedbackRequest) -> Questionnaire:
    """Her questions, in the order the request set (two queries)."""
    instruments = {i.slug: i for i in request.instruments.all()}
    steps: list[Step] = []
    for slug in request.order or sorted(instruments):
        instrument = instruments.get(slug)
        if instrument is None:
            continue
        for item in instrument.parsed.items:
            steps.append(Step(len(steps) + 1, instrument, item))
    responses = {r.instrument_slug: r for r in Response.objects.filter(request=request)}
    return Questionnaire(request=request, steps=steps, responses=responses)


def open_requests_for_patient(patient: Patient) -> list[FeedbackRequest]:
    """Her questionnaires not yet finished, newest first (for her home)."""
    return list(
        FeedbackRequest.objects.filter(patient=patient, completed_at__isnull=True)
        .select_related("clinic")
        .order_by("-created_at")[:5]
    )


def published_entries_for_patient(patient: Patient) -> QuerySet[YouSaidWeDid]:
    """ "You said, we did" of the clinics she has appointments or questionnaires at."""
    return (
        YouSaidWeDid.objects.filter(published_at__isnull=False)
        .filter(
            Q(clinic__appointments__patient=patient) | Q(clinic__feedback_requests__patient=patient)
        )
        .distinct()
        .select_related("clinic")
        .order_by("-published_at")
    )


# -- staff --------------------------------------------------------------------------------------


def clinic_suggestions(clinic: Clinic, *, status: str = "") -> QuerySet[Suggestion]:
    suggestions = Suggestion.objects.filter(clinic=clinic).select_related("response_entry")
    if status in SuggestionStatus.values:
        suggestions = suggestions.filter(status=status)
    return suggestions.order_by("status", "-created_at", "-pk")


def suggestion_counts(clinic: Clinic) -> dict[str, int]:
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    for status in Suggestion.objects.filter(clinic=clinic).values_list("status", flat=True):
        counts[status] += 1
    return counts


def suggestion_for_clinic(clinic: Clinic, suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.filter(clinic=clinic, pk=suggestion_id).first()
    if suggestion is None:
        raise Http404("No such suggestion")
    return suggestion


def clinic_entries(clinic: Clinic) -> QuerySet[YouSaidWeDid]:
    return YouSaidWeDid.objects.filter(clinic=clinic).order_by("-created_at", "-pk")


def entry_for_clinic(clinic: Clinic, entry_id: int) -> YouSaidWeDid:
    entry = YouSaidWeDid.objects.filter(clinic=clinic, pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


MVP_EXPORT_HEADER = ["month", "question", "what she wrote", "tags", "status", "you said, we did"]


def mvp_export_rows(clinic: Clinic) -> list[list[object]]:
    """The free text only, for the Maternity Voices Partnership: the month it was written,
    never who wrote it, her dates or anything else about her."""
    questions = dict(SuggestionQuestion.choices)
    statuses = dict(SuggestionStatus.choices)
    rows = []
    for suggestion in clinic_suggestions(clinic).order_by("created_at", "pk"):
        local = clinic.local(suggestion.created_at)
        rows.append(
            [
                f"{local:%Y-%m}",
                questions.get(suggestion.question, suggestion.question),
                suggestion.text,
                ", ".join(suggestion.tags),
                statuses.get(suggestion.status, suggestion.status),
                suggestion.response_entry.we_did if suggestion.response_entry else "",
            ]
        )
    return rows


def current_instruments() -> list[Instrument]:
    """The newest version of every loaded instrument, real ones first, by title."""
    return sorted(Instrument.objects.current(), key=lambda i: (i.placeholder, i.title))
