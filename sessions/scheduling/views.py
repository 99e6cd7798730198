"""Planning pages: the clinic day, and a coordinator's sessions.

Coordinators plan: they see clinic days and create, edit, publish and cancel sessions.
Facilitators may look at clinic days, sessions and who is eligible, but not change them.
Peer supporters see none of this (it shows cohorts, which are clinical flags); they get a 403,
and staff of another clinic a 404, as everywhere else (waitroom.access).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sessions.facilitation.selectors import clinic_day_waits
from sessions.invitations.eligibility import session_eligible
from sessions.invitations.planner import session_invitees
from sessions.models import SessionStatus
from sessions.selectors import (
    session_for_clinic,
    waiting_area_place_for_clinic,
    waiting_area_places_in_use,
)
from waitroom.access import COORDINATORS, PROFESSIONALS, clinic_view, holds_at
from waitroom.audit import audit_patients_shown
from waitroom.models import AuditEvent, Clinic

from .forms import (
    DayPickForm,
    SessionLengthForm,
    WaitingAreaPlaceForm,
    WaitingRoomSessionForm,
    session_initial_from_query,
)
from .selectors import clinic_day_plan, clinic_sessions_upcoming
from .services import (
    SessionStateError,
    session_cancel,
    session_create,
    session_publish,
    session_update,
    waiting_area_place_add,
    waiting_area_place_retire,
)


def _can_plan(request: HttpRequest, clinic: Clinic) -> bool:
    return holds_at(request.user, clinic, COORDINATORS)


def _today(clinic: Clinic) -> dt.date:
    return clinic.today()


@clinic_view(PROFESSIONALS)
def clinic_day(request: HttpRequest, clinic: Clinic, day: dt.date) -> HttpResponse:
    """The day's appointments and, per cohort, the best windows for a session."""
    length_form = SessionLengthForm(request.GET or None)
    plan = clinic_day_plan(clinic=clinic, day=day, minutes=length_form.length())
    # The page lists women by name, so reading it is audited like reading their records.
    audit_patients_shown(
        request, AuditEvent.Action.VIEW, clinic, clinic=clinic, patient_ids=plan.patient_ids
    )
    minutes_query = f"?minutes={plan.minutes}"
    return render(
        request,
        "sessions/scheduling/clinic_day.html",
        {
            "clinic": clinic,
            "plan": plan,
            "waits": clinic_day_waits(clinic, day),
            "length_form": length_form if length_form.is_bound else SessionLengthForm(),
            "pick_form": DayPickForm(initial={"date": day}),
            "can_plan": _can_plan(request, clinic),
            "today": _today(clinic),
            "minutes_query": minutes_query,
            "nav": {
                "previous_week": day - dt.timedelta(days=7),
                "previous_day": day - dt.timedelta(days=1),
                "next_day": day + dt.timedelta(days=1),
                "next_week": day + dt.timedelta(days=7),
            },
        },
    )


@clinic_view(PROFESSIONALS)
def clinic_day_pick(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The date picker's target (a GET form): today when no date is given."""
    if not any(key.startswith("date") for key in request.GET):
        return redirect("clinic_day", clinic_slug=clinic.slug, day=_today(clinic))
    form = DayPickForm(request.GET)
    if form.is_valid():
        return redirect("clinic_day", clinic_slug=clinic.slug, day=form.cleaned_data["date"])
    return render(
        request,
        "sessions/scheduling/clinic_day_pick.html",
        {"clinic": clinic, "form": form},
        status=400,
    )


@clinic_view(PROFESSIONALS)
def session_list(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(
        request,
        "sessions/scheduling/session_list.html",
        {
            "clinic": clinic,
            "sessions": clinic_sessions_upcoming(clinic),
            "can_plan": _can_plan(request, clinic),
            "today": _today(clinic),
        },
    )


@clinic_view(COORDINATORS)
def session_create_view(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    if request.method == "POST":
        form = WaitingRoomSessionForm(request.POST, clinic=clinic)
        if form.is_valid():
            session = session_create(clinic=clinic, by=request.user, **_session_fields(form))
            messages.success(request, "Session saved as a draft. Publish it to invite women.")
            return redirect("session_detail", clinic_slug=clinic.slug, session_id=session.pk)
    else:
        form = WaitingRoomSessionForm(
            clinic=clinic, initial=session_initial_from_query(request.GET, clinic=clinic)
        )
    return render(
        request,
        "sessions/scheduling/session_form.html",
        {"clinic": clinic, "form": form, "session": None},
    )


@clinic_view(COORDINATORS)
def session_edit(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = session_for_clinic(clinic, session_id)
    if not session.is_changeable:
        messages.error(
            request, f"This session is {session.get_status_display().lower()}: it cannot change."
        )
        return redirect("session_detail", clinic_slug=clinic.slug, session_id=session.pk)
    form = WaitingRoomSessionForm(request.POST or None, instance=session, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        session_update(session=session, by=request.user, **_session_fields(form))
        messages.success(request, "Session updated.")
        return redirect("session_detail", clinic_slug=clinic.slug, session_id=session.pk)
    return render(
        request,
        "sessions/scheduling/session_form.html",
        {"clinic": clinic, "form": form, "session": session},
    )


def _session_fields(form: WaitingRoomSessionForm) -> dict:
    data = form.cleaned_data
    return {
        "cohort": data["cohort"],
        "start": data["start"],
        "end": data["end"],
        "place": data["place"],
        "capacity": data["capacity"],
        "topic": data.get("topic", ""),
        "facilitators": data.get("facilitators") or [],
        "partners_welcome": data.get("partners_welcome", False),
        "children_welcome": data.get("children_welcome", False),
        "buggy_space": data.get("buggy_space", False),
    }


@clinic_view(PROFESSIONALS)
def session_detail(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    """A session for staff, with the women eligible for it (an audited read)."""
    session = session_for_clinic(clinic, session_id)
    eligible = session_eligible(session)
    invitees = None
    if session.status == SessionStatus.DRAFT:
        invitees = session_invitees(session, eligible=eligible)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        session,
        clinic=clinic,
        patient_ids=(woman.patient.pk for woman in eligible),
    )
    return render(
        request,
        "sessions/scheduling/session_detail.html",
        {
            "clinic": clinic,
            "session": session,
            "facilitators": list(session.facilitators.all()),
            "eligible": eligible,
            # Before publishing: how many women it would invite, and how many it cannot reach.
            "invitee_count": len(invitees) if invitees is not None else None,
            "unreachable_count": len(eligible) - len(invitees) if invitees is not None else 0,
            "can_plan": _can_plan(request, clinic),
            "day": clinic.day_of(session.start),
        },
    )


@require_POST
@clinic_view(COORDINATORS)
def session_publish_view(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = session_for_clinic(clinic, session_id)
    try:
        session_publish(session=session, by=request.user)
    except SessionStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _published_message(len(session_invitees(session))))
    return redirect("session_detail", clinic_slug=clinic.slug, session_id=session.pk)


def _published_message(invited: int) -> str:
    if invited == 0:
        return (
            "Session published, but nobody will be invited: no woman who can be contacted is "
            "expected in the waiting room for at least half of it. Women who come can still "
            "check in. To invite women, change the session to a time the clinic day suggests."
        )
    women = "woman" if invited == 1 else "women"
    return f"Session published. {invited} {women} will be invited by text message or email."


@clinic_view(COORDINATORS)
def session_cancel_view(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    """GET asks to confirm; POST cancels."""
    session = session_for_clinic(clinic, session_id)
    if request.method == "POST":
        try:
            session_cancel(session=session, by=request.user)
        except SessionStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "Session cancelled. Women who were invited will be told.",
            )
        return redirect("session_detail", clinic_slug=clinic.slug, session_id=session.pk)
    return render(
        request,
        "sessions/scheduling/session_cancel.html",
        {"clinic": clinic, "session": session},
    )


@clinic_view(COORDINATORS)
def waiting_area_places(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The clinic's named places where sessions meet: list them and add one."""
    form = WaitingAreaPlaceForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        place = waiting_area_place_add(clinic=clinic, name=form.cleaned_data["name"])
        messages.success(request, f"Added '{place.name}'. You can now choose it for a session.")
        return redirect("waiting_area_places", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/scheduling/waiting_area_places.html",
        {
            "clinic": clinic,
            "form": form,
            "places": waiting_area_places_in_use(clinic),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@clinic_view(COORDINATORS)
def waiting_area_place_retire_view(
    request: HttpRequest, clinic: Clinic, place_id: int
) -> HttpResponse:
    place = waiting_area_place_for_clinic(clinic, place_id)
    waiting_area_place_retire(place=place)
    messages.success(request, f"Removed '{place.name}'. Sessions already there are not changed.")
    return redirect("waiting_area_places", clinic_slug=clinic.slug)
