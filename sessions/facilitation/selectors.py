"""Reads for the run sheet, concern queues and governance, shaped for templates in a fixed
number of queries. Every read starts from a clinic the user reached through waitroom.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from sessions.invitations.models import Invitation, InvitationState
from sessions.languages import language_name
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
from waitroom.access import (
    COORDINATORS,
    PEER_SUPPORTERS,
    PROFESSIONALS,
    holds_at,
    staff_clinics,
)
from waitroom.models import Clinic, Role, User
from waitroom.selectors import clinic_staff_in_roles

from .models import (
    Attendance,
    AttendanceStatus,
    Concern,
    ConcernLead,
    Debrief,
    DiscussionNote,
    DiscussionTopic,
    PeerSupporterRecord,
)
from .waiting_times import Wait, WaitSummary, summarise_waits

# Invitation states for which a woman is expected at the session.
EXPECTED_STATES = [
    InvitationState.PLANNED,
    InvitationState.SENT,
    InvitationState.ACCEPTED,
    InvitationState.WAITING_LIST,
]
DBS_RENEWAL_WARNING = dt.timedelta(days=60)
DEBRIEF_DUE_AFTER = dt.timedelta(days=7)


# --- Who may see what --------------------------------------------------------------------------


def is_professional(user: User, clinic: Clinic) -> bool:
    """A coordinator or facilitator at the clinic: she sees what her clinical role needs."""
    return holds_at(user, clinic, PROFESSIONALS)


def is_coordinator(user: User, clinic: Clinic) -> bool:
    return holds_at(user, clinic, COORDINATORS)


def may_handle_concern(user: User, clinic: Clinic, concern: Concern) -> bool:
    """Acknowledge and close it: a coordinator, or the professional it is assigned to."""
    return is_coordinator(user, clinic) or (
        concern.assignee_id == user.pk and is_professional(user, clinic)
    )


def may_add_addendum(user: User, clinic: Clinic, note: DiscussionNote) -> bool:
    """The note's author, or a coordinator or facilitator at the clinic."""
    return note.author_id == user.pk or is_professional(user, clinic)


def session_for_runner(user: User, clinic: Clinic, session_id: int) -> WaitingRoomSession:
    """The session if `user` may run it: any session of the clinic for professionals, only
    her own sessions for a peer supporter. 404 otherwise (existence is not revealed)."""
    sessions = WaitingRoomSession.objects.filter(clinic=clinic).select_related("cohort", "clinic")
    if not is_professional(user, clinic):
        sessions = sessions.filter(facilitators=user)
    try:
        return sessions.get(pk=session_id)
    except WaitingRoomSession.DoesNotExist:
        raise Http404("No such session") from None


def concerns_visible_to(user: User, clinic: Clinic) -> QuerySet[Concern]:
    """Coordinators see the clinic's concerns; anyone else those she raised or leads."""
    concerns = Concern.objects.filter(clinic=clinic)
    if is_coordinator(user, clinic):
        return concerns
    return concerns.filter(Q(raised_by=user) | Q(assignee=user))


def notes_visible_to(user: User, clinic: Clinic) -> QuerySet[DiscussionNote]:
    notes = DiscussionNote.objects.filter(session__clinic=clinic)
    if is_professional(user, clinic):
        return notes
    return notes.filter(Q(author=user) | Q(session__facilitators=user)).distinct()


def debriefs_visible_to(user: User, clinic: Clinic) -> QuerySet[Debrief]:
    debriefs = Debrief.objects.filter(session__clinic=clinic)
    if is_coordinator(user, clinic):
        return debriefs
    return debriefs.filter(Q(peer_supporter=user) | Q(professional=user))


# One object, for a page about it: 404 unless `user` may see it (existence is not revealed).


def note_for_user(user: User, clinic: Clinic, note_id: int) -> DiscussionNote:
    notes = notes_visible_to(user, clinic).select_related(
        "author", "session__cohort", "session__clinic"
    )
    return get_object_or_404(notes, pk=note_id)


def concern_for_user(user: User, clinic: Clinic, concern_id: int) -> Concern:
    concerns = concerns_visible_to(user, clinic).select_related(
        "session__cohort",
        "session__clinic",
        "patient__user",
        "raised_by",
        "assignee",
        "acknowledged_by",
        "closed_by",
    )
    return get_object_or_404(concerns, pk=concern_id)


def debrief_for_user(user: User, clinic: Clinic, debrief_id: int) -> Debrief:
    debriefs = debriefs_visible_to(user, clinic).select_related(
        "session__cohort", "peer_supporter", "professional"
    )
    return get_object_or_404(debriefs, pk=debrief_id)


# --- The women at a session, and how staff running it tell them apart ---------------------------


# What a woman's attendance means for the session: she came (and so may be the subject of a
# concern), or she did not.
CAME = (AttendanceStatus.ATTENDED, AttendanceStatus.LATE, AttendanceStatus.LEFT_FOR_APPOINTMENT)


@dataclass
class WomanAtSession:
    """One woman on a session's run sheet: expected (invited) or a walk-in who checked in."""

    patient: Patient
    invitation_state: str | None
    appointment_at: dt.datetime | None
    attendance: Attendance | None
    label: str = ""  # given by label_women: what everyone running the session may see
    # Who she said is coming with her when she accepted (issue 12): each takes a place.
    adults_with_her: int = 0
    children_with_her: int = 0

    @property
    def came(self) -> bool:
        return self.attendance is not None and self.attendance.status in CAME

    def label_for(self, *, professional: bool) -> str:
        """Her label, with her real name in front for a professional."""
        if not professional:
            return self.label
        return f"{real_name(self.patient)} ({self.label})"


def real_name(patient: Patient) -> str:
    """Her real name as professionals running a session see it; never shown to a peer supporter,
    who sees only her label."""
    return f"{patient.first_name} {patient.family_name}"


def woman_label(
    *, display_name: str, first_name: str, appointment_at: dt.datetime | None, zone
) -> str:
    """The one labelling rule for a woman shown to anyone running a session.

    Not clinical and not a number that changes with the list: the display name she chose, or
    else her initial, with her appointment time ("Sunflower, appointment 10:10" or
    "S., appointment 10:40"), so a peer supporter can match her to the woman in front of her.
    """
    name = display_name.strip() or (f"{first_name.strip()[:1].upper()}." if first_name else "")
    when = (
        f"appointment {appointment_at.astimezone(zone):%H:%M}"
        if appointment_at
        else "no appointment today"
    )
    return f"{name or 'Woman'}, {when}"


def label_women(women: list[WomanAtSession], *, zone) -> list[WomanAtSession]:
    """Each woman with her label. Two women who would share one (same display name or initial and
    appointment time) are told apart by a number in run-sheet order: "S., appointment 10:40 (2)"."""
    labels = [
        woman_label(
            display_name=w.patient.user.display_name if w.patient.user else "",
            first_name=w.patient.first_name,
            appointment_at=w.appointment_at,
            zone=zone,
        )
        for w in women
    ]
    seen: dict[str, int] = {}
    numbered = []
    for label in labels:
        if labels.count(label) > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]})"
        numbered.append(label)
    return [replace(woman, label=label) for woman, label in zip(women, numbered, strict=True)]


def women_at_session(session: WaitingRoomSession) -> list[WomanAtSession]:
    """Everyone on the session's run sheet, labelled: the women expected (by appointment time),
    then walk-ins who checked in without an invitation. Every page that shows a woman to the
    people running the session (run sheet, concern form, concern) takes her label from here.
    Two queries, three with walk-ins."""
    invitations = (
        Invitation.objects.filter(session=session, state__in=EXPECTED_STATES)
        .select_related("patient__user", "appointment")
        .order_by("appointment__start", "pk")
    )
    attendances = {
        a.patient_id: a
        for a in Attendance.objects.filter(session=session).select_related("patient__user")
    }
    women = [
        WomanAtSession(
            inv.patient,
            inv.state,
            inv.appointment.start,
            attendances.get(inv.patient_id),
            adults_with_her=inv.adults_with_her,
            children_with_her=inv.children_with_her,
        )
        for inv in invitations
    ]
    invited = {w.patient.pk for w in women}
    walk_ins = [a.patient for pid, a in attendances.items() if pid not in invited]
    if walk_ins:
        day_start, day_end = session.clinic.day_bounds(session.clinic.day_of(session.start))
        appointments = {
            appt.patient_id: appt.start
            for appt in Appointment.objects.attending().filter(
                clinic=session.clinic,
                patient__in=walk_ins,
                start__gte=day_start,
                start__lt=day_end,
            )
        }
        women += [
            WomanAtSession(p, None, appointments.get(p.pk), attendances[p.pk])
            for p in sorted(walk_ins, key=lambda p: p.pk)
        ]
    return label_women(women, zone=session.clinic.zone)


def woman_at_session(session: WaitingRoomSession, patient: Patient) -> WomanAtSession | None:
    """One woman as the run sheet labels her, or None when she is no longer on it."""
    return next((w for w in women_at_session(session) if w.patient.pk == patient.pk), None)


def concern_about(concern: Concern, *, professional: bool) -> str:
    """Who a concern is about, for its page: her run-sheet label; a professional also sees her
    real name and hospital number first ("Jane Smith (H0000001): S., appointment 10:40")."""
    if concern.patient is None:
        return "The session generally"
    woman = woman_at_session(concern.session, concern.patient)
    label = woman.label if woman else "A woman who came to the session"
    if not professional:
        return label
    return f"{real_name(concern.patient)} ({concern.patient.hospital_number}): {label}"


# --- Run sheet ---------------------------------------------------------------------------------

# The run sheet's one-tap attendance buttons: short enough for four in a row on a phone.
ATTENDANCE_BUTTONS = [
    (AttendanceStatus.ATTENDED, "Here"),
    (AttendanceStatus.LATE, "Late"),
    (AttendanceStatus.LEFT_FOR_APPOINTMENT, "Called in"),
    (AttendanceStatus.DID_NOT_ATTEND, "Did not come"),
]


# Her answer as the run sheet words it: built once, not once a row (issue 14).
_ANSWERS = dict(InvitationState.choices)


@dataclass
class RunSheetRow:
    patient_id: int
    label: str  # what everyone running the session may see
    real_name: str | None  # professionals only
    hospital_number: str | None  # professionals only
    invitation_state: str | None
    appointment_at: dt.datetime | None
    interpreter_needed: bool
    language: str
    attendance: Attendance | None
    adults_with_her: int = 0
    children_with_her: int = 0
    mark_url: str = ""  # where her attendance buttons post

    @property
    def coming_with_her(self) -> str:
        """ "1 adult and 2 children", or "" when she comes on her own."""
        parts = []
        if self.adults_with_her:
            parts.append(f"{self.adults_with_her} adult{'s' if self.adults_with_her > 1 else ''}")
        if self.children_with_her:
            n = self.children_with_her
            parts.append(f"{n} child{'ren' if n > 1 else ''}")
        return " and ".join(parts)

    @property
    def accepted(self) -> bool:
        return self.invitation_state == InvitationState.ACCEPTED

    @property
    def answer(self) -> str:
        if self.invitation_state is None:
            return "Not invited (checked in)"
        return _ANSWERS[self.invitation_state]

    @property
    def status(self) -> str | None:
        return self.attendance.status if self.attendance else None

    @property
    def attendance_buttons(self) -> list[tuple[str, str, bool]]:
        """(status, short label, whether it is her current state): one tap sets any of them."""
        return [(value, text, value == self.status) for value, text in ATTENDANCE_BUTTONS]


@dataclass
class RunSheet:
    session: WaitingRoomSession
    rows: list[RunSheetRow]
    version: str

    def patient(self, patient_id: int) -> Patient:
        """A woman expected at this session (on the sheet); 404 for anyone else."""
        if patient_id not in {row.patient_id for row in self.rows}:
            raise Http404("She is not expected at this session")
        return Patient.objects.get(pk=patient_id)

    @property
    def places_expected(self) -> int:
        """Places the women who accepted take, with the people coming with them."""
        return sum(
            1 + row.adults_with_her + row.children_with_her for row in self.rows if row.accepted
        )

    @property
    def checked_in_count(self) -> int:
        return sum(1 for row in self.rows if row.attendance and row.attendance.checked_in_at)


def run_sheet_version(session: WaitingRoomSession) -> str:
    """Changes whenever a check-in, an attendance mark or an answer changes, and when the
    check-in window opens or closes: the run sheet's poller fetches (and audits) the women's
    rows only when this moves. Two queries."""
    stamps = WaitingRoomSession.objects.filter(pk=session.pk).aggregate(
        attended=Max("attendances__updated_at"),
        answered=Max("invitations__updated_at"),
    )
    count = Attendance.objects.filter(session=session).count()
    parts = [stamps["attended"], stamps["answered"]]
    window = "open" if session.check_in_open() else "closed"
    return f"{count}-{window}-" + "-".join(
        str(int(p.timestamp() * 1000)) if p else "0" for p in parts
    )


def run_sheet(session: WaitingRoomSession, *, professional: bool) -> RunSheet:
    """The women expected at the session, and who has come. Four queries in all.

    A peer supporter's rows carry only her label, appointment time, interpreter need and
    attendance: the real name and hospital number are left empty, not just hidden.
    """
    version = run_sheet_version(session)
    # One reverse() for the sheet; each woman's link differs only by her id.
    head, _, tail = reverse(
        "attendance_mark", args=[session.clinic.slug, session.pk, 0]
    ).rpartition("/0/")
    rows = [
        RunSheetRow(
            patient_id=woman.patient.pk,
            label=woman.label,
            real_name=real_name(woman.patient) if professional else None,
            hospital_number=woman.patient.hospital_number if professional else None,
            invitation_state=woman.invitation_state,
            appointment_at=woman.appointment_at,
            interpreter_needed=woman.patient.interpreter_needed,
            language=language_name(woman.patient.preferred_language),
            attendance=woman.attendance,
            adults_with_her=woman.adults_with_her,
            children_with_her=woman.children_with_her,
            mark_url=f"{head}/{woman.patient.pk}/{tail}",
        )
        for woman in women_at_session(session)
    ]
    return RunSheet(session=session, rows=rows, version=version)


# --- Concerns -----------------------------------------------------------------------------------


def concern_queue(clinic: Clinic, *, include_closed: bool = False) -> QuerySet[Concern]:
    """The clinic's concerns for its coordinators, oldest urgent first."""
    concerns = Concern.objects.filter(clinic=clinic)
    if not include_closed:
        concerns = concerns.unresolved()
    return concerns.select_related("session", "raised_by", "assignee", "patient").queue_order()


def urgent_concerns_for(user: User) -> QuerySet[Concern]:
    """Urgent concerns nobody has acknowledged yet, at every clinic `user` coordinates: shown
    at the top of her home until someone acknowledges them."""
    return (
        Concern.objects.urgent_unacknowledged()
        .filter(clinic__in=staff_clinics(user, *COORDINATORS))
        .select_related("clinic")
        .order_by("raised_at")
    )


def concerns_raised_by(user: User, clinic: Clinic) -> QuerySet[Concern]:
    return Concern.objects.filter(clinic=clinic, raised_by=user).order_by("-raised_at")


def my_concerns(user: User) -> QuerySet[Concern]:
    """Concerns she raised, at every clinic where she still holds a staff role, newest first."""
    return (
        Concern.objects.filter(raised_by=user, clinic__in=staff_clinics(user))
        .select_related("clinic", "session")
        .order_by("-raised_at")
    )


# --- Governance -------------------------------------------------------------------------------


def topics_active(clinic: Clinic) -> QuerySet[DiscussionTopic]:
    """The clinic's discussion topics offered on the notes form."""
    return DiscussionTopic.objects.filter(clinic=clinic).active()


def topic_for_clinic(clinic: Clinic, topic_id: int) -> DiscussionTopic:
    """The topic, only if it is `clinic`'s; 404 otherwise."""
    topic = DiscussionTopic.objects.filter(clinic=clinic, pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic")
    return topic


def concern_leads_current(clinic: Clinic) -> dict[str, int]:
    """Concern category → the user id of the clinic's lead for it."""
    return dict(ConcernLead.objects.filter(clinic=clinic).values_list("category", "lead_id"))


def peer_supporter_at_clinic(clinic: Clinic, user_id: int) -> User:
    """The user, only if she is a peer supporter at `clinic`; 404 otherwise."""
    person = (
        User.objects.filter(
            pk=user_id, staff_roles__clinic=clinic, staff_roles__role__in=PEER_SUPPORTERS
        )
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No such peer supporter at this clinic")
    return person


def peer_supporter_record(user: User) -> PeerSupporterRecord | None:
    """Her training and DBS record, if one was made."""
    return PeerSupporterRecord.objects.filter(user=user).first()


@dataclass
class PeerSupporterStanding:
    user: User
    record: PeerSupporterRecord | None
    problems: list[str]
    sessions_without_debrief: int


def peer_supporter_standing(
    clinic: Clinic, *, today: dt.date | None = None
) -> list[PeerSupporterStanding]:
    """Each peer supporter at the clinic: training, DBS (expired or due for renewal) and
    debriefs overdue (a session ended over a week ago with none logged). Three queries."""
    today = today or clinic.today()
    users = list(
        User.objects.filter(
            staff_roles__clinic=clinic,
            staff_roles__role=Role.PEER_SUPPORTER,
            staff_roles__deactivated_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )
    records = {r.user_id: r for r in PeerSupporterRecord.objects.filter(user__in=users)}
    cutoff = timezone.now() - DEBRIEF_DUE_AFTER
    missing: dict[int, int] = {}
    assignments = (
        WaitingRoomSession.facilitators.through.objects.filter(
            user__in=users,
            waitingroomsession__clinic=clinic,
            waitingroomsession__end__lt=cutoff,
        )
        .exclude(waitingroomsession__status=SessionStatus.CANCELLED)
        .filter(
            ~Exists(
                Debrief.objects.filter(
                    session=OuterRef("waitingroomsession"), peer_supporter=OuterRef("user")
                )
            )
        )
    )
    for user_id in assignments.values_list("user_id", flat=True):
        missing[user_id] = missing.get(user_id, 0) + 1
    standings = []
    for user in users:
        record = records.get(user.pk)
        problems = []
        if record is None or record.training_completed_on is None:
            problems.append("Training not recorded")
        if record is None or record.dbs_expires_on is None:
            problems.append("No DBS check recorded")
        elif record.dbs_expires_on < today:
            problems.append("DBS check expired")
        elif record.dbs_expires_on <= today + DBS_RENEWAL_WARNING:
            problems.append("DBS check due for renewal")
        standings.append(PeerSupporterStanding(user, record, problems, missing.get(user.pk, 0)))
    return standings


def debriefs_to_confirm(user: User) -> QuerySet[Debrief]:
    return (
        Debrief.objects.filter(professional=user, confirmed_at__isnull=True)
        .select_related("session", "session__clinic", "peer_supporter")
        .order_by("created_at")
    )


def clinic_professionals(clinic: Clinic) -> QuerySet[User]:
    return clinic_staff_in_roles(clinic, PROFESSIONALS)


# --- Waiting times -------------------------------------------------------------------------------

# A walk-in's booked time is her appointment at the clinic nearest the moment she was called:
# one starting no more than this long either side of it.
BOOKED_TIME_SEARCH = dt.timedelta(hours=12)


def waits_between(
    clinic: Clinic, *, start: dt.datetime, end: dt.datetime, cohort_id: int | None = None
) -> list[Wait]:
    """Every woman called in for her appointment from one of the clinic's sessions between
    `start` and `end` (optionally one cohort's sessions), with her check-in and booked time.
    One query. Her booked time is the appointment her invitation was for; a walk-in's is her
    appointment at the clinic starting within 12 hours of being called."""
    invited_for = Invitation.objects.filter(
        session=OuterRef("session"), patient=OuterRef("patient")
    ).values("appointment__start")[:1]
    walk_in_booking = (
        Appointment.objects.attending()
        .filter(
            patient=OuterRef("patient"),
            clinic=clinic,
            start__gte=OuterRef("called_at") - BOOKED_TIME_SEARCH,
            start__lt=OuterRef("called_at") + BOOKED_TIME_SEARCH,
        )
        .order_by("start")
        .values("start")[:1]
    )
    attendances = Attendance.objects.filter(
        session__clinic=clinic, called_at__gte=start, called_at__lt=end
    )
    if cohort_id is not None:
        attendances = attendances.filter(session__cohort_id=cohort_id)
    rows = attendances.annotate(
        booked_at=Coalesce(Subquery(invited_for), Subquery(walk_in_booking))
    ).values_list(
        "called_at",
        "checked_in_at",
        "booked_at",
        "session__cohort_id",
        "session__cohort__staff_name",
    )
    return [Wait(*row) for row in rows]


@dataclass(frozen=True)
class CohortWaits:
    cohort_name: str
    summary: WaitSummary


@dataclass(frozen=True)
class DayWaits:
    overall: WaitSummary
    by_cohort: list[CohortWaits]


def clinic_day_waits(clinic: Clinic, day: dt.date) -> DayWaits:
    """The day's waiting times, overall and for each cohort that had a session. One query."""
    start, end = clinic.day_bounds(day)
    waits = waits_between(clinic, start=start, end=end)
    names = {w.cohort_id: w.cohort_name for w in waits}
    by_cohort = [
        CohortWaits(name, summarise_waits(w for w in waits if w.cohort_id == pk))
        for pk, name in sorted(names.items(), key=lambda item: item[1])
    ]
    return DayWaits(summarise_waits(waits), by_cohort)
