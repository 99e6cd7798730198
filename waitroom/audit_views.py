"""The audit page: who read or changed which sensitive record. Admins see every event;
coordinators see the events at the clinics they coordinate. Filter by user, patient and date;
export what the filter shows as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import staff_clinics
from .audit import audit_record
from .audit_labels import LabelledEvent, labelled_events
from .csv_export import csv_response
from .models import AuditEvent, Clinic, Role, User
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


def _events_for(user: User) -> QuerySet[AuditEvent]:
    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(clinic__in=staff_clinics(user, Role.COORDINATOR))


def _patient_ids(user: User, text: str) -> list[int]:
    # By app label, as audit_labels does: the core app never imports the apps above it.
    patient = apps.get_model("waitingroom", "Patient")
    patients = patient.objects.filter(hospital_number__iexact=text)
    if not user.is_superuser:
        # A coordinator finds patients only in her own clinics' organisations.
        patients = patients.filter(organisation__clinics__in=staff_clinics(user, Role.COORDINATOR))
    ids = list(patients.values_list("pk", flat=True).distinct())
    if text.isdigit():
        ids.append(int(text))
    return ids


def _clinics_for(user: User) -> QuerySet[Clinic]:
    return Clinic.objects.all() if user.is_superuser else staff_clinics(user, Role.COORDINATOR)


def _on_days(user: User, first: dt.date | None, last: dt.date | None) -> Q:
    """Events from the start of `first` to the end of `last` (either may be open), each day cut
    in the zone of the event's clinic, as its coordinator reads her clinic's calendar. Events
    with no clinic (an admin's view) follow a clinic with no zone set. One query: the zones."""
    zones = _clinics_for(user).order_by().values_list("timezone", flat=True).distinct()

    def window(clinic: Clinic) -> Q:
        q = Q()
        if first:
            q &= Q(at__gte=clinic.day_bounds(first)[0])
        if last:
            q &= Q(at__lt=clinic.day_bounds(last)[1])
        return q

    query = Q(clinic__isnull=True) & window(Clinic())
    for name in zones:
        query |= Q(clinic__timezone=name) & window(Clinic(timezone=name))
    return query


def audit_events(user: User, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = _events_for(user).select_related("user", "clinic").order_by("-at")
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["user"]:
        events = events.filter(user__email__iexact=data["user"].strip())
    if data["patient"]:
        events = events.filter(patient_id__in=_patient_ids(user, data["patient"].strip()))
    if data["date_from"] or data["date_to"]:
        events = events.filter(_on_days(user, data["date_from"], data["date_to"]))
    return events


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_superuser or staff_clinics(user, Role.COORDINATOR).exists()):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = audit_events(user, form)
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
