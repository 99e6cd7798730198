"""A coordinator's governance pages: discussion topics, concern leads, peer supporters'
training and DBS."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.models import Clinic

from .. import selectors, services
from ..forms import ConcernLeadsForm, PeerSupporterRecordForm, TopicForm
from ..models import ConcernCategory
from . import Action, recorded


@clinic_view(COORDINATORS)
def topics(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.topic_add(clinic=clinic, name=form.cleaned_data["name"])
        messages.success(request, "Topic added.")
        return redirect("discussion_topics", clinic_slug=clinic.slug)
    return render(
        request,
        "facilitation/topics.html",
        {
            "clinic": clinic,
            "topics": list(selectors.topics_active(clinic)),
            "form": form,
        },
    )


@require_POST
@clinic_view(COORDINATORS)
def topic_retire(request: HttpRequest, clinic: Clinic, topic_id: int) -> HttpResponse:
    topic = selectors.topic_for_clinic(clinic, topic_id)
    services.topic_retire(topic=topic)
    messages.success(request, f"“{topic.name}” removed from the notes form.")
    return redirect("discussion_topics", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS)
def concern_leads(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    current = selectors.concern_leads_current(clinic)
    form = ConcernLeadsForm(
        request.POST if request.method == "POST" else None,
        professionals=selectors.clinic_professionals(clinic),
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        for category in ConcernCategory.values:
            services.concern_lead_set(
                clinic=clinic, category=category, lead=form.cleaned_data[category]
            )
        messages.success(request, "Concern leads saved.")
        return redirect("concern_leads", clinic_slug=clinic.slug)
    return render(request, "facilitation/concern_leads.html", {"clinic": clinic, "form": form})


@clinic_view(COORDINATORS)
def peer_supporters(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(
        request,
        "facilitation/peer_supporters.html",
        {"clinic": clinic, "standings": selectors.peer_supporter_standing(clinic)},
    )


@clinic_view(COORDINATORS)
def peer_supporter_edit(request: HttpRequest, clinic: Clinic, user_id: int) -> HttpResponse:
    person = selectors.peer_supporter_at_clinic(clinic, user_id)
    record = selectors.peer_supporter_record(person)
    initial = (
        {
            "training_completed_on": record.training_completed_on,
            "dbs_checked_on": record.dbs_checked_on,
            "dbs_expires_on": record.dbs_expires_on,
        }
        if record
        else {}
    )
    form = PeerSupporterRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.peer_supporter_record_update(user=person, **form.cleaned_data)
        return recorded(
            request,
            Action.CHANGE,
            saved,
            clinic,
            "Training and DBS dates saved.",
            "peer_supporters",
        )
    return render(
        request,
        "facilitation/peer_supporter_form.html",
        {"clinic": clinic, "person": person, "form": form},
    )
