"""Staff pages for groups: the waiting-room poster, the moderation queue, join requests.

Every one starts from a clinic the user holds a role at (waitroom.access.clinic_view), and
finds posts and requests only within that clinic's cohorts, and only those of the clinic's own
women (a cohort shared with another clinic holds its women too).
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, PROFESSIONALS, STAFF_ROLES, clinic_view
from waitroom.audit import audit_record
from waitroom.models import AuditEvent, Clinic

from . import selectors, services
from .forms import ModerationReasonForm, posted


@clinic_view(STAFF_ROLES)
def checkin_poster(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """A printable A4 poster: the QR code (made here, as inline SVG: no outside host sees who
    prints it) and the short code to type in."""
    url = settings.SITE_URL + reverse("checkin_clinic", args=[clinic.checkin_code])
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=10, border=2, svgclass="waitroom-poster__qr", omitsize=True)
    return render(
        request,
        "groups/checkin_poster.html",
        {
            "clinic": clinic,
            "qr_svg": mark_safe(svg),  # noqa: S308 - segno's own SVG of our own URL
            "checkin_start_url": settings.SITE_URL + reverse("checkin_start"),
        },
    )


@clinic_view(PROFESSIONALS)
def moderation_queue(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(
        request,
        "groups/moderation_queue.html",
        {"clinic": clinic, "posts": selectors.moderation_queue(clinic)},
    )


@clinic_view(PROFESSIONALS)
def moderation_post(request: HttpRequest, clinic: Clinic, post_id: int) -> HttpResponse:
    """Hide or restore one post, or suspend its author from the group, with a reason."""
    post = selectors.post_for_moderator(clinic, post_id)
    membership = selectors.author_membership(post)
    form = ModerationReasonForm(posted(request))
    action = request.POST.get("action", "")
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if action == "hide":
            services.post_hide(post=post, reason=reason, by=request.user)
            messages.success(request, "The post is hidden. Its author can see why.")
        elif action == "restore":
            services.post_restore(post=post, reason=reason, by=request.user)
            messages.success(request, "The post is visible again.")
        elif action == "suspend" and membership is not None:
            services.membership_suspend(membership=membership, reason=reason, by=request.user)
            messages.success(request, "The member can no longer post in this group.")
        elif action == "unsuspend" and membership is not None:
            services.membership_unsuspend(membership=membership, reason=reason, by=request.user)
            messages.success(request, "The member can post in this group again.")
        else:
            form.add_error(None, "Choose what to do with this post")
        if not form.errors:
            return redirect("moderation_queue", clinic_slug=clinic.slug)
    return render(
        request,
        "groups/moderation_post.html",
        {
            "clinic": clinic,
            "post": post,
            "membership": membership,
            "reports": post.reports.all(),
            "form": form,
        },
    )


@clinic_view(COORDINATORS)
def join_requests(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    pending = list(selectors.pending_join_requests(clinic))
    # The coordinator sees who is asking (name, hospital number): a read of patient records.
    for join_request in pending:
        audit_record(
            request,
            AuditEvent.Action.VIEW,
            join_request.patient,
            clinic=clinic,
            patient_id=join_request.patient_id,
        )
    return render(request, "groups/join_requests.html", {"clinic": clinic, "requests": pending})


@require_POST
@clinic_view(COORDINATORS)
def join_request_decide(request: HttpRequest, clinic: Clinic, request_id: int) -> HttpResponse:
    join_request = selectors.join_request_for_coordinator(clinic, request_id)
    approve = request.POST.get("decision") == "approve"
    services.join_request_decide(join_request=join_request, approve=approve, by=request.user)
    messages.success(request, "Request approved." if approve else "Request not approved.")
    return redirect("join_requests", clinic_slug=clinic.slug)
