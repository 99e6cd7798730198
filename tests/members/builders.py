"""Small builders for members' tests: invitations, the link in her text, and group members."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from groups.models import CohortMembership, MembershipStatus
from sessions.invitations.models import Channel, Invitation, InvitationState, MessageKind
from sessions.invitations.wording import message_wording
from tests.artefacts import links_in, site_path
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def running_now() -> tuple[dt.datetime, dt.datetime]:
    """A session that started a few minutes ago today and runs on for a while."""
    now = timezone.now()
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    start = max(now - dt.timedelta(minutes=10), midnight)
    return start, now + dt.timedelta(minutes=30)


def session_running_now(clinic, cohort, *, facilitators, topic: str = "Eating well"):
    """A session of `cohort` at `clinic` that is running now, run by `facilitators`."""
    start, end = running_now()
    return WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=end,
        topic=topic,
        facilitators=facilitators,
    )


def invitation_for(
    clinic,
    *,
    patient=None,
    cohort=None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    state: str = InvitationState.SENT,
    facilitators=(),
    **session_fields,
) -> Invitation:
    cohort = cohort or CohortFactory(
        public_name="Twins and more group",
        public_description="Meet other women expecting twins.",
        clinics=[clinic],
    )
    patient = patient or PatientFactory(organisation=clinic.organisation)
    start = start or tomorrow_at(9, 45)
    end = end or start + dt.timedelta(minutes=45)
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=end,
        facilitators=list(facilitators),
        **session_fields,
    )
    appointment = AppointmentFactory(
        patient=patient, clinic=clinic, start=start + dt.timedelta(minutes=35)
    )
    CohortMembership.objects.get_or_create(
        cohort=cohort, patient=patient, defaults={"status": MembershipStatus.ACTIVE}
    )
    return Invitation.objects.create(
        session=session, patient=patient, appointment=appointment, state=state
    )


def link(invitation: Invitation) -> str:
    """The path of the link in her invitation text, as the system writes it (the words the
    planner stores and the sender sends), so a test opens what she would tap."""
    text = message_wording(
        invitation=invitation, kind=MessageKind.INVITATION, channel=Channel.SMS
    ).body
    [url] = links_in(text)
    return site_path(url)


def group_member(cohort, *, display_name: str, email: str | None = None, clinic=None):
    """A member who has joined `cohort`'s online group."""
    kwargs = {"display_name": display_name}
    if email:
        kwargs["email"] = email
    user = UserFactory(**kwargs)
    organisation = clinic.organisation if clinic else None
    patient = (
        PatientFactory(user=user, organisation=organisation)
        if organisation
        else PatientFactory(user=user)
    )
    if clinic is not None:
        AppointmentFactory(patient=patient, clinic=clinic, start=tomorrow_at(10))
    now = timezone.now()
    CohortMembershipFactory(
        cohort=cohort, patient=patient, group_joined_at=now, guidelines_accepted_at=now
    )
    return user
