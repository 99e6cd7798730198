"""The booking team's worklist: send, record outcomes, export and print."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_patients_shown
from waitroom.csv_export import csv_response
from waitroom.models import AuditEvent, Clinic

from ..audit import OPEN_ITEMS, WORKLIST_TYPE
from ..export import HEADER, REASON_FOR_MOVE, worklist_csv_filename, worklist_rows
from ..forms import (
    WorklistOutcomeForm,
)
from ..selectors import (
    worklist,
    worklist_closed,
    worklist_item_for_clinic,
)
from ..services import (
    worklist_close,
    worklist_send,
)


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    items = worklist(clinic)
    closed = worklist_closed(clinic)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        None,
        clinic=clinic,
        patient_ids=[i.appointment.patient_id for i in [*items, *closed]],
        object_type=WORKLIST_TYPE,
        object_id=OPEN_ITEMS,
    )
    return render(
        request,
        "sessions/alignment/worklist.html",
        {
            "clinic": clinic,
            "items": items,
            "closed": closed,
            "proposed": sum(1 for i in items if i.status == "proposed"),
            "reason_for_move": REASON_FOR_MOVE,
        },
    )


@require_POST
@clinic_view(COORDINATORS)
def worklist_send_view(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    sent = worklist_send(clinic=clinic, user=request.user)
    messages.success(
        request, f"{sent} marked as sent to bookings. Download the list or print it for them."
    )
    return redirect("alignment_worklist", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def worklist_item_page(request: HttpRequest, clinic: Clinic, item_id: int) -> HttpResponse:
    """Record what became of one item."""
    item = worklist_item_for_clinic(clinic, item_id)
    form = WorklistOutcomeForm(request.POST or None)
    if request.method == "POST" and item.is_open and form.is_valid():
        worklist_close(
            item=item,
            status=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(request, f"Recorded: {item.get_status_display()}.")
        return redirect("alignment_worklist", clinic_slug=clinic.slug)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        item,
        clinic=clinic,
        patient_ids=[item.appointment.patient_id],
    )
    return render(
        request,
        "sessions/alignment/worklist_item.html",
        {"clinic": clinic, "item": item, "form": form, "reason_for_move": REASON_FOR_MOVE},
        status=400 if form.errors else 200,
    )


def _exported_worklist(request: HttpRequest, clinic: Clinic, *, context: str = ""):
    """The open items, audited as exported (as a file, or printed) with each woman on them."""
    items = worklist(clinic)
    audit_patients_shown(
        request,
        AuditEvent.Action.EXPORT,
        None,
        clinic=clinic,
        patient_ids=[i.appointment.patient_id for i in items],
        object_type=WORKLIST_TYPE,
        object_id=OPEN_ITEMS,
        context=context,
    )
    return items


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_export(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The open items as a CSV file for the booking team."""
    items = _exported_worklist(request, clinic)
    return csv_response(
        filename=worklist_csv_filename(clinic, clinic.today()),
        header=HEADER,
        rows=worklist_rows(items, clinic=clinic),
    )


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_print(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The open items as a list to print for the booking team."""
    items = _exported_worklist(request, clinic, context="printed")
    return render(
        request,
        "sessions/alignment/worklist_print.html",
        {
            "clinic": clinic,
            "rows": [
                list(zip(HEADER, row, strict=True)) for row in worklist_rows(items, clinic=clinic)
            ],
            "header": HEADER,
            "today": clinic.today(),
        },
    )
