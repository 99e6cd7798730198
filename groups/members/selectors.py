"""Reads for the member's own pages: her home, her groups online, what was signposted to her,
and the waiting-room check-in.

Every read starts from her Patient record (or her membership), never a global query; a thing
that is not hers is simply not found, so views answer 404 (guessed ids reveal nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from groups.models import Cohort, CohortMembership, JoinRequest, Post, Thread
from resources.meeting_days import NEAR_DAYS, meeting_sentence, nearest_appointment
from resources.models import GroupMeeting, Resource, Signposting
from resources.selectors import (
    ResourceCard,
    current_resources_for_cohorts,
    meetings_for_cohort,
)
from sessions.facilitation.models import Attendance, AttendanceStatus
from sessions.invitations.links import invitation_token
from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
from waitroom.models import Clinic, User, service_today

# --- Her invitation page ---


@dataclass(frozen=True)
class InvitationPage:
    """What her invitation page shows besides the invitation and its session."""

    facilitator_name: str  # the first facilitator's first name only, or ""
    checked_in: bool


def invitation_page(invitation: Invitation) -> InvitationPage:
    session = invitation.session
    facilitator = session.facilitators.order_by("pk").first()
    return InvitationPage(
        facilitator_name=facilitator.first_name if facilitator else "",
        checked_in=session.attendances.filter(patient_id=invitation.patient_id).exists(),
    )


# --- Her home ---


def upcoming_appointments(patient: Patient) -> list[Appointment]:
    """Her attending appointments from now on, soonest first: the first is her next one, and
    their days are the days groups are shown for (`sessions_on_her_clinic_days`)."""
    return list(patient.appointments.attending().upcoming().select_related("clinic"))


def member_groups(patient: Patient) -> QuerySet[CohortMembership]:
    """Her current cohort memberships (joined online or not), by the group's public name."""
    return (
        patient.cohort_memberships.current()
        .select_related("cohort")
        .order_by("cohort__public_name")
    )


@dataclass(frozen=True)
class SessionOnHerDay:
    """A group session on one of her clinic days, as her home shows it: plain values and the
    clinic (already read with her appointment), whose zone the page shows the times in."""

    start: dt.datetime
    end: dt.datetime
    clinic: Clinic
    group_name: str  # the cohort's public name
    location: str


def sessions_on_her_clinic_days(
    patient: Patient, *, appointments: list[Appointment], cohort_ids: list[int]
) -> list[SessionOnHerDay]:
    """Published sessions of her cohorts (`cohort_ids`: her current memberships'), at the
    clinic, on the days of her `appointments` (`upcoming_appointments`)."""
    if not appointments or not cohort_ids:
        return []
    clinics = {a.clinic_id: a.clinic for a in appointments}
    # Her clinic days, each cut in that clinic's own zone.
    days = {(a.clinic_id, a.clinic.day_of(a.start)) for a in appointments}
    # Plain values (issue 14): the clinics come with her appointments, not once more a row.
    candidates = (
        WaitingRoomSession.objects.published()
        .upcoming()
        .filter(cohort_id__in=cohort_ids, clinic_id__in=list(clinics))
        .exclude(invitations__patient=patient)
        .filter(partner_meeting__isnull=True)
        .values_list("start", "end", "clinic_id", "cohort__public_name", "location")
    )
    return [
        SessionOnHerDay(start, end, clinics[clinic_id], group_name, location)
        for start, end, clinic_id, group_name, location in candidates
        if (clinic_id, clinics[clinic_id].day_of(start)) in days
    ]


@dataclass(frozen=True)
class MeetingNearHerDay:
    title: str
    url: str
    sentence: str  # "After your appointment on Tuesday 15 December, Twins Trust meet at 11:30: …"


def partner_meetings_near_her_days(
    patient: Patient, *, appointments: list[Appointment], cohort_ids: list[int]
) -> list[MeetingNearHerDay]:
    """Partner meetings for her cohorts, of the clinics she has appointments at, on or a day
    either side of one of those appointments (on that clinic's calendar), soonest first. One
    query given her appointments. A waiting-room meeting she is invited to is left out: it is
    among her group sessions already. `appointments` from `upcoming_appointments`, `cohort_ids`
    her current memberships'."""
    if not appointments or not cohort_ids:
        return []
    clinics = {a.clinic_id: a.clinic for a in appointments}
    first = min(a.start for a in appointments) - dt.timedelta(days=NEAR_DAYS + 1)
    last = max(a.start for a in appointments) + dt.timedelta(days=NEAR_DAYS + 1)
    # Plain values (issue 14): no meeting, partner or session instances.
    meetings = (
        GroupMeeting.objects.upcoming()
        .going_ahead()
        .filter(
            clinic_id__in=list(clinics),
            cohorts__in=cohort_ids,
            starts_at__gte=first,
            starts_at__lte=last,
        )
        .exclude(session__invitations__patient=patient)
        .distinct()
        .order_by("starts_at", "pk")
        .values_list(
            "starts_at",
            "pk",
            "title",
            "url",
            "clinic_id",
            "session_id",
            "session__location",
            "place",
            "partner__name",
        )
    )
    out = []
    for starts_at, _, title, url, clinic_id, session_id, location, place, partner in meetings:
        clinic = clinics[clinic_id]
        meeting_at = clinic.local(starts_at)
        near = nearest_appointment(
            meeting_at,
            [clinic.local(a.start) for a in appointments if a.clinic_id == clinic_id],
        )
        if near is None:
            continue
        where = f"in the waiting room, {location}" if session_id is not None else place
        out.append(
            MeetingNearHerDay(
                title=title,
                url=url,
                sentence=meeting_sentence(
                    meeting_at=meeting_at, appointment_at=near, partner=partner, where=where
                ),
            )
        )
    return out


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


@dataclass(frozen=True)
class AttendedSession:
    """A session she came to, as her home shows it: plain values, no model instances."""

    day: dt.date  # the clinic's day of the session, cut in the clinic's zone
    group_name: str  # the cohort's public name


@dataclass
class MemberSessions:
    invited: list[HerInvitation]
    accepted: list[HerInvitation]
    waiting_list: list[HerInvitation]
    attended: list[AttendedSession]


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
    # Plain values (issue 14): two columns and the clinic's zone, not three model instances a row.
    attended = patient.attendances.exclude(status="did_not_attend").order_by("-session__start")[:10]
    return MemberSessions(
        invited=by_state.get(InvitationState.SENT, []),
        accepted=by_state.get(InvitationState.ACCEPTED, []),
        waiting_list=by_state.get(InvitationState.WAITING_LIST, []),
        attended=[
            AttendedSession(day=Clinic(timezone=zone).day_of(start), group_name=name)
            for start, zone, name in attended.values_list(
                "session__start", "session__clinic__timezone", "session__cohort__public_name"
            )
        ],
    )


@dataclass
class SignpostedResource:
    resource: ResourceCard
    source: str  # "From your group on Tuesday 3 December" or "For your groups"


def member_resources(patient: Patient, *, cohort_ids: list[int]) -> list[SignpostedResource]:
    """What was signposted at sessions she attended, then current resources for her cohorts
    (`cohort_ids`: her current memberships'; that list is the same for every woman in them and
    cached, resources/selectors.py); each resource once, newest first."""
    seen: set[int] = set()
    out: list[SignpostedResource] = []
    for entry in signposted_for_patient(patient):
        label = f"From your group on {entry.session_day:%A %-d %B}"
        for resource in entry.resources:
            if resource.pk not in seen:
                seen.add(resource.pk)
                out.append(SignpostedResource(ResourceCard.of(resource), label))
    # Shared resources and those of the clinics that care for her (ADR 41); the list is the same
    # for every woman with these cohorts and clinics, so it is cached (issue 14).
    clinic_ids = sorted(set(patient.appointments.values_list("clinic_id", flat=True)))
    out += [
        SignpostedResource(card, "For your groups")
        for card in current_resources_for_cohorts(cohort_ids, clinic_ids=clinic_ids)
        if card.pk not in seen
    ]
    return out


@dataclass
class SignpostedSession:
    """One session a member attended and the (current) resources signposted there."""

    session_start: dt.datetime
    session_day: dt.date  # the clinic's day of the session, cut in the clinic's zone
    resources: list[Resource]


def signposted_for_patient(patient: Patient) -> list[SignpostedSession]:
    """ "From your group on Tuesday 3 December": what was signposted at sessions she attended.

    Only current resources: one past its review date is hidden until someone reviews it.
    Two queries whatever the number of sessions.
    """
    rows = (
        # One filter() call, so both conditions apply to the same attendance row: hers.
        Signposting.objects.filter(
            session__attendances__patient=patient,
            session__attendances__status__in=[
                AttendanceStatus.ATTENDED,
                AttendanceStatus.LATE,
                AttendanceStatus.LEFT_FOR_APPOINTMENT,
            ],
            # Resource.objects.current() as a plain condition, not an IN subquery (issue 14).
            resource__next_review_due__gte=service_today(),
        )
        .select_related("session__clinic", "resource", "resource__partner")
        .order_by("-session__start", "resource__title")
    )
    by_session: dict[int, SignpostedSession] = {}
    for row in rows:
        session = row.session
        entry = by_session.setdefault(
            row.session_id,
            SignpostedSession(session.start, session.clinic.day_of(session.start), []),
        )
        entry.resources.append(row.resource)
    return list(by_session.values())


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


@dataclass(frozen=True)
class ThreadRow:
    """One conversation in her group's list, as plain values: the page renders thirty of these
    without a model instance, a `{% url %}` or a `pluralize` per row (issue 14)."""

    url: str
    title: str  # "" once removed by its author
    author_id: int | None
    author_name: str  # the author's display name, "A member", or "A former member"
    replies: str  # "1 reply", "3 replies"
    last_posted_at: dt.datetime


@dataclass
class GroupPage:
    upcoming_sessions: list[WaitingRoomSession]
    resources: list[Resource]
    meetings: list
    threads: list[ThreadRow]


def _thread_rows(cohort: Cohort) -> list[ThreadRow]:
    rows = (
        Thread.objects.filter(cohort=cohort)
        .latest_first()
        .annotate(reply_count=Count("posts") - 1)
        .values_list(
            "pk", "title", "author_id", "author__display_name", "reply_count", "last_posted_at"
        )[:30]
    )
    # One reverse() for the list; each row's link differs only by the thread's id.
    head, _, tail = reverse("thread_detail", args=[cohort.pk, 0]).rpartition("/0/")
    return [
        ThreadRow(
            url=f"{head}/{pk}/{tail}",
            title=title,
            author_id=author_id,
            author_name=(name or "A member") if author_id is not None else "A former member",
            replies=f"{replies} repl{'y' if replies == 1 else 'ies'}",
            last_posted_at=last_posted_at,
        )
        for pk, title, author_id, name, replies, last_posted_at in rows
    ]


def group_page(membership: CohortMembership) -> GroupPage:
    cohort = membership.cohort
    clinic_ids = membership.patient.appointments.values("clinic_id")
    sessions = (
        WaitingRoomSession.objects.published()
        .upcoming()
        .filter(cohort=cohort, clinic_id__in=clinic_ids)
        .select_related("clinic")[:5]
    )
    return GroupPage(
        upcoming_sessions=list(sessions),
        resources=list(
            Resource.objects.current()
            .for_clinics(clinic_ids)
            .for_cohort(cohort)
            .select_related("partner")
        ),
        meetings=list(meetings_for_cohort(cohort, clinic_ids=clinic_ids)),
        threads=_thread_rows(cohort),
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
