"""One small, complete "world" for the access matrix (tests/test_access_matrix.py).

Every object a URL can name exists once: a clinic with its staff (the personas of
tests/conftest.py, with the same emails), another clinic with its coordinator, a cohort, sessions,
women expected at a session, a note, concerns, a debrief, a topic, an import job, invitations and
their signed links, a calendar feed, a member in an online group with a thread and posts, a join
request, a resource.

The women's details are distinctive strings that appear nowhere else, so that a plain substring
search of a page is a meaningful test that the page does not show them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.utils import timezone

from groups.models import (
    Cohort,
    CohortMembership,
    JoinRequest,
    MembershipStatus,
    Post,
    Thread,
)
from resources.models import GroupMeeting, Partner, Resource
from sessions.alignment.models import AppointmentKind, WorklistItem
from sessions.facilitation.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Concern,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    Debrief,
    DiscussionNote,
    DiscussionTopic,
    PeerSupporterRecord,
)
from sessions.feedback.links import feedback_token
from sessions.feedback.models import (
    FeedbackRequest,
    Instrument,
    Occasion,
    Suggestion,
    SuggestionQuestion,
    YouSaidWeDid,
)
from sessions.feedback.services import instruments_load_files
from sessions.imports.models import ImportJob, ImportJobStatus
from sessions.invitations.links import invitation_token
from sessions.invitations.models import Invitation, InvitationState
from sessions.invitations.sending import unsubscribe_token
from sessions.measures.models import MeasureRebase
from sessions.models import Patient, SessionStatus, WaitingRoomSession
from waitroom.models import Clinic, Role, StaffRole, User

from .factories import (
    AppointmentFactory,
    ClinicFactory,
    CohortFactory,
    PatientFactory,
    ResourceFactory,
    StaffRoleFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)
from .members.builders import session_running_now

PERSONAS = (
    "coordinator",
    "other_coordinator",
    "facilitator",
    "peer_supporter",
    "member",
    "anonymous",
)


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    users: dict[str, User]
    cohort: Cohort
    other_cohort: Cohort
    session: WaitingRoomSession  # published; run by the facilitator and the peer supporter
    session_not_hers: WaitingRoomSession  # published; the peer supporter does not run it
    draft_session: WaitingRoomSession  # what a successful publish would change
    woman_a: Patient  # expected at `session`, checked in
    woman_b: Patient  # expected at `session`, not yet arrived
    member_patient: Patient
    invitation: Invitation
    note: DiscussionNote
    concern: Concern  # raised by the facilitator about woman A, routed to the coordinator
    peer_concern: Concern  # raised by the peer supporter, closed with a clinical outcome
    debrief: Debrief
    topic: DiscussionTopic
    import_job: ImportJob
    thread: Thread
    own_post: Post  # the member's
    others_post: Post  # another woman's, reported
    join_request: JoinRequest
    resource: Resource
    calendar_token: str
    rebase: MeasureRebase  # a date Riverside's charts start again from
    # Riverside's own partner, resource and (outside) partner meeting (issue 12).
    partner: Partner | None = None
    clinic_resource: Resource | None = None
    meeting: GroupMeeting | None = None
    # A second organisation: Hillside (other_clinic, another trust) runs `shared_cohort` with
    # Riverside. Each clinic's staff must see and reach only their own clinic's objects and women.
    shared_cohort: Cohort | None = None
    other_woman: Patient | None = None  # Hillside's woman, in the shared cohort's group
    # URL keyword → {Riverside object id → its Hillside counterpart}: to request each clinic's
    # object through the other clinic's URL.
    hillside_ids: dict[str, dict[int, int]] = field(default_factory=dict)
    riverside_markers: list[str] = field(default_factory=list)  # never on Hillside's pages
    hillside_markers: list[str] = field(default_factory=list)  # never on Riverside's pages
    forbidden_for_peer: list[str] = field(default_factory=list)
    # What a member must not see: other women's details, staff-facing cohort names and
    # criteria, concerns (her own details are hers to see).
    forbidden_for_member: list[str] = field(default_factory=list)
    # Feedback: the member's questionnaire (its signed link), a suggestion a woman wrote, and a
    # draft "You said, we did" entry (what a successful publish would change).
    feedback_request: FeedbackRequest | None = None
    suggestion: Suggestion | None = None
    entry: YouSaidWeDid | None = None
    # Booking alignment: an appointment type and a worklist item (woman B's) at Riverside.
    appointment_kind: AppointmentKind | None = None
    worklist_item: WorklistItem | None = None


def _date_forms(day: dt.date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
    ]


def _patient_secrets(patient: Patient) -> list[str]:
    values = [
        patient.hospital_number,
        patient.nhs_number,
        f"{patient.nhs_number[:3]} {patient.nhs_number[3:6]} {patient.nhs_number[6:]}",
        patient.mobile,
        f"{patient.mobile[:5]} {patient.mobile[5:]}",
        patient.email,
        patient.family_name,
        *_date_forms(patient.date_of_birth),
    ]
    return [v for v in values if v.strip()]


def _woman(clinic: Clinic, session: WaitingRoomSession, n: int, **fields) -> Patient:
    patient = PatientFactory(organisation=clinic.organisation, **fields)
    appointment = AppointmentFactory(
        patient=patient, clinic=clinic, start=session.start + dt.timedelta(minutes=15 + 10 * n)
    )
    Invitation.objects.create(
        session=session, patient=patient, appointment=appointment, state=InvitationState.ACCEPTED
    )
    CohortMembership.objects.create(
        cohort=session.cohort, patient=patient, status=MembershipStatus.ACTIVE
    )
    return patient


def _trained_peer_supporter(clinic: Clinic, email: str, *, today: dt.date, days: int) -> User:
    """A peer supporter at `clinic`, trained and DBS-checked `days` ago, her DBS still valid."""
    user = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER, user__email=email).user
    PeerSupporterRecord.objects.create(
        user=user,
        training_completed_on=today - dt.timedelta(days=days),
        dbs_checked_on=today - dt.timedelta(days=days),
        dbs_expires_on=today + dt.timedelta(days=400),
    )
    return user


def _in_group(cohort: Cohort, patient: Patient, now: dt.datetime) -> CohortMembership:
    """`patient` an active member of `cohort` who has joined its online group."""
    return CohortMembership.objects.create(
        cohort=cohort,
        patient=patient,
        status=MembershipStatus.ACTIVE,
        group_joined_at=now,
        guidelines_accepted_at=now,
    )


@dataclass
class SessionRecords:
    """What the staff of one clinic record about a session, and the clinic's import."""

    note: DiscussionNote
    concern: Concern  # about `woman`, urgent, routed to the coordinator
    debrief: Debrief
    import_job: ImportJob


def _session_records(
    session: WaitingRoomSession,
    *,
    woman: Patient,
    coordinator: User,
    facilitator: User,
    peer_supporter: User,
    note: str,
    concern: str,
    debrief: str,
    filename: str,
) -> SessionRecords:
    return SessionRecords(
        note=DiscussionNote.objects.create(session=session, author=facilitator, summary=note),
        concern=Concern.objects.create(
            clinic=session.clinic,
            session=session,
            patient=woman,
            category=ConcernCategory.values[0],
            urgency=ConcernUrgency.URGENT,
            description=concern,
            raised_by=facilitator,
            assignee=coordinator,
        ),
        debrief=Debrief.objects.create(
            session=session,
            peer_supporter=peer_supporter,
            professional=facilitator,
            went_well=debrief,
        ),
        import_job=ImportJob.objects.create(
            clinic=session.clinic,
            created_by=coordinator,
            filename=filename,
            status=ImportJobStatus.FINISHED,
        ),
    )


def _alignment(clinic: Clinic, cohort, patient: Patient) -> tuple[AppointmentKind, WorklistItem]:
    """An appointment type and a worklist item for `patient`'s appointment at `clinic`."""
    kind = AppointmentKind.objects.create(clinic=clinic, name="Antenatal check")
    appointment = patient.appointments.filter(clinic=clinic).order_by("start").first()
    item = WorklistItem.objects.create(
        clinic=clinic,
        cohort=cohort,
        appointment=appointment,
        kind_name=kind.name,
        from_start=appointment.start,
        to_start=appointment.start + dt.timedelta(days=1),
        peers=3,
        explanation="Move Antenatal check: with 3 others of the group",
    )
    return kind, item


def build_world() -> World:
    now = timezone.now()
    today = timezone.localdate()
    clinic = ClinicFactory(name="Riverside Antenatal Clinic", slug="riverside")
    other_clinic = ClinicFactory(name="Hillside Antenatal Clinic", slug="hillside")

    def staff(clinic: Clinic, role: str, email: str) -> User:
        return StaffRoleFactory(clinic=clinic, role=role, user__email=email).user

    coordinator = staff(clinic, Role.COORDINATOR, "coord@example.nhs.uk")
    other_coordinator = staff(other_clinic, Role.COORDINATOR, "other.coord@example.nhs.uk")
    facilitator = staff(clinic, Role.FACILITATOR, "facil@example.nhs.uk")
    peer_supporter = _trained_peer_supporter(clinic, "peer@example.org", today=today, days=100)
    calendar_token = secrets.token_urlsafe(32)
    peer_supporter.calendar_token = calendar_token
    peer_supporter.save(update_fields=["calendar_token"])

    member = UserFactory(email="member@example.com", display_name="Sunflower")
    member_patient = PatientFactory(
        organisation=clinic.organisation,
        user=member,
        hospital_number="MQX7730455",
        nhs_number="4010232137",
        given_name="Marisol",
        family_name="Featherstonehaugh",
        date_of_birth=dt.date(1990, 2, 14),
        mobile="07700900734",
        email="zq.member.patient@example.com",
    )

    cohort = CohortFactory(
        staff_name="Zebulon raised BMI pathway",
        public_name="Tuesday morning group",
        criterion="Booking BMI of 35 or more (Qxcriterion)",
        clinics=[clinic],
    )
    other_cohort = CohortFactory(
        staff_name="Xanthe twin pregnancy pathway",
        public_name="Thursday morning group",
        criterion="Dichorionic twins (Qxtwins)",
        clinics=[clinic],
    )
    # Running now: attendance may be marked only inside the session's check-in window.
    session = session_running_now(clinic, cohort, facilitators=[facilitator, peer_supporter])
    session_not_hers = WaitingRoomSessionFactory(
        clinic=clinic, cohort=other_cohort, facilitators=[facilitator]
    )
    draft_session = WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, status=SessionStatus.DRAFT, facilitators=[facilitator]
    )

    woman_a = _woman(
        clinic,
        session,
        1,
        user=UserFactory(display_name="Bluebell"),
        hospital_number="RQZ4471902",
        nhs_number="9434765919",
        given_name="Philippa",
        family_name="Quarrington",
        date_of_birth=dt.date(1987, 11, 23),
        mobile="07700900461",
        email="zq.philippa@example.com",
        interpreter_needed=True,
        preferred_language="pl",
    )
    woman_b = _woman(
        clinic,
        session,
        2,
        hospital_number="RQZ5580213",
        nhs_number="9434765870",
        given_name="Ottoline",
        family_name="Vandersteen",
        date_of_birth=dt.date(1993, 6, 9),
        mobile="07700900582",
        email="zq.ottoline@example.com",
    )
    invitation = woman_a.invitations.get(session=session)
    Attendance.objects.create(
        session=session,
        patient=woman_a,
        status=AttendanceStatus.ATTENDED,
        method=CheckInMethod.QR_CODE,
        checked_in_at=now - dt.timedelta(minutes=5),
    )
    # The member comes to the clinic too (her groups are the clinic's), and is in the group.
    AppointmentFactory(patient=member_patient, clinic=clinic, start=session.start)
    _in_group(cohort, member_patient, now)
    other_member = UserFactory(display_name="Honeysuckle")
    other_member_patient = PatientFactory(organisation=clinic.organisation, user=other_member)
    # She is the clinic's woman through her appointment there (groups are moderated per woman).
    AppointmentFactory(patient=other_member_patient, clinic=clinic, start=session.start)
    _in_group(cohort, other_member_patient, now)
    thread = Thread.objects.create(cohort=cohort, author=member, title="Walking at lunchtime")
    own_post = Post.objects.create(thread=thread, author=member, body="Anyone for a walk?")
    others_post = Post.objects.create(thread=thread, author=other_member, body="Yes, Tuesdays!")
    others_post.reports.create(reporter=member, reason="other", detail="Testing the queue")
    join_request = JoinRequest.objects.create(cohort=other_cohort, patient=woman_b)

    topic = DiscussionTopic.objects.create(clinic=clinic, name="Sleep")
    records = _session_records(
        session,
        woman=woman_a,
        coordinator=coordinator,
        facilitator=facilitator,
        peer_supporter=peer_supporter,
        note="We talked about walking and sleep.",
        concern="Qxconcern: she said she has not slept for a week",
        debrief="Everyone joined in",
        filename="appointments.csv",
    )
    records.note.topics.add(topic)
    peer_concern = Concern.objects.create(
        clinic=clinic,
        session=session,
        patient=woman_b,
        category=ConcernCategory.values[0],
        urgency=ConcernUrgency.SOON,
        description="She seemed low today",
        raised_by=peer_supporter,
        assignee=coordinator,
        status=ConcernStatus.CLOSED,
        acknowledged_by=coordinator,
        acknowledged_at=now,
        closed_by=coordinator,
        closed_at=now,
        outcome="Qxoutcome: referred to perinatal mental health team",
    )
    resource = ResourceFactory(title="Sleep in pregnancy")
    rebase, hillside_rebase = (
        MeasureRebase.objects.create(
            clinic=c, starts_on=dt.date(2026, 1, 5), reason="Peer support sessions started"
        )
        for c in (clinic, other_clinic)
    )
    partner, clinic_resource, meeting = _partner_objects(clinic, cohort, now, "Qxriverside")

    feedback = _build_feedback(clinic, member_patient, "Qxriverside")

    hillside = _build_hillside(
        clinic=clinic,
        other_clinic=other_clinic,
        other_coordinator=other_coordinator,
        riverside_session=session,
        now=now,
    )

    riverside_kind, riverside_item = _alignment(clinic, hillside["shared_cohort"], woman_b)
    hillside_kind, hillside_item = _alignment(
        other_clinic, hillside["shared_cohort"], hillside["other_woman"]
    )

    forbidden = [
        *hillside["markers"],
        hillside["shared_cohort"].staff_name,
        hillside["shared_cohort"].criterion,
        *_patient_secrets(woman_a),
        *_patient_secrets(woman_b),
        *_patient_secrets(member_patient),
        cohort.staff_name,
        cohort.criterion,
        other_cohort.staff_name,
        other_cohort.criterion,
        records.concern.description,
        peer_concern.outcome,
        feedback["suggestion"].text,
    ]
    return World(
        clinic=clinic,
        other_clinic=other_clinic,
        users={
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "other_facilitator": hillside["facilitator"],
            "facilitator": facilitator,
            "peer_supporter": peer_supporter,
            "member": member,
        },
        cohort=cohort,
        other_cohort=other_cohort,
        session=session,
        session_not_hers=session_not_hers,
        draft_session=draft_session,
        woman_a=woman_a,
        woman_b=woman_b,
        member_patient=member_patient,
        invitation=invitation,
        note=records.note,
        concern=records.concern,
        peer_concern=peer_concern,
        debrief=records.debrief,
        topic=topic,
        import_job=records.import_job,
        thread=thread,
        own_post=own_post,
        others_post=others_post,
        join_request=join_request,
        resource=resource,
        calendar_token=calendar_token,
        partner=partner,
        clinic_resource=clinic_resource,
        meeting=meeting,
        appointment_kind=riverside_kind,
        worklist_item=riverside_item,
        rebase=rebase,
        shared_cohort=hillside["shared_cohort"],
        other_woman=hillside["other_woman"],
        hillside_ids={
            "session_id": {
                session.pk: hillside["session"].pk,
                session_not_hers.pk: hillside["session"].pk,
                draft_session.pk: hillside["draft_session"].pk,
            },
            "note_id": {records.note.pk: hillside["records"].note.pk},
            "concern_id": {
                records.concern.pk: hillside["records"].concern.pk,
                peer_concern.pk: hillside["records"].concern.pk,
            },
            "debrief_id": {records.debrief.pk: hillside["records"].debrief.pk},
            "topic_id": {topic.pk: hillside["topic"].pk},
            "job_id": {records.import_job.pk: hillside["records"].import_job.pk},
            "post_id": {others_post.pk: hillside["post"].pk},
            "request_id": {join_request.pk: hillside["join_request"].pk},
            "patient_id": {woman_b.pk: hillside["other_woman"].pk},
            "user_id": {peer_supporter.pk: hillside["peer_supporter"].pk},
            "role_id": {
                StaffRole.objects.get(user=facilitator, clinic=clinic).pk: StaffRole.objects.get(
                    user=hillside["facilitator"], clinic=other_clinic
                ).pk
            },
            "place_id": {session.place_id: hillside["session"].place_id},
            "suggestion_id": {feedback["suggestion"].pk: hillside["feedback"]["suggestion"].pk},
            "entry_id": {feedback["entry"].pk: hillside["feedback"]["entry"].pk},
            "partner_id": {partner.pk: hillside["partner"].pk},
            "resource_id": {clinic_resource.pk: hillside["clinic_resource"].pk},
            "meeting_id": {meeting.pk: hillside["meeting"].pk},
            "kind_id": {riverside_kind.pk: hillside_kind.pk},
            "item_id": {riverside_item.pk: hillside_item.pk},
            # Both clinics run the shared cohort: the same slug names it at each.
            "cohort_slug": {hillside["shared_cohort"].slug: hillside["shared_cohort"].slug},
            "rebase_id": {rebase.pk: hillside_rebase.pk},
        },
        feedback_request=feedback["request"],
        suggestion=feedback["suggestion"],
        entry=feedback["entry"],
        riverside_markers=[
            *_patient_secrets(woman_a),
            *_patient_secrets(woman_b),
            *_patient_secrets(member_patient),
            records.concern.description,
            peer_concern.outcome,
            *_patient_secrets(hillside["riverside_woman"]),
            hillside["riverside_post"].body,
            feedback["suggestion"].text,
            feedback["entry"].we_did,
            partner.name,
            clinic_resource.title,
            meeting.title,
        ],
        hillside_markers=hillside["markers"],
        forbidden_for_peer=forbidden,
        forbidden_for_member=[v for v in forbidden if v not in _patient_secrets(member_patient)],
    )


def _build_hillside(
    *,
    clinic: Clinic,
    other_clinic: Clinic,
    other_coordinator: User,
    riverside_session: WaitingRoomSession,
    now: dt.datetime,
) -> dict:
    """Hillside, of another trust, sharing a cohort with Riverside: its staff, a woman, and one
    of each object a clinic URL can name; and a Riverside woman in the shared cohort too."""
    assert other_clinic.organisation_id != clinic.organisation_id
    today = timezone.localdate()
    facilitator = StaffRoleFactory(
        clinic=other_clinic, role=Role.FACILITATOR, user__email="hill.facil@example.nhs.uk"
    ).user
    peer_supporter = _trained_peer_supporter(
        other_clinic, "hill.peer@example.org", today=today, days=90
    )
    shared_cohort = CohortFactory(
        staff_name="Yolanda shared pathway",
        public_name="Shared morning group",
        criterion="Shared criterion (Qxshared)",
        clinics=[clinic, other_clinic],
    )
    session = WaitingRoomSessionFactory(
        clinic=other_clinic,
        cohort=shared_cohort,
        start=riverside_session.start,
        end=riverside_session.end,
        facilitators=[facilitator, peer_supporter],
    )
    draft_session = WaitingRoomSessionFactory(
        clinic=other_clinic, cohort=shared_cohort, status=SessionStatus.DRAFT
    )
    other_woman = _woman(
        other_clinic,
        session,
        1,
        user=UserFactory(display_name="Hollyhock"),
        hospital_number="HLX8820931",
        nhs_number="9434765927",
        given_name="Wilhelmina",
        family_name="Ravenscroft",
        date_of_birth=dt.date(1989, 3, 17),
        mobile="07700900917",
        email="zq.wilhelmina@example.com",
    )
    CohortMembership.objects.filter(patient=other_woman).update(
        group_joined_at=now, guidelines_accepted_at=now
    )
    # A Riverside woman is in the shared cohort's group too; each woman asks to join another
    # cohort both clinics run.
    riverside_woman = PatientFactory(
        organisation=clinic.organisation,
        user=UserFactory(display_name="Primrose"),
        hospital_number="RQZ6691324",
        given_name="Georgiana",
        family_name="Tremethick",
        nhs_number="9434765935",
        date_of_birth=dt.date(1991, 8, 29),
        mobile="07700900645",
        email="zq.georgiana@example.com",
    )
    AppointmentFactory(patient=riverside_woman, clinic=clinic, start=riverside_session.start)
    _in_group(shared_cohort, riverside_woman, now)
    riverside_user = riverside_woman.user
    thread = Thread.objects.create(cohort=shared_cohort, author=other_woman.user, title="Hello")
    post = Post.objects.create(
        thread=thread, author=other_woman.user, body="Qxhillside: my private worry"
    )
    riverside_post = Post.objects.create(
        thread=thread, author=riverside_user, body="Qxriverside: my private worry"
    )
    post.reports.create(reporter=riverside_user, reason="other", detail="Qxhillside report")
    riverside_post.reports.create(
        reporter=other_woman.user, reason="other", detail="Qxriverside report"
    )
    both_run = CohortFactory(
        staff_name="Both clinics evening pathway",
        public_name="Evening group",
        clinics=[clinic, other_clinic],
    )
    join_request = JoinRequest.objects.create(cohort=both_run, patient=other_woman)
    JoinRequest.objects.create(cohort=both_run, patient=riverside_woman)
    topic = DiscussionTopic.objects.create(clinic=other_clinic, name="Hillside topic")
    records = _session_records(
        session,
        woman=other_woman,
        coordinator=other_coordinator,
        facilitator=facilitator,
        peer_supporter=peer_supporter,
        note="Qxhillside note: we talked about sleep.",
        concern="Qxhillside concern: she is frightened at home",
        debrief="Qxhillside debrief",
        filename="hillside.csv",
    )
    feedback = _build_feedback(other_clinic, other_woman, "Qxhillside")
    partner, clinic_resource, meeting = _partner_objects(
        other_clinic, shared_cohort, now, "Qxhillside"
    )
    return {
        "partner": partner,
        "clinic_resource": clinic_resource,
        "meeting": meeting,
        "facilitator": facilitator,
        "peer_supporter": peer_supporter,
        "shared_cohort": shared_cohort,
        "session": session,
        "draft_session": draft_session,
        "other_woman": other_woman,
        "post": post,
        "riverside_post": riverside_post,
        "riverside_woman": riverside_woman,
        "join_request": join_request,
        "topic": topic,
        "records": records,
        "feedback": feedback,
        "markers": [
            feedback["suggestion"].text,
            feedback["entry"].we_did,
            *_patient_secrets(other_woman),
            post.body,
            records.note.summary,
            records.concern.description,
            records.debrief.went_well,
            partner.name,
            clinic_resource.title,
            meeting.title,
        ],
    }


def _build_feedback(clinic: Clinic, patient: Patient, marker: str) -> dict:
    """A clinic's feedback: a questionnaire sent to `patient`, a suggestion from it, and a
    draft "You said, we did" entry, their words carrying `marker`."""
    instruments_load_files()
    request = FeedbackRequest.objects.create(
        patient=patient,
        clinic=clinic,
        occasion_kind=Occasion.BASELINE,
        occasion=Occasion.BASELINE,
        order=["fft"],
    )
    request.instruments.set(Instrument.objects.current().filter(slug="fft"))
    suggestion = Suggestion.objects.create(
        request=request,
        clinic=clinic,
        question=SuggestionQuestion.WAITING_ROOM,
        text=f"{marker} suggestion: a quieter corner",
    )
    entry = YouSaidWeDid.objects.create(
        clinic=clinic, you_said="It was noisy", we_did=f"{marker} entry: we moved the group"
    )
    return {"request": request, "suggestion": suggestion, "entry": entry}


def feedback_link_token(world: World) -> str:
    return feedback_token(world.feedback_request)


def _partner_objects(clinic: Clinic, cohort: Cohort, now: dt.datetime, marker: str) -> tuple:
    """A clinic's own partner, resource and partner meeting outside (issue 12)."""
    partner = Partner.objects.create(clinic=clinic, name=f"{marker} partner")
    resource = ResourceFactory(clinic=clinic, partner=partner, title=f"{marker} resource")
    resource.cohorts.set([cohort])
    meeting = GroupMeeting.objects.create(
        clinic=clinic,
        partner=partner,
        title=f"{marker} meeting",
        starts_at=now + dt.timedelta(days=1, hours=2),
        place="The café",
    )
    meeting.cohorts.set([cohort])
    return partner, resource, meeting


def invitation_link_token(world: World) -> str:
    return invitation_token(world.invitation)


def unsubscribe_link_token(world: World) -> str:
    return unsubscribe_token(world.woman_a.pk)
