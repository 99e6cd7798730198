from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_patients_shown
from waitroom.csv_export import csv_response
from waitroom.models import AuditEvent, Clinic

from .export import HEADER, alignment_csv_filename, alignment_rows
from .forms import AlignmentForm
from .selectors import booking_alignment


@clinic_view(COORDINATORS, methods=["GET"])
def alignment_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """For a cohort: its fullest clinic days, and the women who could move to one."""
    form = AlignmentForm.from_query(request.GET, clinic=clinic)
    alignment = None
    if form.is_bound and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        alignment = booking_alignment(
            clinic=clinic, cohort=cohort, weeks=form.cleaned_data["weeks"]
        )
        # The list names women and their hospital numbers.
        audit_patients_shown(
            request,
            AuditEvent.Action.VIEW,
            cohort,
            clinic=clinic,
            patient_ids=alignment.patient_ids,
        )
    return render(
        request,
        "sessions/alignment/alignment.html",
        {"clinic": clinic, "form": form, "alignment": alignment},
    )


@clinic_view(COORDINATORS, methods=["GET"])
def alignment_export(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The same list as a CSV file for the booking team."""
    form = AlignmentForm(request.GET, clinic=clinic)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Choose a cohort this clinic runs and a number of weeks from 1 to 12.",
            content_type="text/plain; charset=utf-8",
        )
    cohort = form.cleaned_data["cohort"]
    alignment = booking_alignment(clinic=clinic, cohort=cohort, weeks=form.cleaned_data["weeks"])
    audit_patients_shown(
        request, AuditEvent.Action.EXPORT, cohort, clinic=clinic, patient_ids=alignment.patient_ids
    )
    return csv_response(
        filename=alignment_csv_filename(alignment), header=HEADER, rows=alignment_rows(alignment)
    )
