"""A coordinator's governance pages: discussion topics, concern leads, peer supporters'
training and DBS."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import clinic_for_user, staff_required
from waitroom.audit import audit_record
from waitroom.models import Role, User

from .. import selectors, services
from ..forms import ConcernLeadsForm, PeerSupporterRecordForm, TopicForm
from ..models import ConcernCategory, ConcernLead, DiscussionTopic, PeerSupporterRecord
from . import COORDINATORS, Action


@staff_required(*COORDINATORS)
def topics(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
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
            "topics": list(DiscussionTopic.objects.filter(clinic=clinic).active()),
            "form": form,
        },
    )


@require_POST
@staff_required(*COORDINATORS)
def topic_retire(request: HttpRequest, clinic_slug: str, topic_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    topic = DiscussionTopic.objects.filter(clinic=clinic, pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic")
    services.topic_retire(topic=topic)
    messages.success(request, f"“{topic.name}” removed from the notes form.")
    return redirect("discussion_topics", clinic_slug=clinic.slug)


@staff_required(*COORDINATORS)
def concern_leads(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    current = dict(ConcernLead.objects.filter(clinic=clinic).values_list("category", "lead_id"))
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


@staff_required(*COORDINATORS)
def peer_supporters(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    return render(
        request,
        "facilitation/peer_supporters.html",
        {"clinic": clinic, "standings": selectors.peer_supporter_standing(clinic)},
    )


@staff_required(*COORDINATORS)
def peer_supporter_edit(request: HttpRequest, clinic_slug: str, user_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    person = (
        User.objects.filter(
            pk=user_id, staff_roles__clinic=clinic, staff_roles__role=Role.PEER_SUPPORTER
        )
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No such peer supporter at this clinic")
    record = PeerSupporterRecord.objects.filter(user=person).first()
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
        audit_record(request, Action.CHANGE, saved, clinic=clinic)
        messages.success(request, "Training and DBS dates saved.")
        return redirect("peer_supporters", clinic_slug=clinic.slug)
    return render(
        request,
        "facilitation/peer_supporter_form.html",
        {"clinic": clinic, "person": person, "form": form},
    )
