from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import COORDINATORS, clinic_view, home_role
from .audit import audit_record
from .forms import ClinicPlanningForm, StaffMemberForm
from .models import AuditEvent, Clinic, Role
from .selectors import staff_roles_at_clinic
from .services import clinic_planning_update, staff_member_add

HOME_FOR_ROLE = {
    Role.COORDINATOR: "coordinator_home",
    "sessions": "sessions_home",
    "member": "member_home",
    "admin": "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home for her most senior role."""
    role = home_role(request.user)
    if role is None:
        return render(request, "waitroom/no_role.html", status=403)
    return redirect(HOME_FOR_ROLE[role])


@clinic_view(COORDINATORS)
def clinic_team(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """A coordinator's list of her clinic's staff, and the form to add one."""
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = staff_member_add(clinic=clinic, added_by=request.user, **form.cleaned_data)
        audit_record(request, AuditEvent.Action.CREATE, role, clinic=clinic)
        messages.success(
            request,
            f"{role.user.get_full_name() or role.user.email} was added as "
            f"{role.get_role_display().lower()}. They can sign in with a code sent to their email.",
        )
        return redirect("clinic_team", clinic_slug=clinic.slug)
    roles = staff_roles_at_clinic(clinic)
    return render(
        request, "waitroom/clinic_team.html", {"clinic": clinic, "roles": roles, "form": form}
    )


@clinic_view(COORDINATORS)
def clinic_settings(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """A coordinator's planning settings for her clinic: the smallest group worth suggesting."""
    form = ClinicPlanningForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        clinic_planning_update(clinic=clinic, **form.cleaned_data)
        audit_record(request, AuditEvent.Action.CHANGE, clinic, clinic=clinic)
        messages.success(
            request,
            f"Saved. The clinic day now suggests times for {clinic.min_group_size} or more women.",
        )
        return redirect("clinic_settings", clinic_slug=clinic.slug)
    return render(request, "waitroom/clinic_settings.html", {"clinic": clinic, "form": form})


@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and Redis, when configured) answer; 503 when one does not."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "down"; the reason is for operators
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
