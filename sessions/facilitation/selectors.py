"""Reads for the run sheet, concern queues and governance, shaped for templates in a fixed
number of queries. Every read starts from a clinic the user reached through waitroom.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Appointment, Patient, SessionStatus, WaitingRoomSession
from waitroom.access import clinic_roles, staff_clinics
from waitroom.models import Clinic, Role, User

from .models import (
    Attendance,
    Concern,
    Debrief,
    DiscussionNote,
    PeerSupporterRecord,
)

PROFESSIONAL_ROLES = (Role.COORDINATOR, Role.FACILITATOR)
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
    return bool(clinic_roles(user).roles_at(clinic.pk) & set(PROFESSIONAL_ROLES))


def is_coordinator(user: User, clinic: Clinic) -> bool:
    return Role.COORDINATOR in clinic_roles(user).roles_at(clinic.pk)


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


# --- Run sheet ---------------------------------------------------------------------------------


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

    @property
    def accepted(self) -> bool:
        return self.invitation_state == InvitationState.ACCEPTED

    @property
    def answer(self) -> str:
        if self.invitation_state is None:
            return "Not invited (checked in)"
        return dict(InvitationState.choices)[self.invitation_state]


@dataclass
class RunSheet:
    session: WaitingRoomSession
    rows: list[RunSheetRow]
    version: str

    @property
    def checked_in_count(self) -> int:
        return sum(1 for row in self.rows if row.attendance and row.attendance.checked_in_at)


def language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code


def _woman_label(patient: Patient, position: int) -> str:
    user = patient.user
    if user is not None and user.display_name:
        return user.display_name
    return f"Woman {position}"


def run_sheet_version(session: WaitingRoomSession) -> str:
    """Changes whenever a check-in, an attendance mark or an answer changes: the run sheet's
    poller fetches (and audits) the women's rows only when this moves. One query."""
    stamps = WaitingRoomSession.objects.filter(pk=session.pk).aggregate(
        attended=Max("attendances__updated_at"),
        answered=Max("invitations__updated_at"),
    )
    count = Attendance.objects.filter(session=session).count()
    parts = [stamps["attended"], stamps["answered"]]
    return f"{count}-" + "-".join(str(int(p.timestamp() * 1000)) if p else "0" for p in parts)


def run_sheet(session: WaitingRoomSession, *, professional: bool) -> RunSheet:
    """The women expected at the session, and who has come. Four queries in all.

    A peer supporter's rows carry only a display name, appointment time, interpreter need and
    attendance: the real name and hospital number are left empty, not just hidden.
    """
    version = run_sheet_version(session)
    invitations = (
        Invitation.objects.filter(session=session, state__in=EXPECTED_STATES)
        .select_related("patient__user", "appointment")
        .order_by("appointment__start", "pk")
    )
    attendances = {
        a.patient_id: a
        for a in Attendance.objects.filter(session=session).select_related("patient__user")
    }
    patients: list[tuple[Patient, str | None, dt.datetime | None]] = [
        (inv.patient, inv.state, inv.appointment.start) for inv in invitations
    ]
    invited = {p.pk for p, _, _ in patients}
    walk_ins = [a.patient for pid, a in attendances.items() if pid not in invited]
    if walk_ins:
        day_start = timezone.localtime(session.start).replace(hour=0, minute=0, second=0)
        appointments = {
            appt.patient_id: appt.start
            for appt in Appointment.objects.attending().filter(
                clinic=session.clinic,
                patient__in=walk_ins,
                start__gte=day_start,
                start__lt=day_start + dt.timedelta(days=1),
            )
        }
        patients += [(p, None, appointments.get(p.pk)) for p in walk_ins]
    rows = []
    for position, (patient, state, appointment_at) in enumerate(patients, start=1):
        rows.append(
            RunSheetRow(
                patient_id=patient.pk,
                label=_woman_label(patient, position),
                real_name=(f"{patient.first_name} {patient.family_name}" if professional else None),
                hospital_number=patient.hospital_number if professional else None,
                invitation_state=state,
                appointment_at=appointment_at,
                interpreter_needed=patient.interpreter_needed,
                language=language_name(patient.preferred_language),
                attendance=attendances.get(patient.pk),
            )
        )
    return RunSheet(session=session, rows=rows, version=version)


def attendees(session: WaitingRoomSession) -> QuerySet[Patient]:
    """Women who came, for the concern form's choice of whom it is about."""
    from .models import AttendanceStatus

    came = [AttendanceStatus.ATTENDED, AttendanceStatus.LATE, AttendanceStatus.LEFT_FOR_APPOINTMENT]
    return (
        Patient.objects.filter(attendances__session=session, attendances__status__in=came)
        .select_related("user")
        .order_by("pk")
    )


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
        .filter(clinic__in=staff_clinics(user, Role.COORDINATOR))
        .select_related("clinic")
        .order_by("raised_at")
    )


def concerns_raised_by(user: User, clinic: Clinic) -> QuerySet[Concern]:
    return Concern.objects.filter(clinic=clinic, raised_by=user).order_by("-raised_at")


# --- Governance -------------------------------------------------------------------------------


@dataclass
class PeerSupporterStanding:
    user: User
    record: PeerSupporterRecord | None
    problems: list[str]
    sessions_without_debrief: int

    @property
    def is_ok(self) -> bool:
        return not self.problems and not self.sessions_without_debrief


def peer_supporter_standing(
    clinic: Clinic, *, today: dt.date | None = None
) -> list[PeerSupporterStanding]:
    """Each peer supporter at the clinic: training, DBS (expired or due for renewal) and
    debriefs overdue (a session ended over a week ago with none logged). Three queries."""
    today = today or timezone.localdate()
    users = list(
        User.objects.filter(
            staff_roles__clinic=clinic, staff_roles__role=Role.PEER_SUPPORTER, is_active=True
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
    return (
        User.objects.filter(
            is_active=True,
            staff_roles__clinic=clinic,
            staff_roles__role__in=PROFESSIONAL_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )
