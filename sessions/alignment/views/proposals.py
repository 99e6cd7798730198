"""The alignment page and the cohort day: what Waitroom proposes for a cohort."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_patients_shown
from waitroom.models import AuditEvent, Clinic

from ..forms import (
    AlignmentForm,
    CohortDayForm,
    WorklistAddForm,
)
from ..measures import peers_together_series
from ..models import describe_cohort_day
from ..selectors import (
    alignment_for,
    cohort_day,
    cohort_for_clinic,
    suggested_cohort_day,
)
from ..services import (
    cohort_day_set,
    worklist_add,
)

MEASURE_WEEKS_BACK = 4


def _alignment_url(clinic: Clinic, cohort_slug: str, weeks: int | None = None) -> str:
    query = f"?cohort={cohort_slug}" + (f"&weeks={weeks}" if weeks else "")
    return reverse("booking_alignment", args=[clinic.slug]) + query


@clinic_view(COORDINATORS, methods=["GET"])
def alignment_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """For a cohort: its cohort day, the proposed moves with their reasons, and the measure."""
    form = AlignmentForm.from_query(request.GET, clinic=clinic)
    context: dict = {"clinic": clinic, "form": form}
    if form.is_bound and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        weeks = form.cleaned_data["weeks"]
        alignment = alignment_for(clinic=clinic, cohort=cohort, weeks=weeks)
        today = clinic.today()
        context.update(
            alignment=alignment,
            weeks=weeks,
            measure=peers_together_series(
                clinic,
                cohort=cohort,
                start=today - dt.timedelta(weeks=MEASURE_WEEKS_BACK),
                end=alignment.last_day,
            ),
            cohort_days=_cohort_dates(alignment),
        )
        # The list names women and their hospital numbers.
        audit_patients_shown(
            request,
            AuditEvent.Action.VIEW,
            cohort,
            clinic=clinic,
            patient_ids=alignment.patient_ids,
        )
    return render(request, "sessions/alignment/alignment.html", context)


def _cohort_dates(alignment) -> list[tuple[dt.date, int]]:
    """The cohort's days in the weeks shown, with the women of the cohort booked on each."""
    if alignment.cohort_day is None:
        return []
    day = alignment.first_day
    day += dt.timedelta(days=(alignment.cohort_day.weekday - day.weekday()) % 7)
    dates = []
    while day <= alignment.last_day:
        dates.append((day, alignment.women_by_day.get(day, 0)))
        day += dt.timedelta(days=7)
    return dates


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def cohort_day_page(request: HttpRequest, clinic: Clinic, cohort_slug: str) -> HttpResponse:
    """Set the day a cohort's women are brought together, or take the one Waitroom proposes."""
    cohort = cohort_for_clinic(clinic, cohort_slug)
    current = cohort_day(clinic, cohort)
    suggestion = suggested_cohort_day(clinic, cohort)
    initial = {}
    if current:
        initial = {"weekday": current.weekday, "part": current.part}
    elif suggestion:
        initial = {"weekday": suggestion[0], "part": suggestion[1]}
    form = CohortDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        day = cohort_day_set(
            clinic=clinic,
            cohort=cohort,
            weekday=form.cleaned_data["weekday"],
            part=form.cleaned_data["part"],
            user=request.user,
        )
        messages.success(request, f"{cohort.staff_name} now meet on {day}.")
        return redirect(_alignment_url(clinic, cohort.slug))
    return render(
        request,
        "sessions/alignment/cohort_day.html",
        {
            "clinic": clinic,
            "cohort": cohort,
            "current": current,
            "suggestion": suggestion and describe_cohort_day(suggestion[0], suggestion[1]),
            "suggestion_women": suggestion and suggestion[2],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@clinic_view(COORDINATORS)
def worklist_add_view(request: HttpRequest, clinic: Clinic, cohort_slug: str) -> HttpResponse:
    """Put the proposals the coordinator ticked on the booking team's worklist."""
    cohort = cohort_for_clinic(clinic, cohort_slug)
    query = AlignmentForm(
        {"cohort": cohort.slug, "weeks": request.POST.get("weeks")}, clinic=clinic
    )
    weeks = query.cleaned_data["weeks"] if query.is_valid() else None
    alignment = alignment_for(clinic=clinic, cohort=cohort, **({"weeks": weeks} if weeks else {}))
    form = WorklistAddForm(request.POST, appointment_ids=alignment.movable_ids)
    if not form.is_valid():
        messages.error(request, "Choose at least one proposal to put on the worklist.")
        return redirect(_alignment_url(clinic, cohort.slug, weeks))
    added = worklist_add(
        clinic=clinic,
        cohort=cohort,
        appointment_ids=form.cleaned_data["appointment"],
        user=request.user,
        **({"weeks": weeks} if weeks else {}),
    )
    messages.success(request, f"{added} added to the booking team's worklist.")
    return redirect("alignment_worklist", clinic_slug=clinic.slug)
