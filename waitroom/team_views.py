"""A coordinator manages her clinic's team: change a person's role, pause it, or remove it.

Only coordinators of the clinic reach these pages (another clinic's coordinator gets a 404, as
everywhere). The rules (never the clinic's last coordinator, never your own coordinator role)
live in waitroom.services; every change is audited. Removing and deactivating ask first.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .access import COORDINATORS, clinic_view
from .audit import audit_record
from .forms import StaffRoleChangeForm
from .models import AuditEvent, Clinic, StaffRole
from .selectors import staff_role_at_clinic
from .services import (
    StaffRoleError,
    staff_role_change,
    staff_role_deactivate,
    staff_role_loss_problem,
    staff_role_reactivate,
    staff_role_remove,
)


def _name(staff_role: StaffRole) -> str:
    return staff_role.user.get_full_name() or staff_role.user.email


@clinic_view(COORDINATORS)
def staff_role_detail(request: HttpRequest, clinic: Clinic, role_id: int) -> HttpResponse:
    """One person's role at the clinic, with the form to give her another role."""
    staff_role = staff_role_at_clinic(clinic, role_id)
    form = StaffRoleChangeForm(request.POST or None, initial={"role": staff_role.role})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["role"] == staff_role.role:
            messages.success(request, f"Nothing changed: {_name(staff_role)}'s role is as it was.")
            return redirect("clinic_team", clinic_slug=clinic.slug)
        try:
            staff_role_change(
                staff_role=staff_role, role=form.cleaned_data["role"], by=request.user
            )
        except StaffRoleError as exc:
            form.add_error("role", str(exc))
        else:
            audit_record(request, AuditEvent.Action.CHANGE, staff_role, clinic=clinic)
            messages.success(
                request,
                f"{_name(staff_role)} is now {staff_role.get_role_display().lower()} "
                f"at {clinic.name}.",
            )
            return redirect("clinic_team", clinic_slug=clinic.slug)
    return render(
        request,
        "waitroom/staff_role_detail.html",
        {
            "clinic": clinic,
            "staff_role": staff_role,
            "form": form,
            "is_self": staff_role.user_id == request.user.pk,
        },
    )


def _confirm_then(
    request: HttpRequest, clinic: Clinic, role_id: int, *, action: str
) -> HttpResponse:
    """GET asks to confirm `action` ("deactivate" or "remove"), or says why it cannot be done;
    POST does it."""
    staff_role = staff_role_at_clinic(clinic, role_id)
    name = _name(staff_role)
    if request.method == "POST":
        try:
            if action == "remove":
                role_id = staff_role.pk
                staff_role_remove(staff_role=staff_role, by=request.user)
                audit_record(
                    request,
                    AuditEvent.Action.DELETE,
                    None,
                    clinic=clinic,
                    object_type=StaffRole._meta.label_lower,
                    object_id=str(role_id),
                )
                done = f"{name} no longer has the {staff_role.get_role_display().lower()} role"
            else:
                staff_role_deactivate(staff_role=staff_role, by=request.user)
                audit_record(request, AuditEvent.Action.CHANGE, staff_role, clinic=clinic)
                done = (
                    f"{name}'s {staff_role.get_role_display().lower()} role is deactivated: "
                    "it gives no access until you reactivate it"
                )
        except StaffRoleError as exc:
            messages.error(request, str(exc))
            return redirect("staff_role_detail", clinic_slug=clinic.slug, role_id=staff_role.pk)
        messages.success(request, f"{done} at {clinic.name}.")
        return redirect("clinic_team", clinic_slug=clinic.slug)
    return render(
        request,
        "waitroom/staff_role_confirm.html",
        {
            "clinic": clinic,
            "staff_role": staff_role,
            "action": action,
            "problem": staff_role_loss_problem(staff_role=staff_role, by=request.user),
        },
    )


@clinic_view(COORDINATORS)
def staff_role_deactivate_view(request: HttpRequest, clinic: Clinic, role_id: int) -> HttpResponse:
    return _confirm_then(request, clinic, role_id, action="deactivate")


@clinic_view(COORDINATORS)
def staff_role_remove_view(request: HttpRequest, clinic: Clinic, role_id: int) -> HttpResponse:
    return _confirm_then(request, clinic, role_id, action="remove")


@require_POST
@clinic_view(COORDINATORS)
def staff_role_reactivate_view(request: HttpRequest, clinic: Clinic, role_id: int) -> HttpResponse:
    staff_role = staff_role_at_clinic(clinic, role_id)
    staff_role_reactivate(staff_role=staff_role, by=request.user)
    audit_record(request, AuditEvent.Action.CHANGE, staff_role, clinic=clinic)
    messages.success(
        request,
        f"{_name(staff_role)}'s {staff_role.get_role_display().lower()} role is active again.",
    )
    return redirect("clinic_team", clinic_slug=clinic.slug)
