"""The demo's part of `sessions.measures`: a year of weekly history, so every chart on the
measures page has a story to tell.

Fifty-two whole weeks before this one, each with one completed session (the cohorts take turns)
for sixteen of the demo's women: invitations sent and answered, attendance, check-in and
called-in times, concerns (closed long ago) and posts in the online groups by fourteen women with
accounts nobody signs in to. Half-way through the year peer support "started": a rebase date
for every chart, after which more women accept and come and waits are shorter, so the charts
show a step change with limits worked out afresh.

Run again in the same week it changes nothing; in a later week it is rebuilt (a few thousand
rows, bulk-created) so that its weeks stay the year before today. The history is known by its
own appointment source and thread title, and by sessions nobody created (the demo's current
sessions are the coordinator's).
"""

from __future__ import annotations

import datetime as dt
import random

from groups.models import Cohort, Post, Thread
from sessions.facilitation.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Concern,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
)
from sessions.invitations.models import Invitation, InvitationState
from sessions.measures.models import MeasureRebase
from sessions.models import Appointment, AppointmentStatus, Patient, SessionStatus
from sessions.models import WaitingRoomSession as Session
from sessions.periods import period_start
from waitroom.models import Clinic, User

HISTORY_SOURCE = "demo-riverside-history"
HISTORY_AUTHORS = 14  # women with accounts who post in the groups
HISTORY_THREAD = "How did your appointment go?"
WEEKS = 52
REBASE_REASON = "Peer support sessions started"
POST_WORDS = [
    "Waited ages again but the group made it fly by.",
    "Thanks for the tip about the car park!",
    "Anyone else finding the heartburn worse this week?",
    "Seen in 20 minutes today, that was a first.",
    "Lovely to meet you all on Tuesday.",
    "The midwife said the group is running every week now.",
]

# (before, after) peer support started: what the charts should show changing.
ACCEPTANCE = (0.6, 0.8)
ATTENDANCE = (0.72, 0.88)
WAIT_IN_ROOM = (62, 41)  # typical minutes from check-in to called
INVITED_A_WEEK = 16
POSTS_PER_WEEK = (11, 22)


def seed_measures_history(
    clinic: Clinic,
    cohorts: dict[str, Cohort],
    patients: list[Patient],
    users: dict[str, User],
    *,
    today: dt.date,
    rng: random.Random,
) -> int:
    """Bring the year of history up to date; returns the number of sessions in it."""
    this_week = period_start(today, "week")
    first_week = this_week - dt.timedelta(weeks=WEEKS)
    rebase_on = this_week - dt.timedelta(weeks=WEEKS // 2)
    women = patients[1:]  # not the demo member: her own history is her sessions to come
    authors = _authors(women[:HISTORY_AUTHORS])
    before = dt.datetime.combine(this_week, dt.time.min, clinic.zone)
    history = Session.objects.filter(clinic=clinic, created_by=None, start__lt=before)
    first = dt.datetime.combine(first_week, dt.time.min, clinic.zone)
    if history.filter(start__gte=first).count() == WEEKS == history.count():
        return WEEKS  # this week's history is there already
    _remove_history(clinic, history)
    MeasureRebase.objects.filter(clinic=clinic, reason=REBASE_REASON).delete()
    MeasureRebase.objects.create(
        clinic=clinic, measure="", starts_on=rebase_on, reason=REBASE_REASON
    )
    cohort_list = [cohorts[slug] for slug in sorted(cohorts)]
    threads = Thread.objects.bulk_create(
        Thread(cohort=c, author=authors[0], title=HISTORY_THREAD) for c in cohort_list
    )
    sessions, appointments, invitations, attendances, concerns, posts = [], [], [], [], [], []
    for week in range(WEEKS):
        monday = first_week + dt.timedelta(weeks=week)
        after = monday >= rebase_on
        cohort = cohort_list[week % len(cohort_list)]
        start = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(10), clinic.zone)
        session = Session(
            clinic=clinic,
            cohort=cohort,
            start=start,
            end=start + dt.timedelta(minutes=45),
            location="Bay 2, by the windows",
            capacity=12,
            topic="Getting ready for the birth",
            status=SessionStatus.COMPLETED,
        )
        sessions.append(session)
        for n, woman in enumerate(rng.sample(women, INVITED_A_WEEK)):
            booked = start + dt.timedelta(minutes=rng.choice([10, 20, 30, 40, 50]))
            appointment = Appointment(
                source=HISTORY_SOURCE,
                external_id=f"{monday:%Y%m%d}-{n}",
                patient=woman,
                clinic=clinic,
                start=booked,
                status=AppointmentStatus.FULFILLED,
            )
            appointments.append(appointment)
            accepted = rng.random() < ACCEPTANCE[after]
            state = (
                InvitationState.ACCEPTED
                if accepted
                else rng.choice([InvitationState.DECLINED, InvitationState.SENT])
            )
            invitations.append((session, woman, appointment, state))
            if not accepted or rng.random() > ATTENDANCE[after]:
                continue
            checked_in = start - dt.timedelta(minutes=rng.randint(0, 15))
            waited = max(5.0, rng.gauss(WAIT_IN_ROOM[after], 8))
            called = checked_in + dt.timedelta(minutes=round(waited))
            attendances.append((session, woman, checked_in, called))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            concerns.append((session, start + dt.timedelta(minutes=30)))
        thread = threads[week % len(threads)]
        for _ in range(max(0, round(rng.gauss(POSTS_PER_WEEK[after], 2)))):
            posts.append(
                Post(
                    thread=thread,
                    author=rng.choice(authors),
                    body=rng.choice(POST_WORDS),
                    created_at=start
                    + dt.timedelta(days=rng.randint(0, 5), hours=rng.randint(2, 9)),
                )
            )
    Session.objects.bulk_create(sessions)
    facilitator = users["facilitator"]
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(waitingroomsession_id=s.pk, user_id=facilitator.pk)
        for s in sessions
    )
    Appointment.objects.bulk_create(appointments, batch_size=500)
    Invitation.objects.bulk_create(
        (
            Invitation(
                session=s,
                patient=w,
                appointment=a,
                state=state,
                answered_at=None
                if state == InvitationState.SENT
                else s.start - dt.timedelta(days=3),
                created_at=s.start - dt.timedelta(days=8),
            )
            for s, w, a, state in invitations
        ),
        batch_size=500,
    )
    Attendance.objects.bulk_create(
        (
            Attendance(
                session=s,
                patient=w,
                status=AttendanceStatus.LEFT_FOR_APPOINTMENT,
                method=CheckInMethod.QR_CODE,
                checked_in_at=checked_in,
                called_at=called,
                left_at=called,
                recorded_by=facilitator,
                updated_at=called,
            )
            for s, w, checked_in, called in attendances
        ),
        batch_size=500,
    )
    Concern.objects.bulk_create(
        Concern(
            clinic=clinic,
            session=s,
            category=ConcernCategory.OTHER,
            urgency=ConcernUrgency.ROUTINE,
            description="Asked for help with a housing problem.",
            raised_by=facilitator,
            raised_at=at,
            assignee=users["coordinator"],
            status=ConcernStatus.CLOSED,
            acknowledged_by=users["coordinator"],
            acknowledged_at=at,
            closed_by=users["coordinator"],
            closed_at=at + dt.timedelta(days=1),
            outcome="Signposted to the hospital's housing adviser.",
        )
        for s, at in concerns
    )
    Post.objects.bulk_create(posts, batch_size=500)
    return len(sessions)


def _remove_history(clinic: Clinic, history) -> None:
    Concern.objects.filter(session__in=history).delete()
    history.delete()  # its invitations and attendances go with it
    Appointment.objects.filter(source=HISTORY_SOURCE).delete()
    Thread.objects.filter(title=HISTORY_THREAD, cohort__clinics=clinic).delete()


def _authors(women: list[Patient]) -> list[User]:
    """Accounts for the women who post: unusable passwords, so nobody signs in as them."""
    authors = []
    for woman in women:
        email = f"posts.{woman.hospital_number.lower()}@example.com"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, display_name=woman.given_name
            )
        if woman.user_id != user.pk:
            woman.user = user
            woman.save(update_fields=["user"])
        authors.append(user)
    return authors
