"""The audit page: who read or changed which sensitive record. Admins see every event;
coordinators see the events at the clinics they coordinate. Filter by user, patient and date;
export what the filter shows as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import COORDINATORS, staff_clinics
from .audit import audit_record
from .audit_labels import LabelledEvent, labelled_events
from .csv_export import csv_response
from .models import AuditEvent
from .selectors import audit_events
from .widgets import NHSDateField

PAGE_SIZE = 200


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="User's email (optional)", required=False, max_length=254)
    patient = forms.CharField(
        label="Patient (optional)",
        help_text="Hospital number, or the patient's record number",
        required=False,
        max_length=20,
    )
    date_from = NHSDateField(
        label="From (optional)", help_text="For example, 27 3 2026", required=False
    )
    date_to = NHSDateField(
        label="To (optional)", help_text="For example, 28 3 2026", required=False
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date")
        return cleaned


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_superuser or staff_clinics(user, *COORDINATORS).exists()):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = audit_events(user, filters=form.cleaned_data if form.is_valid() else None)
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        # Exporting the trail is itself a sensitive read: it names patients' records.
        audit_record(
            request,
            AuditEvent.Action.EXPORT,
            None,
            object_type=AuditEvent._meta.label_lower,
            object_id="csv",
        )
        return _csv(events)
    shown = labelled_events(list(events[:PAGE_SIZE]))
    return render(
        request,
        "waitroom/audit.html",
        {
            "form": form,
            "rows": shown,
            "page_size": PAGE_SIZE,
            "csv_query": _csv_query(request),
        },
    )


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query["format"] = "csv"
    return query.urlencode()


def _csv(events: QuerySet[AuditEvent]) -> HttpResponse:
    return csv_response(
        filename="waitroom-audit.csv",
        header=[
            "time (UTC)",
            "user",
            "role",
            "clinic",
            "action",
            "object",
            "object id",
            "patient",
            "IP",
            "record",
            "hospital number",
        ],
        rows=(
            (
                row.event.at.astimezone(dt.UTC).isoformat(),
                row.event.user.email if row.event.user else "",
                row.event.role,
                row.event.clinic.slug if row.event.clinic else "",
                row.event.action,
                row.event.object_type,
                row.event.object_id,
                row.event.patient_id or "",
                row.event.ip_address or "",
                row.record_label,
                row.patient_number,
            )
            for row in _labelled_in_chunks(events)
        ),
    )


def _labelled_in_chunks(events: QuerySet[AuditEvent], size: int = 1000) -> Iterator[LabelledEvent]:
    """Every event, labelled a chunk at a time: queries grow with chunks, not with events."""
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=size):
        chunk.append(event)
        if len(chunk) == size:
            yield from labelled_events(chunk)
            chunk = []
    yield from labelled_events(chunk)
