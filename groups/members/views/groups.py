"""Her cohort groups online: joining, asking to join, leaving, the discussion and reporting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from groups import services
from groups.forms import posted
from groups.models import CohortMembership
from waitroom.access import member_required
from waitroom.models import Clinic

from .. import selectors
from ..forms import JoinGroupForm, PostBodyForm, ReportForm, ThreadStartForm


def _her_clinic(membership: CohortMembership) -> Clinic | None:
    """The clinic whose triage number the help panel shows: where her care is."""
    appointment = (
        membership.patient.appointments.select_related("clinic").order_by("-start").first()
    )
    if appointment is not None:
        return appointment.clinic
    return membership.cohort.clinics.first()


@member_required
def group_list(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient
    return render(
        request,
        "groups/group_list.html",
        {
            "joined": selectors.joined_memberships(patient),
            "joinable": selectors.joinable_memberships(patient),
            "requestable": selectors.requestable_cohorts(patient),
        },
    )


@member_required
def group_join(request: HttpRequest, cohort_id: int) -> HttpResponse:
    membership = selectors.membership_for_member(request.user.patient, cohort_id)
    if membership.in_group:
        return redirect("group_detail", cohort_id=cohort_id)
    needs_name = not request.user.display_name
    form = JoinGroupForm(posted(request), needs_display_name=needs_name)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_join(
                membership=membership, display_name=form.cleaned_data.get("display_name", "")
            )
        except services.GroupActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("group_list")
        messages.success(request, f"You have joined {membership.cohort.public_name}.")
        return redirect("group_detail", cohort_id=cohort_id)
    return render(
        request,
        "groups/group_join.html",
        {"cohort": membership.cohort, "form": form, "request_only": False},
    )


@member_required
def group_request(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Ask a coordinator to let her join a group she is not in."""
    patient = request.user.patient
    cohort = selectors.requestable_cohort(patient, cohort_id)
    needs_name = not request.user.display_name
    form = JoinGroupForm(posted(request), needs_display_name=needs_name)
    if request.method == "POST" and form.is_valid():
        if needs_name:
            request.user.display_name = form.cleaned_data["display_name"]
            request.user.save(update_fields=["display_name"])
        services.join_request_create(patient=patient, cohort=cohort)
        messages.success(
            request,
            f"We have asked a coordinator to add you to {cohort.public_name}. "
            "The group will appear here when they have.",
        )
        return redirect("group_list")
    return render(
        request, "groups/group_join.html", {"cohort": cohort, "form": form, "request_only": True}
    )


@member_required
def group_leave(request: HttpRequest, cohort_id: int) -> HttpResponse:
    membership = selectors.group_membership_for_member(request.user.patient, cohort_id)
    if request.method == "POST":
        services.group_leave(membership=membership)
        messages.success(
            request,
            f"You have left {membership.cohort.public_name}. You can join again at any time.",
        )
        return redirect("group_list")
    return render(request, "groups/group_leave.html", {"cohort": membership.cohort})


@member_required
def group_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    patient = request.user.patient
    membership = selectors.membership_for_member(patient, cohort_id)
    if not membership.in_group:
        return redirect("group_join", cohort_id=cohort_id)
    form = ThreadStartForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                membership=membership, author=request.user, **form.cleaned_data
            )
        except services.GroupActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("thread_detail", cohort_id=cohort_id, thread_id=thread.pk)
    return render(
        request,
        "groups/group_detail.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": selectors.group_page(membership),
            "hidden_posts": selectors.her_hidden_posts(request.user, membership.cohort),
            "help_clinic": _her_clinic(membership),
            "form": form,
        },
    )


@member_required
def thread_detail(request: HttpRequest, cohort_id: int, thread_id: int) -> HttpResponse:
    membership = selectors.group_membership_for_member(request.user.patient, cohort_id)
    thread = selectors.thread_for_member(membership, thread_id)
    form = PostBodyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(
                membership=membership, thread=thread, author=request.user, **form.cleaned_data
            )
        except services.GroupActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(f"{request.path}#post-{post.pk}")
    return render(
        request,
        "groups/thread_detail.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "thread": thread,
            "form": form,
            "help_clinic": _her_clinic(membership),
        },
    )


@member_required
def post_edit(request: HttpRequest, cohort_id: int, post_id: int) -> HttpResponse:
    membership = selectors.group_membership_for_member(request.user.patient, cohort_id)
    post = selectors.own_post_for_member(membership, request.user, post_id)
    form = PostBodyForm(posted(request), initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(membership=membership, post=post, body=form.cleaned_data["body"])
        except services.GroupActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your message has been changed.")
            return redirect("thread_detail", cohort_id=cohort_id, thread_id=post.thread_id)
    return render(
        request,
        "groups/post_edit.html",
        {"membership": membership, "cohort": membership.cohort, "post": post, "form": form},
    )


@member_required
def post_delete(request: HttpRequest, cohort_id: int, post_id: int) -> HttpResponse:
    membership = selectors.group_membership_for_member(request.user.patient, cohort_id)
    post = selectors.own_post_for_member(membership, request.user, post_id)
    if request.method == "POST":
        services.post_remove(post=post)
        messages.success(request, "Your message has been deleted.")
        return redirect("thread_detail", cohort_id=cohort_id, thread_id=post.thread_id)
    return render(request, "groups/post_delete.html", {"cohort": membership.cohort, "post": post})


@member_required
def post_report(request: HttpRequest, cohort_id: int, post_id: int) -> HttpResponse:
    membership = selectors.group_membership_for_member(request.user.patient, cohort_id)
    post = selectors.post_for_member(membership, post_id)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.post_report(post=post, reporter=request.user, **form.cleaned_data)
        messages.success(
            request, "Thank you. A moderator will look at this message as soon as they can."
        )
        return redirect("thread_detail", cohort_id=cohort_id, thread_id=post.thread_id)
    return render(
        request,
        "groups/post_report.html",
        {"cohort": membership.cohort, "post": post, "form": form},
    )
