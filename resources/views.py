"""The resource library: staff search it and coordinators review it. What was signposted to a
member is her page, in groups/members/home_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sessions.languages import language_name
from waitroom.access import (
    COORDINATORS,
    PROFESSIONALS,
    STAFF_ROLES,
    clinic_roles,
    staff_required,
)
from waitroom.models import service_today

from .forms import ResourceSearchForm, ReviewForm
from .selectors import (
    cohorts_at_staff_clinics,
    resource_for_review,
    resource_language_codes,
    resource_search,
    resources_due_for_review,
)
from .services import resource_mark_reviewed


def _language_choices() -> list[tuple[str, str]]:
    codes = resource_language_codes()
    return sorted(((code, language_name(code)) for code in codes), key=lambda c: c[1])


def _coordinated(request: HttpRequest) -> list[int]:
    return sorted(clinic_roles(request.user).clinic_ids(*COORDINATORS))


@staff_required(*STAFF_ROLES)
def library(request: HttpRequest) -> HttpResponse:
    """Search and filter by group, kind and language, to choose what to signpost."""
    roles = clinic_roles(request.user)
    cohorts = cohorts_at_staff_clinics(request.user)
    form = ResourceSearchForm(
        request.GET or None,
        cohorts=cohorts,
        languages=_language_choices(),
        public_names=not roles.has(*PROFESSIONALS),
    )
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "resources": list(
                resource_search(**form.filters(), clinic_ids=sorted(roles.clinic_ids()))
            ),
        },
    )


@staff_required(*COORDINATORS)
def due_for_review(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/due_for_review.html",
        {
            "resources": list(resources_due_for_review(clinic_ids=_coordinated(request))),
            "today": service_today(),
        },
    )


@staff_required(*COORDINATORS)
def resource_review(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_for_review(resource_id, clinic_ids=_coordinated(request))
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        due = form.cleaned_data["next_review_due"]
        if due is not None and due <= service_today():
            form.add_error("next_review_due", "The next review must be after today")
        else:
            resource_mark_reviewed(resource=resource, by=request.user, next_review_due=due)
            messages.success(request, f"“{resource.title}” marked as reviewed.")
            return redirect("resources_due_for_review")
    return render(request, "resources/review.html", {"resource": resource, "form": form})
