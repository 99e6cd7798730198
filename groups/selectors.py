"""Reads for a member's own pages, and for the staff who moderate groups.

Member reads start from her Patient record (or her membership), never a global query; a thing
that is not hers is simply not found, so views answer 404 (guessed ids reveal nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource
from resources.selectors import meetings_for_cohort, signposted_for_patient
from sessions.facilitation.models import Attendance
from sessions.invitations.links import invitation_token
from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
from waitroom.models import Clinic, User

from .models import (
    Cohort,
    CohortMembership,
    JoinRequest,
    Post,
    PostReport,
    Thread,
)


def next_appointment(patient: Patient) -> Appointment | None:
    return patient.appointments.attending().upcoming().select_related("clinic").first()


def member_groups(patient: Patient) -> QuerySet[CohortMembership]:
    """Her current cohort memberships (joined online or not), by the group's public name."""
    return (
        patient.cohort_memberships.current()
        .select_related("cohort")
        .order_by("cohort__public_name")
    )


def sessions_on_her_clinic_days(patient: Patient) -> list[WaitingRoomSession]:
    """Published sessions of her cohorts, at the clinic, on the days of her appointments."""
    appointments = list(patient.appointments.attending().upcoming().select_related("clinic"))
    if not appointments:
        return []
    # Her clinic days, each cut in that clinic's own zone.
    days = {(a.clinic_id, a.clinic.day_of(a.start)) for a in appointments}
    cohort_ids = patient.cohort_memberships.current().values("cohort_id")
    candidates = (
        WaitingRoomSession.objects.published()
        .upcoming()
        .filter(cohort_id__in=cohort_ids, clinic_id__in={c for c, _ in days})
        .exclude(invitations__patient=patient)
        .select_related("clinic", "cohort")
    )
    return [s for s in candidates if (s.clinic_id, s.clinic.day_of(s.start)) in days]


@dataclass(frozen=True)
class HerInvitation:
    """One of her invitations on her home page, with the link to her own invitation page (where
    she answers or changes her answer). The link carries the invitation's signed id only, as in
    her message."""

    invitation: Invitation
    page_url: str

    @property
    def session(self) -> WaitingRoomSession:
        return self.invitation.session


@dataclass
class MemberSessions:
    invited: list[HerInvitation]
    accepted: list[HerInvitation]
    waiting_list: list[HerInvitation]
    attended: list[Attendance]


def member_sessions(patient: Patient) -> MemberSessions:
    """Her upcoming invitations by state, and the sessions she came to (newest first)."""
    invitations = (
        patient.invitations.filter(
            state__in=[
                InvitationState.SENT,
                InvitationState.ACCEPTED,
                InvitationState.WAITING_LIST,
            ],
            session__end__gte=timezone.now(),
            session__status=SessionStatus.PUBLISHED,
        )
        .select_related("session__clinic", "session__cohort")
        .order_by("session__start")
    )
    by_state: dict[str, list[HerInvitation]] = {}
    for invitation in invitations:
        page_url = reverse("invitation_page", args=[invitation_token(invitation)])
        by_state.setdefault(invitation.state, []).append(
            HerInvitation(invitation=invitation, page_url=page_url)
        )
    attended = (
        patient.attendances.exclude(status="did_not_attend")
        .select_related("session__clinic", "session__cohort")
        .order_by("-session__start")[:10]
    )
    return MemberSessions(
        invited=by_state.get(InvitationState.SENT, []),
        accepted=by_state.get(InvitationState.ACCEPTED, []),
        waiting_list=by_state.get(InvitationState.WAITING_LIST, []),
        attended=list(attended),
    )


@dataclass
class SignpostedResource:
    resource: Resource
    source: str  # "From your group on Tuesday 3 December" or "For your groups"


def member_resources(patient: Patient) -> list[SignpostedResource]:
    """What was signposted at sessions she attended, then current resources for her cohorts;
    each resource once, newest first."""
    seen: set[int] = set()
    out: list[SignpostedResource] = []
    for entry in signposted_for_patient(patient):
        label = f"From your group on {entry.session_day:%A %-d %B}"
        for resource in entry.resources:
            if resource.pk not in seen:
                seen.add(resource.pk)
                out.append(SignpostedResource(resource, label))
    cohort_ids = patient.cohort_memberships.current().values("cohort_id")
    for resource in (
        Resource.objects.current()
        .filter(cohorts__in=cohort_ids)
        .exclude(pk__in=seen)
        .distinct()
        .select_related("partner")
        .order_by("-last_reviewed", "title")
    ):
        out.append(SignpostedResource(resource, "For your groups"))
    return out


# --- Groups, from the member's side ---


def joined_memberships(patient: Patient) -> QuerySet[CohortMembership]:
    return (
        patient.cohort_memberships.in_group()
        .select_related("cohort")
        .order_by("cohort__public_name")
    )


def joinable_memberships(patient: Patient) -> QuerySet[CohortMembership]:
    return (
        patient.cohort_memberships.current()
        .filter(group_joined_at__isnull=True)
        .select_related("cohort")
        .order_by("cohort__public_name")
    )


def requestable_cohorts(patient: Patient) -> QuerySet[Cohort]:
    """Groups at the clinics she attends that she is not in: she may ask a coordinator."""
    clinic_ids = patient.appointments.values("clinic_id")
    pending = JoinRequest.objects.pending().filter(patient=patient, cohort=OuterRef("pk"))
    return (
        Cohort.objects.filter(clinics__in=clinic_ids)
        .exclude(memberships__patient=patient)
        .distinct()
        .annotate(requested=Exists(pending))
        .order_by("public_name")
    )


def requestable_cohort(patient: Patient, cohort_id: int) -> Cohort:
    cohort = requestable_cohorts(patient).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404("No such group")
    return cohort


def membership_for_member(patient: Patient, cohort_id: int) -> CohortMembership:
    """Her current membership of cohort `cohort_id` (joined online or not), else 404."""
    membership = (
        patient.cohort_memberships.current()
        .select_related("cohort", "patient__user")
        .filter(cohort_id=cohort_id)
        .first()
    )
    if membership is None:
        raise Http404("No such group")
    return membership


def group_membership_for_member(patient: Patient, cohort_id: int) -> CohortMembership:
    """Her membership of a group she has joined online, else 404."""
    membership = membership_for_member(patient, cohort_id)
    if not membership.in_group:
        raise Http404("No such group")
    return membership


def _posts_for_members() -> QuerySet[Post]:
    return Post.objects.select_related("author").order_by("created_at", "pk")


@dataclass
class GroupPage:
    upcoming_sessions: list[WaitingRoomSession]
    resources: list[Resource]
    meetings: list
    threads: list[Thread]


def group_page(membership: CohortMembership) -> GroupPage:
    cohort = membership.cohort
    clinic_ids = membership.patient.appointments.values("clinic_id")
    sessions = (
        WaitingRoomSession.objects.published()
        .upcoming()
        .filter(cohort=cohort, clinic_id__in=clinic_ids)
        .select_related("clinic")[:5]
    )
    threads = (
        Thread.objects.filter(cohort=cohort)
        .latest_first()
        .select_related("author")
        .annotate(reply_count=Count("posts") - 1)[:30]
    )
    return GroupPage(
        upcoming_sessions=list(sessions),
        resources=list(Resource.objects.current().for_cohort(cohort).select_related("partner")),
        meetings=list(meetings_for_cohort(cohort)),
        threads=list(threads),
    )


def thread_for_member(membership: CohortMembership, thread_id: int) -> Thread:
    thread = (
        Thread.objects.filter(cohort=membership.cohort, pk=thread_id)
        .select_related("author")
        .prefetch_related(Prefetch("posts", queryset=_posts_for_members()))
        .first()
    )
    if thread is None:
        raise Http404("No such conversation")
    return thread


def post_for_member(membership: CohortMembership, post_id: int) -> Post:
    """A post in a group she is in (for reporting), else 404."""
    post = (
        Post.objects.filter(pk=post_id, thread__cohort=membership.cohort)
        .select_related("thread", "author")
        .first()
    )
    if post is None:
        raise Http404("No such post")
    return post


def own_post_for_member(membership: CohortMembership, user: User, post_id: int) -> Post:
    """Her own, not removed post in a group she is in (for editing or deleting), else 404."""
    post = post_for_member(membership, post_id)
    if post.author_id != user.pk or post.is_removed:
        raise Http404("No such post")
    return post


def her_hidden_posts(user: User, cohort: Cohort) -> QuerySet[Post]:
    return Post.objects.filter(
        author=user, thread__cohort=cohort, hidden_at__isnull=False
    ).select_related("thread")


# --- Staff: moderation and join requests, always from the clinic she works at ---


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


# --- Check-in ---


def clinic_by_checkin_code(code: str) -> Clinic | None:
    return Clinic.objects.active().filter(checkin_code=code.strip().upper()).first()


def sessions_today_for_member(clinic: Clinic, patient: Patient) -> list[WaitingRoomSession]:
    """Today's published sessions at the clinic, not yet over, that she may join: her cohorts'
    sessions and any she was invited to."""
    now = timezone.now()
    start, end = clinic.day_bounds(clinic.today(now))
    cohort_ids = patient.cohort_memberships.current().values("cohort_id")
    checked_in = Attendance.objects.filter(session=OuterRef("pk"), patient=patient)
    return list(
        WaitingRoomSession.objects.published()
        .filter(clinic=clinic, start__gte=start, start__lt=end)
        .filter(end__gte=now)
        .filter(Q(cohort_id__in=cohort_ids) | Q(invitations__patient=patient))
        .distinct()
        .annotate(checked_in=Exists(checked_in))
        .select_related("cohort")
        .order_by("start")
    )


def session_today_for_member(
    clinic: Clinic, patient: Patient, session_id: int
) -> WaitingRoomSession:
    """One of her sessions at this clinic (any day: the service says if it is not today)."""
    cohort_ids = patient.cohort_memberships.current().values("cohort_id")
    session = (
        WaitingRoomSession.objects.filter(clinic=clinic, pk=session_id)
        .filter(Q(cohort_id__in=cohort_ids) | Q(invitations__patient=patient))
        .distinct()
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session
