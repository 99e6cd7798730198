"""The resource library: staff search it and coordinators review it. What was signposted to a
member is her page, in groups/members/home_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from groups.models import Cohort
from sessions.languages import language_name
from waitroom.access import (
    STAFF_ROLES,
    clinic_roles,
    staff_clinics,
    staff_required,
)
from waitroom.models import Role, service_today

from .forms import ResourceSearchForm, ReviewForm
from .models import Resource
from .selectors import resource_search, resources_due_for_review
from .services import resource_mark_reviewed


def _language_choices() -> list[tuple[str, str]]:
    codes = set()
    for languages in Resource.objects.values_list("languages", flat=True).distinct():
        codes.update(code.strip() for code in languages.split(",") if code.strip())
    return sorted(((code, language_name(code)) for code in codes), key=lambda c: c[1])


@staff_required(*STAFF_ROLES)
def library(request: HttpRequest) -> HttpResponse:
    """Search and filter by group, kind and language, to choose what to signpost."""
    roles = clinic_roles(request.user)
    cohorts = Cohort.objects.filter(clinics__in=staff_clinics(request.user)).distinct()
    form = ResourceSearchForm(
        request.GET or None,
        cohorts=cohorts,
        languages=_language_choices(),
        public_names=not roles.has(Role.COORDINATOR, Role.FACILITATOR),
    )
    return render(
        request,
        "resources/library.html",
        {"form": form, "resources": list(resource_search(**form.filters()))},
    )


@staff_required(Role.COORDINATOR)
def due_for_review(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/due_for_review.html",
        {"resources": list(resources_due_for_review()), "today": service_today()},
    )


@staff_required(Role.COORDINATOR)
def resource_review(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = Resource.objects.select_related("partner").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource")
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
