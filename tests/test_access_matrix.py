"""The access matrix: every URL the project defines × every persona, with the status each gets.

The list of URLs is read from the URL configuration itself (`test_every_url_has_an_entry`), so a
new URL without a row in TABLE fails. Each row says how to build the URL's arguments from the
world (tests/access_world.py) and what each persona gets on GET; rows for views that change
things also say who must be refused on POST, and what must then be unchanged.

Peer supporters: every page a peer supporter can open is searched for the women's NHS numbers,
hospital numbers, dates of birth, mobiles, emails and family names, the cohorts' staff names and
criteria, other women's concern text and concern outcomes.

One world serves the whole module: it is built once inside a transaction that is rolled back at
the end, and each test runs in its own savepoint (pytest-django's `db`), so a request that
changes something cannot leak into the next test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from groups.models import JoinRequest, Post
from resources.models import GroupMeeting, Partner, Resource
from sessions.alignment.models import AppointmentKind, BookingSlots, CohortDay, WorklistItem
from sessions.facilitation.models import (
    Attendance,
    Concern,
    ConcernLead,
    Debrief,
    DiscussionNote,
    DiscussionTopic,
    PeerSupporterRecord,
)
from sessions.feedback.models import FeedbackSettings, Suggestion, YouSaidWeDid
from sessions.measures.models import MeasureRebase
from sessions.models import WaitingAreaPlace, WaitingRoomSession
from waitroom.models import AuditEvent, StaffRole

from .access_world import (
    PERSONAS,
    World,
    build_world,
    feedback_link_token,
    invitation_link_token,
    unsubscribe_link_token,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a 302 to the sign-in page
REDIRECT = "redirect"  # a 302 somewhere other than the sign-in page


def expect(c, oc, f, p, m, a) -> dict[str, Any]:
    """Expected results in PERSONAS order: coordinator, other clinic's coordinator,
    facilitator, peer supporter, member, anonymous."""
    return dict(zip(PERSONAS, (c, oc, f, p, m, a), strict=True))


def everyone(result) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, result)


GET_NOT_ALLOWED = everyone(405)
# The usual shapes: the clinic's coordinators only; coordinators and facilitators (VIEWERS);
# any staff of the clinic; the member's own pages.
COORDINATORS = expect(200, 404, 403, 403, 403, LOGIN)
VIEWERS = expect(200, 404, 200, 403, 403, LOGIN)
ANY_STAFF = expect(200, 404, 200, 200, 403, LOGIN)
MEMBER_ONLY = expect(403, 403, 403, 403, 200, LOGIN)
PUBLIC = everyone(200)


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[World], dict] = lambda w: {}
    get: dict[str, Any] = field(default_factory=dict)
    query: Callable[[World], str] = lambda w: ""
    # POSTs that must be refused: persona → expected result; `unchanged` reads the state that a
    # successful POST would change.
    post: dict[str, Any] = field(default_factory=dict)
    post_data: Callable[[World], dict] = lambda w: {}
    unchanged: Callable[[World], Any] | None = None
    # Who may act: her POST does change `unchanged` (so the refusals above are not vacuous).
    allowed: str | None = None


def _clinic(w: World) -> dict:
    return {"clinic_slug": w.clinic.slug}


def _session(w: World) -> dict:
    return {"clinic_slug": w.clinic.slug, "session_id": w.session.pk}


def _invitation(w: World) -> dict:
    return {"token": invitation_link_token(w)}


def _feedback(w: World) -> dict:
    return {"token": feedback_link_token(w)}


def _group(w: World) -> dict:
    return {"cohort_id": w.cohort.pk}


def _measure(w: World) -> dict:
    return {"clinic_slug": w.clinic.slug, "measure_slug": "time-in-waiting-room"}


# Refused POSTs for the clinic's coordinator-only actions.
COORDINATOR_ACTION_REFUSED = {
    "other_coordinator": 404,
    "facilitator": 403,
    "peer_supporter": 403,
    "member": 403,
    "anonymous": LOGIN,
}


def _facilitator_role(w: World) -> dict:
    role = StaffRole.objects.get(user=w.users["facilitator"], clinic=w.clinic)
    return {"clinic_slug": w.clinic.slug, "role_id": role.pk}


def _facilitator_role_state(w: World) -> list:
    return list(
        StaffRole.objects.filter(user=w.users["facilitator"], clinic=w.clinic).values_list(
            "pk", "role", "deactivated_at"
        )
    )


def _partner(w: World) -> dict:
    return {"clinic_slug": w.clinic.slug, "partner_id": w.partner.pk}


def _resource_post(*, title: str) -> dict:
    return {
        "title": title,
        "summary": "Somewhere to feed your baby with others.",
        "kind": "local_group",
        "url": "https://example.org/cafe",
        "languages": "en",
        "last_reviewed_day": "1",
        "last_reviewed_month": "1",
        "last_reviewed_year": "2026",
        "next_review_due_day": "1",
        "next_review_due_month": "1",
        "next_review_due_year": "2099",
    }


def _meeting_post(w: World) -> dict:
    day = w.clinic.today() + dt.timedelta(days=3)
    return {
        "partner": str(w.partner.pk),
        "title": "Coffee morning",
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "time": "11:30",
        "place": "The café",
        "cohorts": [str(w.cohort.pk)],
    }


def _session_status(session_attr: str) -> Callable[[World], Any]:
    return lambda w: WaitingRoomSession.objects.get(pk=getattr(w, session_attr).pk).status


def _concern_state(w: World) -> tuple:
    return tuple(
        Concern.objects.filter(pk=w.concern.pk).values_list(
            "status", "acknowledged_by", "closed_by", "outcome"
        )[0]
    )


TABLE: dict[str, Entry] = {
    # --- waitroom ---------------------------------------------------------------------------------
    "home": Entry(get=expect(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN)),
    "healthz": Entry(get=PUBLIC),
    "clinic_team": Entry(
        _clinic,
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {
            "email": "new.person@example.nhs.uk",
            "first_name": "New",
            "last_name": "Person",
            "role": "facilitator",
        },
        unchanged=lambda w: StaffRole.objects.count(),
    ),
    "staff_role_detail": Entry(
        lambda w: _facilitator_role(w),
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"role": "peer_supporter"},
        unchanged=lambda w: _facilitator_role_state(w),
    ),
    "staff_role_deactivate": Entry(
        lambda w: _facilitator_role(w),
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: _facilitator_role_state(w),
    ),
    "staff_role_remove": Entry(
        lambda w: _facilitator_role(w),
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: _facilitator_role_state(w),
    ),
    "staff_role_reactivate": Entry(
        lambda w: _facilitator_role(w),
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: _facilitator_role_state(w),
    ),
    "clinic_settings": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"min_group_size": "7"},
        unchanged=lambda w: type(w.clinic).objects.get(pk=w.clinic.pk).min_group_size,
    ),
    # Another clinic's coordinator may open the audit page: it shows her own clinics' events.
    "audit_log": Entry(get=expect(200, 200, 403, 403, 403, LOGIN)),
    # --- sessions: homes --------------------------------------------------------------------------
    "coordinator_home": Entry(get=expect(200, 200, 403, 403, 403, LOGIN)),
    "sessions_home": Entry(get=expect(403, 403, 200, 200, 403, LOGIN)),
    # --- sessions: calendars ----------------------------------------------------------------------
    "session_calendar": Entry(_session, get=ANY_STAFF),
    "sessions_calendar": Entry(
        get=expect(403, 403, 200, 200, 403, LOGIN),
        post={"coordinator": 403, "other_coordinator": 403, "member": 403, "anonymous": LOGIN},
        post_data=lambda w: {"action": "create"},
        unchanged=lambda w: sorted(
            type(w.users["coordinator"])
            .objects.exclude(calendar_token="")
            .values_list("calendar_token", flat=True)
        ),
    ),
    # The secret in the URL is the key: anyone holding it gets the feed.
    "calendar_feed": Entry(lambda w: {"token": w.calendar_token}, get=PUBLIC),
    # --- sessions: alignment ----------------------------------------------------------------------
    "booking_alignment": Entry(
        _clinic, get=COORDINATORS, query=lambda w: f"?cohort={w.cohort.slug}&weeks=4"
    ),
    "alignment_cohort_day": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "cohort_slug": w.shared_cohort.slug},
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"weekday": "1", "part": "morning"},
        unchanged=lambda w: list(CohortDay.objects.values_list("clinic", "weekday", "part")),
    ),
    "alignment_worklist_add": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "cohort_slug": w.shared_cohort.slug},
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"appointment": [w.worklist_item.appointment_id], "weeks": "4"},
        unchanged=lambda w: WorklistItem.objects.count(),
    ),
    "alignment_types": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"slot_minutes": "30", "per_slot": "5"},
        unchanged=lambda w: list(BookingSlots.objects.values_list("clinic", "per_slot")),
    ),
    "alignment_types_defaults": Entry(
        _clinic,
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: AppointmentKind.objects.count(),
    ),
    "alignment_type_new": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Growth scan", "days_earlier": "3", "days_later": "3"},
        unchanged=lambda w: AppointmentKind.objects.count(),
    ),
    "alignment_type_edit": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "kind_id": w.appointment_kind.pk},
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Midwife check", "days_earlier": "1", "days_later": "1"},
        unchanged=lambda w: AppointmentKind.objects.get(pk=w.appointment_kind.pk).name,
    ),
    "alignment_worklist": Entry(_clinic, get=COORDINATORS),
    "alignment_worklist_send": Entry(
        _clinic,
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: WorklistItem.objects.get(pk=w.worklist_item.pk).status,
    ),
    "alignment_worklist_item": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "item_id": w.worklist_item.pk},
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"outcome": "declined"},
        unchanged=lambda w: WorklistItem.objects.get(pk=w.worklist_item.pk).status,
    ),
    "alignment_worklist_export": Entry(_clinic, get=COORDINATORS),
    "alignment_worklist_print": Entry(_clinic, get=COORDINATORS),
    # --- sessions: scheduling ---------------------------------------------------------------------
    "clinic_day_pick": Entry(_clinic, get=expect(REDIRECT, 404, REDIRECT, 403, 403, LOGIN)),
    "clinic_day": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "day": w.session.start.date().isoformat()},
        get=VIEWERS,
    ),
    "clinic_sessions": Entry(_clinic, get=VIEWERS),
    "session_create": Entry(
        _clinic,
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"location": "Bay 1", "capacity": "6"},
        unchanged=lambda w: WaitingRoomSession.objects.count(),
    ),
    "session_detail": Entry(_session, get=VIEWERS),
    "waiting_area_places": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Bay 9, by the lifts"},
        unchanged=lambda w: WaitingAreaPlace.objects.count(),
    ),
    "waiting_area_place_retire": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "place_id": w.session.place_id},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: WaitingAreaPlace.objects.get(pk=w.session.place_id).retired_at,
    ),
    "session_edit": Entry(
        _session,
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"location": "Somewhere else"},
        unchanged=lambda w: WaitingRoomSession.objects.get(pk=w.session.pk).location,
    ),
    "session_publish": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "session_id": w.draft_session.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=_session_status("draft_session"),
    ),
    "session_cancel": Entry(
        _session,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=_session_status("session"),
    ),
    # --- sessions: invitations and messages -------------------------------------------------------
    "session_invitations": Entry(_session, get=VIEWERS),
    "clinic_messages": Entry(_clinic, get=COORDINATORS),
    "clinic_outbox": Entry(_clinic, get=COORDINATORS),
    # A signed token is the key (RFC 8058 one-click unsubscribe): GET only shows a button.
    "message_unsubscribe": Entry(lambda w: {"token": unsubscribe_link_token(w)}, get=PUBLIC),
    # GOV.UK Notify's callbacks: POST only, authenticated by a bearer token, not by a session.
    "notify_delivery": Entry(
        get=GET_NOT_ALLOWED, post=everyone(401), post_data=lambda w: {"id": "x", "status": "y"}
    ),
    "notify_inbound": Entry(
        get=GET_NOT_ALLOWED,
        post=everyone(401),
        post_data=lambda w: {"source_number": w.woman_a.mobile, "message": "STOP"},
        unchanged=lambda w: type(w.woman_a).objects.get(pk=w.woman_a.pk).opted_out_at,
    ),
    # --- sessions: facilitation -------------------------------------------------------------------
    "run_sheet": Entry(_session, get=ANY_STAFF),
    "run_sheet_women": Entry(_session, get=ANY_STAFF),
    "attendance_mark": Entry(
        lambda w: {**_session(w), "patient_id": w.woman_b.pk},
        allowed="peer_supporter",
        get=GET_NOT_ALLOWED,
        post={"other_coordinator": 404, "member": 403, "anonymous": LOGIN},
        post_data=lambda w: {"status": "attended"},
        unchanged=lambda w: Attendance.objects.filter(patient=w.woman_b).exists(),
    ),
    "note_create": Entry(
        _session,
        get=ANY_STAFF,
        post={"other_coordinator": 404, "member": 403, "anonymous": LOGIN},
        post_data=lambda w: {"summary": "Should not be saved", "topics": [w.topic.pk]},
        unchanged=lambda w: DiscussionNote.objects.count(),
    ),
    "concern_create": Entry(
        _session,
        get=ANY_STAFF,
        post={"other_coordinator": 404, "member": 403, "anonymous": LOGIN},
        post_data=lambda w: {
            "woman": "session",
            "category": "other",
            "urgency": "routine",
            "description": "Should not be saved",
        },
        unchanged=lambda w: Concern.objects.count(),
    ),
    "debrief_create": Entry(_session, get=expect(403, 403, 403, 200, 403, LOGIN)),
    # A POST adds an addendum: for the note's author and professionals only.
    "note_detail": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "note_id": w.note.pk},
        get=ANY_STAFF,
        post={"other_coordinator": 404, "peer_supporter": 403, "member": 403, "anonymous": LOGIN},
        post_data=lambda w: {"text": "An addendum she may not add"},
        unchanged=lambda w: w.note.addenda.count(),
    ),
    # The note's author may edit it for 24 hours; anyone else is sent back to the note.
    "note_edit": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "note_id": w.note.pk},
        get=expect(REDIRECT, 404, 200, REDIRECT, 403, LOGIN),
        post={
            "coordinator": REDIRECT,
            "other_coordinator": 404,
            "peer_supporter": REDIRECT,
            "member": 403,
            "anonymous": LOGIN,
        },
        post_data=lambda w: {"summary": "Rewritten by someone else", "topics": [w.topic.pk]},
        unchanged=lambda w: DiscussionNote.objects.get(pk=w.note.pk).summary,
    ),
    "concern_queue": Entry(_clinic, get=COORDINATORS),
    # Raised by the facilitator, routed to the coordinator: the peer supporter cannot see it.
    "concern_detail": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "concern_id": w.concern.pk},
        get=expect(200, 404, 200, 404, 403, LOGIN),
    ),
    "concern_acknowledge": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "concern_id": w.concern.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        # The facilitator raised it but does not lead it: she may not acknowledge it.
        post={**COORDINATOR_ACTION_REFUSED},
        unchanged=_concern_state,
    ),
    "concern_close": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "concern_id": w.concern.pk},
        allowed="coordinator",
        get=COORDINATORS,
        post={**COORDINATOR_ACTION_REFUSED},
        post_data=lambda w: {"outcome": "Closed by someone who may not"},
        unchanged=_concern_state,
    ),
    "concern_leads": Entry(
        _clinic,
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"other": w.users["facilitator"].pk},
        unchanged=lambda w: ConcernLead.objects.count(),
    ),
    "discussion_topics": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Should not be added"},
        unchanged=lambda w: DiscussionTopic.objects.count(),
    ),
    "topic_retire": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "topic_id": w.topic.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: DiscussionTopic.objects.get(pk=w.topic.pk).is_active,
    ),
    # The peer supporter's debrief, named to the facilitator: only he may confirm it.
    "debrief_detail": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "debrief_id": w.debrief.pk},
        allowed="facilitator",
        get=ANY_STAFF,
        post={
            "coordinator": 403,
            "other_coordinator": 404,
            "peer_supporter": 403,
            "member": 403,
            "anonymous": LOGIN,
        },
        unchanged=lambda w: Debrief.objects.get(pk=w.debrief.pk).confirmed_at,
    ),
    "peer_supporters": Entry(_clinic, get=COORDINATORS),
    "peer_supporter_edit": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "user_id": w.users["peer_supporter"].pk},
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"dbs_expires_on-day": "1", "dbs_expires_on-month": "1"},
        unchanged=lambda w: PeerSupporterRecord.objects.filter(
            user=w.users["peer_supporter"]
        ).values_list("training_completed_on", "dbs_checked_on", "dbs_expires_on")[0],
    ),
    "my_concerns": Entry(get=expect(200, 200, 200, 200, 403, LOGIN)),
    "debriefs_to_confirm": Entry(get=expect(200, 200, 200, 403, 403, LOGIN)),
    # --- sessions: appointment imports ------------------------------------------------------------
    "appointment_import": Entry(_clinic, get=COORDINATORS),
    "appointment_import_job": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "job_id": w.import_job.pk}, get=COORDINATORS
    ),
    "appointment_import_status": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "job_id": w.import_job.pk}, get=COORDINATORS
    ),
    # --- resources --------------------------------------------------------------------------------
    "resource_library": Entry(get=expect(200, 200, 200, 200, 403, LOGIN)),
    # The library is shared by every clinic, so any clinic's coordinator reviews it.
    "resources_due_for_review": Entry(get=expect(200, 200, 403, 403, 403, LOGIN)),
    "resource_review": Entry(
        lambda w: {"resource_id": w.resource.pk}, get=expect(200, 200, 403, 403, 403, LOGIN)
    ),
    "my_resources": Entry(get=MEMBER_ONLY),
    # A clinic's partners, its own resources and partner meetings: its coordinators only
    # (issue 12; ADR 0041). Facilitators, peer supporters (partner volunteers among them) and
    # Hillside's coordinator may not.
    "partner_list": Entry(_clinic, get=COORDINATORS),
    "partner_create": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Sands"},
        unchanged=lambda w: Partner.objects.count(),
    ),
    "partner_edit": Entry(
        _partner,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"name": "Renamed partner"},
        unchanged=lambda w: Partner.objects.get(pk=w.partner.pk).name,
    ),
    "clinic_resource_list": Entry(_clinic, get=COORDINATORS),
    "clinic_resource_create": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: _resource_post(title="Local feeding café"),
        unchanged=lambda w: Resource.objects.count(),
    ),
    "clinic_resource_edit": Entry(
        lambda w: {**_clinic(w), "resource_id": w.clinic_resource.pk},
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: _resource_post(title="Renamed resource"),
        unchanged=lambda w: Resource.objects.get(pk=w.clinic_resource.pk).title,
    ),
    "partner_meeting_list": Entry(_clinic, get=COORDINATORS),
    "partner_meeting_create_outside": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: _meeting_post(w),
        unchanged=lambda w: GroupMeeting.objects.count(),
    ),
    # Riverside's partner has no volunteer, so even its coordinator's POST saves nothing here:
    # tests/resources/test_partner_meetings.py covers the meeting made.
    "partner_meeting_create_in_waiting_room": Entry(
        _clinic,
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: _meeting_post(w),
        unchanged=lambda w: GroupMeeting.objects.count(),
    ),
    "partner_meeting_remove": Entry(
        lambda w: {**_clinic(w), "meeting_id": w.meeting.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: GroupMeeting.objects.filter(pk=w.meeting.pk).exists(),
    ),
    # --- groups: the member's pages ---------------------------------------------------------------
    "member_home": Entry(get=MEMBER_ONLY),
    "member_preferences": Entry(get=MEMBER_ONLY),
    "member_information": Entry(get=MEMBER_ONLY),
    "member_delete_account": Entry(get=MEMBER_ONLY),
    "member_account_deleted": Entry(get=PUBLIC),
    "group_list": Entry(get=MEMBER_ONLY),
    "group_detail": Entry(_group, get=MEMBER_ONLY),
    # She is already in the group: joining sends her to it.
    "group_join": Entry(_group, get=expect(403, 403, 403, 403, REDIRECT, LOGIN)),
    "group_request": Entry(lambda w: {"cohort_id": w.other_cohort.pk}, get=MEMBER_ONLY),
    "group_leave": Entry(_group, get=MEMBER_ONLY),
    "thread_detail": Entry(
        lambda w: {"cohort_id": w.cohort.pk, "thread_id": w.thread.pk}, get=MEMBER_ONLY
    ),
    "post_edit": Entry(
        lambda w: {"cohort_id": w.cohort.pk, "post_id": w.own_post.pk}, get=MEMBER_ONLY
    ),
    "post_delete": Entry(
        lambda w: {"cohort_id": w.cohort.pk, "post_id": w.own_post.pk}, get=MEMBER_ONLY
    ),
    "post_report": Entry(
        lambda w: {"cohort_id": w.cohort.pk, "post_id": w.others_post.pk}, get=MEMBER_ONLY
    ),
    # --- sessions: measures (the coordinator watches the measures; nobody else) -------------------
    "measures": Entry(_clinic, get=COORDINATORS),
    "measure_chart": Entry(_measure, get=COORDINATORS),
    "measure_csv": Entry(_measure, get=COORDINATORS),
    "measure_rebases": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {
            "measure": "",
            "starts_on_day": "2",
            "starts_on_month": "3",
            "starts_on_year": "2026",
            "reason": "Sessions started",
        },
        unchanged=lambda w: MeasureRebase.objects.filter(clinic=w.clinic).count(),
    ),
    "measure_rebase_remove": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "rebase_id": w.rebase.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: MeasureRebase.objects.filter(clinic=w.clinic).count(),
    ),
    # --- groups: the signed invitation link (the token is the key) --------------------------------
    "invitation_page": Entry(_invitation, get=PUBLIC),
    "invitation_answer": Entry(_invitation, get=GET_NOT_ALLOWED),
    "invitation_calendar": Entry(_invitation, get=PUBLIC),
    "invitation_account": Entry(_invitation, get=PUBLIC),
    # The world's invitation is for a woman with an account: everyone is told so.
    "invitation_account_code": Entry(_invitation, get=PUBLIC),
    "invitation_check_in": Entry(_invitation, get=GET_NOT_ALLOWED),
    # --- groups: the waiting-room poster ----------------------------------------------------------
    "checkin_start": Entry(get=PUBLIC),
    "checkin_clinic": Entry(lambda w: {"code": w.clinic.checkin_code}, get=PUBLIC),
    "checkin_session": Entry(
        lambda w: {"code": w.clinic.checkin_code, "session_id": w.session.pk},
        get=GET_NOT_ALLOWED,
        post={
            "coordinator": 403,
            "other_coordinator": 403,
            "facilitator": 403,
            "peer_supporter": 403,
            "anonymous": LOGIN,
        },
        unchanged=lambda w: Attendance.objects.count(),
    ),
    # --- groups: staff ----------------------------------------------------------------------------
    "checkin_poster": Entry(_clinic, get=ANY_STAFF),
    "moderation_queue": Entry(_clinic, get=VIEWERS),
    "moderation_post": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "post_id": w.others_post.pk},
        allowed="facilitator",
        get=VIEWERS,
        post={
            "other_coordinator": 404,
            "peer_supporter": 403,
            "member": 403,
            "anonymous": LOGIN,
        },
        post_data=lambda w: {"action": "hide", "reason": "Not kind"},
        unchanged=lambda w: Post.objects.get(pk=w.others_post.pk).hidden_at,
    ),
    "join_requests": Entry(_clinic, get=COORDINATORS),
    "join_request_decide": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "request_id": w.join_request.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"decision": "approve"},
        unchanged=lambda w: JoinRequest.objects.get(pk=w.join_request.pk).status,
    ),
    # --- feedback: her questionnaire from its signed link; the co-production queue -----------
    "feedback_start": Entry(_feedback, get=PUBLIC),
    "feedback_question": Entry(lambda w: {**_feedback(w), "step": 1}, get=PUBLIC),
    "feedback_ideas": Entry(_feedback, get=PUBLIC),
    # Not finished yet: the thank-you page sends her back to the start.
    "feedback_thanks": Entry(_feedback, get=everyone(REDIRECT)),
    "member_you_said_we_did": Entry(get=MEMBER_ONLY),
    # Individual answers and suggestions: the clinic's coordinators only, never facilitators,
    # peer supporters or another trust.
    "feedback_queue": Entry(_clinic, get=COORDINATORS),
    "feedback_suggestion": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "suggestion_id": w.suggestion.pk},
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"tags": "quiet", "status": "reviewed"},
        unchanged=lambda w: Suggestion.objects.get(pk=w.suggestion.pk).status,
    ),
    "feedback_entries": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {"you_said": "More seats", "we_did": "We added seats"},
        unchanged=lambda w: YouSaidWeDid.objects.count(),
    ),
    "feedback_entry_publish": Entry(
        lambda w: {"clinic_slug": w.clinic.slug, "entry_id": w.entry.pk},
        allowed="coordinator",
        get=GET_NOT_ALLOWED,
        post=COORDINATOR_ACTION_REFUSED,
        unchanged=lambda w: YouSaidWeDid.objects.get(pk=w.entry.pk).published_at,
    ),
    "feedback_export": Entry(_clinic, get=COORDINATORS),
    "feedback_settings": Entry(
        _clinic,
        allowed="coordinator",
        get=COORDINATORS,
        post=COORDINATOR_ACTION_REFUSED,
        post_data=lambda w: {
            "after_appointment_minutes": "30",
            "later_at_weeks": "34",
            "pair_instruments": ["ons4"],
        },
        unchanged=lambda w: list(
            FeedbackSettings.objects.filter(clinic=w.clinic).values_list("later_at_weeks")
        ),
    ),
}

# Further cases where the object, not the URL, decides: (label, URL name, kwargs, persona,
# expected).
EXTRA_CASES: list[tuple[str, str, Callable[[World], dict], str, Any]] = [
    (
        "run sheet of a session she does not run",
        "run_sheet",
        lambda w: {"clinic_slug": w.clinic.slug, "session_id": w.session_not_hers.pk},
        "peer_supporter",
        404,
    ),
    (
        "notes form for a session she does not run",
        "note_create",
        lambda w: {"clinic_slug": w.clinic.slug, "session_id": w.session_not_hers.pk},
        "peer_supporter",
        404,
    ),
    (
        "debrief for a session she does not run",
        "debrief_create",
        lambda w: {"clinic_slug": w.clinic.slug, "session_id": w.session_not_hers.pk},
        "peer_supporter",
        404,
    ),
    # Like the run sheet: a peer supporter gets only the calendar files of sessions she runs.
    (
        "calendar of a session she does not run",
        "session_calendar",
        lambda w: {"clinic_slug": w.clinic.slug, "session_id": w.session_not_hers.pk},
        "peer_supporter",
        404,
    ),
    (
        "a concern she raised (status only, not the outcome)",
        "concern_detail",
        lambda w: {"clinic_slug": w.clinic.slug, "concern_id": w.peer_concern.pk},
        "peer_supporter",
        200,
    ),
    (
        "her own session's calendar at another clinic's address",
        "session_calendar",
        lambda w: {"clinic_slug": w.other_clinic.slug, "session_id": w.session.pk},
        "other_coordinator",
        404,
    ),
    (
        "another woman's post, to edit",
        "post_edit",
        lambda w: {"cohort_id": w.cohort.pk, "post_id": w.others_post.pk},
        "member",
        404,
    ),
    (
        "a group she is not in",
        "group_detail",
        lambda w: {"cohort_id": w.other_cohort.pk},
        "member",
        404,
    ),
    (
        "a tampered invitation link",
        "invitation_page",
        lambda w: {"token": invitation_link_token(w)[:-2] + "xx"},
        "anonymous",
        404,
    ),
    (
        "a tampered feedback link",
        "feedback_start",
        lambda w: {"token": feedback_link_token(w)[:-2] + "xx"},
        "anonymous",
        404,
    ),
    (
        "a calendar secret that is nobody's",
        "calendar_feed",
        lambda w: {"token": "A" * 43},
        "anonymous",
        404,
    ),
]


# --- The URL configuration --------------------------------------------------------------------


def _is_library_include(resolver: URLResolver) -> bool:
    """Django's admin and django-allauth's URLs are library code with their own tests (and the
    admin is for superusers only); every other include is walked."""
    module = resolver.urlconf_module
    module_name = getattr(module, "__name__", "") if not isinstance(module, list) else ""
    return resolver.app_name == "admin" or module_name.startswith("allauth")


def _walk(patterns, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if _is_library_include(entry):
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            # An unnamed URL cannot be in the table under a name: it shows up by its route.
            yield entry.name or f"<unnamed {route}>", route


def project_url_names() -> dict[str, str]:
    return dict(_walk(get_resolver().url_patterns))


def test_every_url_has_an_entry_in_the_table():
    found = project_url_names()
    missing = sorted(set(found) - set(TABLE))
    assert not missing, "URLs without an access-matrix entry: " + ", ".join(
        f"{name} ({found[name]})" for name in missing
    )


def test_the_table_names_only_urls_that_exist():
    stale = sorted(set(TABLE) - set(project_url_names()))
    assert not stale, f"Access-matrix entries for URLs that no longer exist: {stale}"


def test_url_names_are_unique():
    names = [name for name, _ in _walk(get_resolver().url_patterns)]
    assert len(names) == len(set(names))


# --- The world --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def client_as(client, world):
    def sign_in(persona: str):
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return sign_in


def _url(world: World, name: str, entry_kwargs: Callable[[World], dict], query: str = "") -> str:
    return reverse(name, kwargs=entry_kwargs(world)) + query


def _assert_result(response, expected, what: str) -> None:
    login = reverse("account_login")
    if expected == LOGIN:
        assert response.status_code == 302, f"{what}: {response.status_code}, not sign-in"
        assert response["Location"].startswith(login), f"{what}: to {response['Location']}"
    elif expected == REDIRECT:
        assert response.status_code == 302, f"{what}: {response.status_code}, not a redirect"
        assert not response["Location"].startswith(login), f"{what}: sent to sign in"
    else:
        assert response.status_code == expected, f"{what}: {response.status_code}"


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# Whose staff each persona is: every 200 page she gets is searched for the other clinic's women
# and records (the two clinics share a cohort, so this is where a leak would show).
HILLSIDE_PERSONAS = {"other_coordinator", "other_facilitator"}


def _other_clinics_markers(world: World, persona: str) -> list[str]:
    if persona == "anonymous":
        return [*world.riverside_markers, *world.hillside_markers]
    return world.riverside_markers if persona in HILLSIDE_PERSONAS else world.hillside_markers


def _assert_nothing_forbidden(world: World, response, what: str, persona: str) -> None:
    if response.status_code != 200:
        return
    forbidden = {
        "peer_supporter": world.forbidden_for_peer,
        "member": world.forbidden_for_member,
    }.get(persona, [])
    text = _text(response)
    leaked = [value for value in forbidden if value in text]
    assert not leaked, f"{what} shows a {persona.replace('_', ' ')}: {leaked}"
    other = [value for value in _other_clinics_markers(world, persona) if value in text]
    assert not other, f"{what} shows {persona} the other clinic's women or records: {other}"


@pytest.fixture
def client_as_any(client, world):
    """Like client_as, for any user of the world (the Hillside facilitator too)."""

    def sign_in(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return sign_in


GET_CASES = [(name, persona) for name in TABLE for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), GET_CASES, ids=[f"{n}-{p}" for n, p in GET_CASES])
def test_get_gives_the_expected_status(world, client_as, name, persona):
    entry = TABLE[name]
    url = _url(world, name, entry.kwargs, entry.query(world))
    response = client_as(persona).get(url)
    _assert_result(response, entry.get[persona], f"GET {name} as {persona}")
    _assert_nothing_forbidden(world, response, f"GET {name}", persona)


@pytest.mark.parametrize(
    ("label", "name", "kwargs", "persona", "expected"),
    EXTRA_CASES,
    ids=[case[0] for case in EXTRA_CASES],
)
def test_get_on_objects_she_may_not_reach(world, client_as, label, name, kwargs, persona, expected):
    response = client_as(persona).get(_url(world, name, kwargs))
    _assert_result(response, expected, f"GET {name} ({label}) as {persona}")
    _assert_nothing_forbidden(world, response, f"GET {name} ({label})", persona)


POST_CASES = [(name, persona) for name, entry in TABLE.items() for persona in entry.post]


@pytest.mark.parametrize(("name", "persona"), POST_CASES, ids=[f"{n}-{p}" for n, p in POST_CASES])
def test_post_by_someone_who_may_not_act_is_refused_and_changes_nothing(
    world, client_as, name, persona
):
    entry = TABLE[name]
    before = entry.unchanged(world) if entry.unchanged else None
    audit_events = AuditEvent.objects.count()
    response = client_as(persona).post(_url(world, name, entry.kwargs), entry.post_data(world))
    _assert_result(response, entry.post[persona], f"POST {name} as {persona}")
    if entry.unchanged:
        assert entry.unchanged(world) == before, f"POST {name} as {persona} changed something"
    if entry.post[persona] != REDIRECT:
        # A refused request writes nothing, not even an audit event.
        assert AuditEvent.objects.count() == audit_events


def test_every_staff_action_has_refused_posts():
    """The staff actions named in issue 6 are checked for refused POSTs, not only GETs."""
    actions = {
        "session_publish",
        "session_cancel",
        "moderation_post",
        "concern_acknowledge",
        "concern_close",
        "attendance_mark",
        "topic_retire",
        "join_request_decide",
    }
    assert all(TABLE[name].post and TABLE[name].unchanged for name in actions)


def test_notify_callbacks_refuse_a_wrong_bearer_token(world, client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = "a" * 40
    for name in ("notify_delivery", "notify_inbound"):
        response = client.post(
            reverse(name),
            data="{}",
            content_type="application/json",
            headers={"Authorization": "Bearer " + "b" * 40},
        )
        assert response.status_code == 401, name


ALLOWED_CASES = [name for name, entry in TABLE.items() if entry.allowed]


@pytest.mark.parametrize("name", ALLOWED_CASES)
def test_post_by_someone_who_may_act_changes_the_state_the_refusals_protect(world, client_as, name):
    entry = TABLE[name]
    before = entry.unchanged(world)
    response = client_as(entry.allowed).post(
        _url(world, name, entry.kwargs), entry.post_data(world)
    )
    assert response.status_code == 302, f"POST {name} as {entry.allowed}: {response.status_code}"
    assert entry.unchanged(world) != before, f"POST {name} as {entry.allowed} changed nothing"


def test_the_forbidden_values_are_on_the_pages_professionals_see(world, client_as):
    """The substring search is meaningful: the same values do appear where they belong."""
    client = client_as("coordinator")
    run_sheet = _text(client.get(_url(world, "run_sheet", _session)))
    assert world.woman_a.hospital_number in run_sheet
    concern = _text(
        client.get(
            _url(world, "concern_detail", lambda w: {**_clinic(w), "concern_id": w.concern.pk})
        )
    )
    assert world.concern.description in concern
    closed = _text(
        client.get(
            _url(world, "concern_detail", lambda w: {**_clinic(w), "concern_id": w.peer_concern.pk})
        )
    )
    assert world.peer_concern.outcome in closed
    session = _text(client.get(_url(world, "session_detail", _session)))
    assert world.cohort.staff_name in session


def test_another_clinics_coordinator_sees_none_of_this_clinics_audit_events(world, client_as):
    client_as("coordinator").get(
        _url(world, "concern_detail", lambda w: {**_clinic(w), "concern_id": w.concern.pk})
    )
    assert AuditEvent.objects.filter(clinic=world.clinic).exists()
    client = client_as("other_coordinator")
    page = _text(client.get(reverse("audit_log")))
    csv_export = _text(client.get(reverse("audit_log") + "?format=csv"))
    assert world.users["coordinator"].email not in page
    assert world.clinic.slug not in csv_export
    assert world.users["coordinator"].email not in csv_export


# --- Two clinics of two trusts, sharing a cohort (issue 10, item 2) -------------------------------

CLINIC_URLS = [name for name, route in project_url_names().items() if "<slug:clinic_slug>" in route]


def _hillside_kwargs(world: World, kwargs: dict) -> dict:
    """The same URL's arguments naming Hillside and Hillside's objects."""
    mirrored = {"clinic_slug": world.other_clinic.slug}
    for key, value in kwargs.items():
        if key == "clinic_slug":
            continue
        if key in ("day", "measure_slug"):
            mirrored[key] = value  # a day or a measure, not an object
        else:
            # A new URL naming an object needs its Hillside counterpart in the world.
            assert value in world.hillside_ids.get(key, {}), f"no Hillside {key} for {value}"
            mirrored[key] = world.hillside_ids[key][value]
    return mirrored


# Clinic URLs that name an object (a session, note, concern, post, request...), not only a day.
OBJECT_URLS = [
    name for name, route in project_url_names().items() if name in CLINIC_URLS and "<int:" in route
]

CROSSED = [
    (name, persona, direction)
    for name in OBJECT_URLS
    for direction, personas in (
        ("riverside object at hillside url", ("other_coordinator", "other_facilitator")),
        ("hillside object at riverside url", ("coordinator", "facilitator", "peer_supporter")),
    )
    for persona in personas
]


@pytest.mark.parametrize(
    ("name", "persona", "direction"), CROSSED, ids=[f"{n}-{p}-{d}" for n, p, d in CROSSED]
)
def test_a_clinics_object_is_not_reached_through_the_other_clinics_url(
    world, client_as_any, name, persona, direction
):
    """Each clinic's object through the other clinic's address: the clinic in the URL is hers,
    the object is not. Never a 200, and a POST changes nothing and audits nothing."""
    entry = TABLE[name]
    riverside = entry.kwargs(world)
    if direction.startswith("riverside"):
        kwargs = {**riverside, "clinic_slug": world.other_clinic.slug}
    else:
        hillside = _hillside_kwargs(world, riverside)
        kwargs = {**hillside, "clinic_slug": world.clinic.slug}
    url = reverse(name, kwargs=kwargs) + entry.query(world)
    client = client_as_any(persona)
    audit_events = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code in (403, 404, 405), f"GET {name} {direction} as {persona}"
    before = entry.unchanged(world) if entry.unchanged else None
    response = client.post(url, entry.post_data(world))
    assert response.status_code in (403, 404, 405), f"POST {name} {direction} as {persona}"
    if entry.unchanged:
        assert entry.unchanged(world) == before
    assert AuditEvent.objects.count() == audit_events


HILLSIDE_PAGES = [
    (name, persona)
    for name in CLINIC_URLS
    for persona in ("other_coordinator", "other_facilitator")
]


@pytest.mark.parametrize(
    ("name", "persona"), HILLSIDE_PAGES, ids=[f"{n}-{p}" for n, p in HILLSIDE_PAGES]
)
def test_hillsides_own_pages_show_nothing_of_riversides_women(world, client_as_any, name, persona):
    """Hillside's staff on Hillside's pages: the shared cohort holds Riverside's women, and
    none of them, nor Riverside's records, may show."""
    entry = TABLE[name]
    url = reverse(name, kwargs=_hillside_kwargs(world, entry.kwargs(world))) + entry.query(world)
    response = client_as_any(persona).get(url)
    _assert_nothing_forbidden(world, response, f"GET Hillside's {name}", persona)


def test_the_shared_cohort_really_holds_both_clinics_women_and_each_sees_its_own(
    world, client_as_any
):
    """The marker search is meaningful: each clinic does see its own woman in the shared cohort."""
    riverside = _text(
        client_as_any("coordinator").get(reverse("join_requests", args=[world.clinic.slug]))
    )
    assert "RQZ6691324" in riverside
    hillside = _text(
        client_as_any("other_coordinator").get(
            reverse("join_requests", args=[world.other_clinic.slug])
        )
    )
    assert world.other_woman.hospital_number in hillside
    queue = _text(
        client_as_any("other_facilitator").get(
            reverse("moderation_queue", args=[world.other_clinic.slug])
        )
    )
    assert "Qxhillside: my private worry" in queue
