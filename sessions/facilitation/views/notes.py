"""Discussion notes: written after a session, changeable by the author for 24 hours, then
only added to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from resources.selectors import resources_for_cohort, resources_signposted_at, signpostings_at
from waitroom.access import STAFF_ROLES, clinic_view
from waitroom.audit import audit_record
from waitroom.models import Clinic

from .. import selectors, services
from ..forms import AddendumForm, NoteForm
from . import Action, recorded


def _note_form(request: HttpRequest, clinic: Clinic, session, **kwargs) -> NoteForm:
    return NoteForm(
        request.POST or None,
        topics=selectors.topics_active(clinic),
        resources=resources_for_cohort(session.cohort, clinic=session.clinic),
        **kwargs,
    )


@clinic_view(STAFF_ROLES)
def note_create(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = selectors.session_for_runner(request.user, clinic, session_id)
    form = _note_form(request, clinic, session)
    if request.method == "POST" and form.is_valid():
        note = services.note_create(
            session=session,
            author=request.user,
            **form.cleaned_data,
        )
        return recorded(
            request,
            Action.CREATE,
            note,
            clinic,
            "Note saved. You can change it for the next 24 hours.",
            "note_detail",
            note_id=note.pk,
        )
    return render(
        request,
        "facilitation/note_form.html",
        {"clinic": clinic, "session": session, "form": form, "note": None},
    )


@clinic_view(STAFF_ROLES)
def note_detail(request: HttpRequest, clinic: Clinic, note_id: int) -> HttpResponse:
    """The note, its addenda and signposting; a POST adds an addendum (once it is locked)."""
    note = selectors.note_for_user(request.user, clinic, note_id)
    form = AddendumForm(request.POST or None)
    if request.method == "POST":
        if not selectors.may_add_addendum(request.user, clinic, note):
            raise PermissionDenied
        if form.is_valid():
            services.note_add_addendum(
                note=note, author=request.user, text=form.cleaned_data["text"]
            )
            return recorded(
                request,
                Action.CHANGE,
                note,
                clinic,
                "Addendum added.",
                "note_detail",
                note_id=note.pk,
            )
    audit_record(request, Action.VIEW, note, clinic=clinic)
    return render(
        request,
        "facilitation/note_detail.html",
        {
            "clinic": clinic,
            "note": note,
            "topics": list(note.topics.all()),
            "addenda": list(note.addenda.select_related("author")),
            "signposted": list(signpostings_at(note.session)),
            "can_edit": note.editable_by(request.user),
            "can_add": selectors.may_add_addendum(request.user, clinic, note),
            "form": form,
        },
    )


@clinic_view(STAFF_ROLES)
def note_edit(request: HttpRequest, clinic: Clinic, note_id: int) -> HttpResponse:
    note = selectors.note_for_user(request.user, clinic, note_id)
    if not note.editable_by(request.user):
        messages.error(
            request,
            "This note is locked: its author can change it for 24 hours. Add an addendum instead.",
        )
        return redirect("note_detail", clinic_slug=clinic.slug, note_id=note.pk)
    signposted = resources_signposted_at(note.session)
    form = _note_form(
        request,
        clinic,
        note.session,
        initial={
            "summary": note.summary,
            "topics": list(note.topics.all()),
            "resources": list(signposted),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.note_update(
            note=note,
            by=request.user,
            **form.cleaned_data,
        )
        return recorded(
            request, Action.CHANGE, note, clinic, "Note updated.", "note_detail", note_id=note.pk
        )
    audit_record(request, Action.VIEW, note, clinic=clinic)
    return render(
        request,
        "facilitation/note_form.html",
        {"clinic": clinic, "session": note.session, "form": form, "note": note},
    )
