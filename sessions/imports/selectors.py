"""Reads for the import pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from waitroom.models import Clinic

from .models import ImportJob


def import_jobs_recent(clinic: Clinic, *, limit: int = 10) -> QuerySet[ImportJob]:
    """The clinic's latest imports, without their files or full reports."""
    return ImportJob.objects.for_clinic(clinic).recent().defer("content", "problems")[:limit]


def import_job_for_clinic(clinic: Clinic, job_id: int) -> ImportJob:
    """Job `job_id` if it belongs to `clinic`; 404 otherwise (start from the clinic)."""
    return get_object_or_404(ImportJob.objects.for_clinic(clinic).defer("content"), pk=job_id)
