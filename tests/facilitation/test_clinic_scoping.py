"""Each facilitation read is scoped to the clinic (and the person) it is for.

Written to kill the mutants `make mutate` left alive in sessions/facilitation/selectors.py:
removing a clinic, role or person filter from these reads failed no test before.
"""

import datetime as dt

import pytest
from django.utils import timezone

from sessions.facilitation.models import (
    Concern,
    ConcernUrgency,
    Debrief,
    PeerSupporterRecord,
)
from sessions.facilitation.selectors import (
    clinic_professionals,
    debriefs_to_confirm,
    peer_supporter_standing,
    urgent_concerns_for,
)
from sessions.models import SessionStatus
from tests.factories import PatientFactory, StaffRoleFactory, UserFactory, WaitingRoomSessionFactory
from waitroom.models import Role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 6, 12)


def _urgent_concern(clinic, raised_by):
    return Concern.objects.create(
        clinic=clinic,
        session=WaitingRoomSessionFactory(clinic=clinic),
        patient=PatientFactory(organisation=clinic.organisation),
        category="other",
        urgency=ConcernUrgency.URGENT,
        description="Urgent",
        raised_by=raised_by,
    )


def test_urgent_concerns_show_only_to_coordinators_of_their_clinic(
    clinic, other_clinic, coordinator, other_coordinator, facilitator
):
    concern = _urgent_concern(clinic, facilitator)
    assert list(urgent_concerns_for(coordinator)) == [concern]
    assert list(urgent_concerns_for(facilitator)) == []
    assert list(urgent_concerns_for(other_coordinator)) == []


def test_debriefs_to_confirm_are_only_those_named_to_her(clinic, facilitator, peer_supporter):
    other_professional = StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR).user
    session = WaitingRoomSessionFactory(clinic=clinic, facilitators=[peer_supporter])
    mine = Debrief.objects.create(
        session=session, peer_supporter=peer_supporter, professional=facilitator, went_well="x"
    )
    Debrief.objects.create(
        session=WaitingRoomSessionFactory(clinic=clinic),
        peer_supporter=peer_supporter,
        professional=other_professional,
        went_well="y",
    )
    Debrief.objects.create(
        session=WaitingRoomSessionFactory(clinic=clinic),
        peer_supporter=peer_supporter,
        professional=facilitator,
        went_well="z",
        confirmed_at=timezone.now(),
    )
    assert list(debriefs_to_confirm(facilitator)) == [mine]


def test_clinic_professionals_are_this_clinics_active_coordinators_and_facilitators(
    clinic, other_clinic, coordinator, facilitator, peer_supporter, other_coordinator
):
    gone = StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR, user__is_active=False).user
    professionals = set(clinic_professionals(clinic))
    assert professionals == {coordinator, facilitator}
    assert other_coordinator not in professionals
    assert gone not in professionals


@pytest.fixture
def peer_at(db):
    def make(clinic, **record):
        user = StaffRoleFactory(clinic=clinic, role=Role.PEER_SUPPORTER).user
        if record is not None and record != {"none": True}:
            PeerSupporterRecord.objects.create(user=user, **record)
        return user

    return make


GOOD = {
    "training_completed_on": TODAY - dt.timedelta(days=100),
    "dbs_checked_on": TODAY - dt.timedelta(days=100),
    "dbs_expires_on": TODAY + dt.timedelta(days=365),
}


def _standing(clinic, user):
    [standing] = [s for s in peer_supporter_standing(clinic, today=TODAY) if s.user == user]
    return standing


def test_standing_lists_only_this_clinics_active_peer_supporters(
    clinic, other_clinic, facilitator, peer_at
):
    here = peer_at(clinic, **GOOD)
    there = peer_at(other_clinic, **GOOD)
    gone = peer_at(clinic, **GOOD)
    gone.is_active = False
    gone.save()
    users = [s.user for s in peer_supporter_standing(clinic, today=TODAY)]
    assert users == [here]
    assert there not in users
    assert facilitator not in users


@pytest.mark.parametrize(
    ("record", "problems"),
    [
        ({"none": True}, ["Training not recorded", "No DBS check recorded"]),
        ({**GOOD, "training_completed_on": None}, ["Training not recorded"]),
        ({**GOOD, "dbs_expires_on": None}, ["No DBS check recorded"]),
        ({**GOOD, "dbs_expires_on": TODAY - dt.timedelta(days=1)}, ["DBS check expired"]),
        ({**GOOD, "dbs_expires_on": TODAY}, ["DBS check due for renewal"]),
        ({**GOOD, "dbs_expires_on": TODAY + dt.timedelta(days=60)}, ["DBS check due for renewal"]),
        ({**GOOD, "dbs_expires_on": TODAY + dt.timedelta(days=61)}, []),
    ],
)
def test_standing_names_each_problem(clinic, peer_at, record, problems):
    user = peer_at(clinic, **record)
    standing = _standing(clinic, user)
    assert standing.problems == problems
    if record != {"none": True}:
        assert standing.record.user == user


def test_standing_counts_her_past_sessions_here_without_a_debrief(
    clinic, other_clinic, facilitator, peer_at
):
    user = peer_at(clinic, **GOOD)
    other_peer = peer_at(clinic, **GOOD)
    long_ago = timezone.now() - dt.timedelta(days=20)

    def session(at_clinic, **extra):
        return WaitingRoomSessionFactory(
            clinic=at_clinic,
            start=long_ago,
            end=long_ago + dt.timedelta(minutes=45),
            facilitators=[user],
            **extra,
        )

    session(clinic)
    session(clinic)
    debriefed = session(clinic)
    Debrief.objects.create(
        session=debriefed, peer_supporter=user, professional=facilitator, went_well="ok"
    )
    # A debrief by someone else for a session she ran does not count as hers.
    not_hers = session(clinic)
    Debrief.objects.create(
        session=not_hers, peer_supporter=other_peer, professional=facilitator, went_well="ok"
    )
    session(clinic, status=SessionStatus.CANCELLED)
    session(other_clinic)
    WaitingRoomSessionFactory(
        clinic=clinic,
        start=timezone.now() - dt.timedelta(days=2),
        end=timezone.now() - dt.timedelta(days=2) + dt.timedelta(minutes=45),
        facilitators=[user],
    )  # too recent to be overdue

    assert _standing(clinic, user).sessions_without_debrief == 3
    assert _standing(clinic, other_peer).sessions_without_debrief == 0


def test_standings_are_in_name_order(clinic, peer_at):
    names = [("Bea", "Zed"), ("Ann", "Young"), ("Ann", "Xu")]
    for first, last in names:
        user = peer_at(clinic, **GOOD)
        user.first_name, user.last_name = first, last
        user.save()
    ordered = [(s.user.first_name, s.user.last_name) for s in peer_supporter_standing(clinic)]
    assert ordered == [("Ann", "Xu"), ("Ann", "Young"), ("Bea", "Zed")]


def test_professionals_are_in_name_order(clinic):
    for first, last, email in [("Bea", "Zed", "a@x.nhs.uk"), ("Ann", "Young", "b@x.nhs.uk")]:
        StaffRoleFactory(
            clinic=clinic,
            role=Role.FACILITATOR,
            user__first_name=first,
            user__last_name=last,
            user__email=email,
        )
    same = UserFactory(first_name="Ann", last_name="Young", email="c@x.nhs.uk")
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR, user=same)
    emails = [u.email for u in clinic_professionals(clinic)]
    assert emails == ["b@x.nhs.uk", "c@x.nhs.uk", "a@x.nhs.uk"]


def test_a_role_at_one_clinic_gives_nothing_at_another(clinic, other_clinic, facilitator):
    """A facilitator here who coordinates elsewhere is not a coordinator here."""
    from django.http import Http404

    from waitroom.access import clinic_for_user

    StaffRoleFactory(clinic=other_clinic, role=Role.COORDINATOR, user=facilitator)
    assert clinic_for_user(facilitator, other_clinic.slug, Role.COORDINATOR) == other_clinic
    assert clinic_for_user(facilitator, clinic.slug, Role.FACILITATOR) == clinic
    with pytest.raises(Http404):
        clinic_for_user(facilitator, clinic.slug, Role.COORDINATOR)


def test_a_coordinator_elsewhere_cannot_open_this_clinics_coordinator_pages(
    client, clinic, other_clinic, facilitator
):
    from django.urls import reverse

    StaffRoleFactory(clinic=other_clinic, role=Role.COORDINATOR, user=facilitator)
    client.force_login(facilitator)
    assert client.get(reverse("concern_queue", args=[clinic.slug])).status_code == 404
    assert client.get(reverse("concern_queue", args=[other_clinic.slug])).status_code == 200


def test_no_role_at_a_clinic_is_not_professional_there(clinic, other_clinic, facilitator):
    from sessions.facilitation.selectors import is_coordinator, is_professional

    assert is_professional(facilitator, clinic)
    assert not is_professional(facilitator, other_clinic)
    assert not is_coordinator(facilitator, other_clinic)


def test_a_peer_supporters_run_sheet_rows_carry_no_names_or_hospital_numbers(
    clinic, peer_supporter
):
    from sessions.facilitation.selectors import run_sheet
    from tests.members.builders import invitation_for

    invitation = invitation_for(clinic, facilitators=[peer_supporter])
    rows = run_sheet(invitation.session, professional=False).rows
    assert [r.patient_id for r in rows] == [invitation.patient_id]
    assert rows[0].hospital_number is None and rows[0].real_name is None
    professional = run_sheet(invitation.session, professional=True).rows
    assert professional[0].hospital_number == invitation.patient.hospital_number


def test_a_note_she_wrote_stays_hers_after_she_stops_running_the_session(clinic, peer_supporter):
    from sessions.facilitation.models import DiscussionNote
    from sessions.facilitation.selectors import notes_visible_to

    session = WaitingRoomSessionFactory(clinic=clinic)
    note = DiscussionNote.objects.create(session=session, author=peer_supporter, summary="Mine")
    DiscussionNote.objects.create(
        session=WaitingRoomSessionFactory(clinic=clinic),
        author=StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR).user,
        summary="Not mine",
    )
    assert list(notes_visible_to(peer_supporter, clinic)) == [note]
