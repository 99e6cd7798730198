"""The co-production queue: coordinators of a clinic read what its women suggested (never who),
tag it, and publish "You said, we did"; the Maternity Voices Partnership export. Coordinators
only: facilitators and peer supporters never see individual answers (docs/adr/0039)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_record
from waitroom.client_address import client_address
from waitroom.csv_export import csv_response
from waitroom.models import AuditEvent, Clinic

from .. import selectors, services
from ..forms import EntryForm, FeedbackSettingsForm, SuggestionReviewForm
from ..models import SuggestionStatus
from ..planner import settings_for


@clinic_view(COORDINATORS)
def feedback_queue(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    status = request.GET.get("status", SuggestionStatus.NEW)
    if status not in SuggestionStatus.values and status != "all":
        status = SuggestionStatus.NEW
    suggestions = list(
        selectors.clinic_suggestions(clinic, status="" if status == "all" else status)
    )
    counts = selectors.suggestion_counts(clinic)
    audit_record(
        request,
        AuditEvent.Action.VIEW,
        None,
        clinic=clinic,
        object_type="feedback.suggestion_queue",
        object_id=f"{clinic.pk}:{status}",
    )
    return render(
        request,
        "feedback/queue.html",
        {
            "clinic": clinic,
            "suggestions": suggestions,
            "status": status,
            "filters": [(value, label, counts[value]) for value, label in SuggestionStatus.choices],
        },
    )


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def feedback_suggestion(request: HttpRequest, clinic: Clinic, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_for_clinic(clinic, suggestion_id)
    entries = selectors.clinic_entries(clinic)
    if request.method == "POST":
        form = SuggestionReviewForm(request.POST, entries=entries)
        if form.is_valid():
            services.suggestion_review(
                suggestion=suggestion,
                by=request.user,
                tags=form.cleaned_data["tags"],
                status=form.cleaned_data["status"],
                entry=form.cleaned_data["entry"],
            )
            messages.success(request, "Suggestion saved.")
            return redirect("feedback_queue", clinic_slug=clinic.slug)
    else:
        audit_record(request, AuditEvent.Action.VIEW, suggestion, clinic=clinic)
        form = SuggestionReviewForm(
            initial={
                "tags": ", ".join(suggestion.tags),
                "status": suggestion.status,
                "entry": suggestion.response_entry_id,
            },
            entries=entries,
        )
    return render(
        request,
        "feedback/suggestion.html",
        {"clinic": clinic, "suggestion": suggestion, "form": form},
    )


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def feedback_entries(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            services.you_said_we_did_create(clinic=clinic, by=request.user, **form.cleaned_data)
            messages.success(request, "Saved as a draft. Publish it when it is ready.")
            return redirect("feedback_entries", clinic_slug=clinic.slug)
    else:
        form = EntryForm()
    return render(
        request,
        "feedback/entries.html",
        {"clinic": clinic, "entries": list(selectors.clinic_entries(clinic)), "form": form},
    )


@require_POST
@clinic_view(COORDINATORS)
def feedback_entry_publish(request: HttpRequest, clinic: Clinic, entry_id: int) -> HttpResponse:
    entry = selectors.entry_for_clinic(clinic, entry_id)
    services.you_said_we_did_publish(entry=entry, by=request.user)
    messages.success(request, "Published. Members of this clinic can see it now.")
    return redirect("feedback_entries", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS)
def feedback_export(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    rows = selectors.mvp_export_rows(clinic)
    services.mvp_export_audit(
        clinic=clinic, by=request.user, ip_address=client_address(request), rows=len(rows)
    )
    return csv_response(
        filename=f"{clinic.slug}-suggestions-for-mvp.csv",
        header=selectors.MVP_EXPORT_HEADER,
        rows=rows,
    )


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def feedback_settings(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """When this clinic asks women, and which questions (defaults: docs/feedback.md)."""
    instruments = selectors.current_instruments()
    if request.method == "POST":
        form = FeedbackSettingsForm(request.POST, instruments=instruments)
        if form.is_valid():
            services.feedback_settings_save(clinic=clinic, by=request.user, **form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("feedback_queue", clinic_slug=clinic.slug)
    else:
        config = settings_for(clinic)
        form = FeedbackSettingsForm(
            initial={
                "ask_after_sessions": config.ask_after_sessions,
                "after_appointment_minutes": config.after_appointment_minutes,
                "after_session_instruments": config.slugs(config.after_session_instruments),
                "ask_baseline_and_later": config.ask_baseline_and_later,
                "later_at_weeks": config.later_at_weeks,
                "pair_instruments": config.slugs(config.pair_instruments),
            },
            instruments=instruments,
        )
    return render(request, "feedback/settings.html", {"clinic": clinic, "form": form})
