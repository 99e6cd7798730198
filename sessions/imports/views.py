from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_record
from waitroom.models import AuditEvent, Clinic

from .csv_format import COLUMNS, REQUIRED_COLUMNS
from .forms import AppointmentFileForm
from .jobs import import_job_start
from .models import ImportJob, ImportJobStatus
from .selectors import import_job_for_clinic, import_jobs_recent


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def appointment_import(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    if request.method == "POST":
        form = AppointmentFileForm(request.POST, request.FILES)
    else:
        form = AppointmentFileForm()
    if form.is_bound and form.is_valid():
        job = import_job_start(
            clinic=clinic,
            user=request.user,
            filename=form.cleaned_data["file"].name,
            content=form.content,
        )
        audit_record(request, AuditEvent.Action.CREATE, job, clinic=clinic)
        if job.status == ImportJobStatus.REFUSED:
            # Refused whole: say so on the form, where she can choose another file.
            form.add_error("file", job.refusal)
        else:
            return redirect("appointment_import_job", clinic_slug=clinic.slug, job_id=job.pk)
    columns = [(label, key in REQUIRED_COLUMNS) for key, (label, _) in COLUMNS.items()]
    return render(
        request,
        "sessions/imports/import.html",
        {
            "clinic": clinic,
            "form": form,
            "jobs": import_jobs_recent(clinic),
            "columns": columns,
        },
    )


@clinic_view(COORDINATORS, methods=["GET"])
def appointment_import_job(request: HttpRequest, clinic: Clinic, job_id: int) -> HttpResponse:
    job = import_job_for_clinic(clinic, job_id)
    return render(
        request,
        "sessions/imports/job.html",
        {"clinic": clinic, "job": job, "has_error": job.status in _UNSUCCESSFUL},
    )


@clinic_view(COORDINATORS, methods=["GET"])
def appointment_import_status(request: HttpRequest, clinic: Clinic, job_id: int) -> JsonResponse:
    """The job's progress for the page's progress bar: counts only, never personal data."""
    job = import_job_for_clinic(clinic, job_id)
    return JsonResponse(_status(job, clinic.slug), headers={"Cache-Control": "no-store"})


_UNSUCCESSFUL = (ImportJobStatus.REFUSED, ImportJobStatus.FAILED)


def _status(job: ImportJob, clinic_slug: str) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.is_done,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "cancelled": job.cancelled_count,
        "skipped": job.skipped_count,
        "url": reverse(
            "appointment_import_job", kwargs={"clinic_slug": clinic_slug, "job_id": job.pk}
        ),
    }
