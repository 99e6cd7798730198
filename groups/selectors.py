"""Reads for the staff who moderate a clinic's groups and decide requests to join them,
always starting from the clinic they work at. The member's own reads are in
groups/members/selectors.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sessions.models import Patient
from waitroom.models import Clinic

from .models import Cohort, CohortMembership, JoinRequest, Post, PostReport


def clinic_cohorts(clinic: Clinic) -> QuerySet[Cohort]:
    return clinic.cohorts.all()


def clinic_women(clinic: Clinic) -> QuerySet[Patient]:
    """The women this clinic's staff may act on. A cohort shared with another clinic holds that
    clinic's women too: they are scoped by their own appointments, not by the cohort."""
    return Patient.objects.of_clinic(clinic.pk).values("pk")


def moderation_queue(clinic: Clinic) -> list[Post]:
    """Posts in the clinic's groups: open reports first (most reported first), then hidden
    posts, then the newest posts; display names only."""
    open_reports = PostReport.objects.filter(resolved_at__isnull=True)
    posts = (
        Post.objects.filter(
            thread__cohort__in=clinic_cohorts(clinic),
            author__patient_record__in=clinic_women(clinic),
            removed_at__isnull=True,
        )
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
        )
        .filter(
            Q(open_reports__gt=0)
            | Q(hidden_at__isnull=False)
            | Q(created_at__gte=timezone.now() - dt.timedelta(days=14))
        )
        .select_related("thread__cohort", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="unresolved"))
        .order_by("-open_reports", "-created_at")[:100]
    )
    return list(posts)


def post_for_moderator(clinic: Clinic, post_id: int) -> Post:
    post = (
        Post.objects.filter(
            pk=post_id,
            thread__cohort__in=clinic_cohorts(clinic),
            author__patient_record__in=clinic_women(clinic),
        )
        .select_related("thread__cohort", "author")
        .first()
    )
    if post is None:
        raise Http404("No such post")
    return post


def author_membership(post: Post) -> CohortMembership | None:
    """The author's membership of the post's group (for suspending her), if she still has one."""
    if post.author_id is None:
        return None
    return CohortMembership.objects.filter(
        cohort_id=post.thread.cohort_id, patient__user_id=post.author_id
    ).first()


def pending_join_requests(clinic: Clinic) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.pending()
        .filter(cohort__in=clinic_cohorts(clinic), patient__in=clinic_women(clinic))
        .select_related("cohort", "patient", "patient__user")
    )


def join_request_for_coordinator(clinic: Clinic, request_id: int) -> JoinRequest:
    join_request = pending_join_requests(clinic).filter(pk=request_id).first()
    if join_request is None:
        raise Http404("No such request")
    return join_request
