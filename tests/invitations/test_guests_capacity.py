"""Families (issue 12): who comes with her takes a place, under the same lock as today."""

import threading

import pytest
from django.db import connection

from sessions.invitations.models import Invitation, InvitationState, Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.services import (
    GuestsNotWelcome,
    invitation_accept,
    invitation_decline,
)

from .conftest import NOW, SESSION_START, make_day

pytestmark = pytest.mark.django_db


def family_day(clinic, *, capacity: int, women: int, **welcome):
    day = make_day(clinic, SESSION_START, capacity=capacity, **welcome)
    patients = [day.woman(10, 5 + i)[0] for i in range(women)]
    plan_invitations_for_session(day.session.pk, now=NOW)
    return day, [Invitation.objects.get(patient=p) for p in patients]


def places_taken(session) -> int:
    return Invitation.objects.filter(session=session, state=InvitationState.ACCEPTED).places_taken()


def test_her_partner_and_child_take_a_place_each(clinic):
    day, (a, b) = family_day(
        clinic, capacity=4, women=2, partners_welcome=True, children_welcome=True
    )
    accepted = invitation_accept(invitation=a, adults_with_her=1, children_with_her=1, now=NOW)
    assert accepted.state == InvitationState.ACCEPTED
    assert places_taken(day.session) == 3
    # One place left: she fits alone, not with her partner.
    assert (
        invitation_accept(invitation=b, adults_with_her=1, now=NOW).state
        == InvitationState.WAITING_LIST
    )
    assert MessageKind.WAITING_LIST in set(
        Message.objects.filter(invitation=b).values_list("kind", flat=True)
    )
    assert places_taken(day.session) == 3


def test_she_alone_fits_in_the_last_place(clinic):
    day, (a, b) = family_day(clinic, capacity=3, women=2, children_welcome=True)
    invitation_accept(invitation=a, children_with_her=1, now=NOW)
    assert invitation_accept(invitation=b, now=NOW).state == InvitationState.ACCEPTED
    assert places_taken(day.session) == 3


@pytest.mark.parametrize(
    "welcome, people",
    [
        ({}, {"adults_with_her": 1}),
        ({}, {"children_with_her": 1}),
        ({"partners_welcome": True}, {"children_with_her": 2}),
        ({"children_welcome": True}, {"adults_with_her": 1}),
        ({"partners_welcome": True}, {"adults_with_her": 3}),
        ({"children_welcome": True}, {"children_with_her": 5}),
    ],
)
def test_people_the_session_does_not_welcome_are_refused_and_nothing_changes(
    clinic, welcome, people
):
    _, (a,) = family_day(clinic, capacity=8, women=1, **welcome)
    with pytest.raises(GuestsNotWelcome):
        invitation_accept(invitation=a, now=NOW, **people)
    a.refresh_from_db()
    assert (a.state, a.adults_with_her, a.children_with_her) == (InvitationState.PLANNED, 0, 0)


def test_a_freed_place_waits_for_the_first_party_that_fits_in_order(clinic):
    day, (a, b, c) = family_day(
        clinic, capacity=3, women=3, partners_welcome=True, children_welcome=True
    )
    invitation_accept(invitation=a, adults_with_her=1, now=NOW)  # 2 places
    invitation_accept(invitation=b, children_with_her=2, now=NOW)  # 3: waiting list
    invitation_accept(invitation=c, now=NOW)  # 1: fits now
    states = {inv.pk: Invitation.objects.get(pk=inv.pk).state for inv in (a, b, c)}
    assert states == {
        a.pk: InvitationState.ACCEPTED,
        b.pk: InvitationState.WAITING_LIST,
        c.pk: InvitationState.ACCEPTED,
    }
    # C leaves: one place free, B's party of three still does not fit, and waits.
    invitation_decline(invitation=c, now=NOW)
    assert Invitation.objects.get(pk=b.pk).state == InvitationState.WAITING_LIST
    # A leaves too: three places, B's party fits and is told.
    invitation_decline(invitation=a, now=NOW)
    assert Invitation.objects.get(pk=b.pk).state == InvitationState.ACCEPTED
    assert MessageKind.PROMOTED in set(
        Message.objects.filter(invitation=b).values_list("kind", flat=True)
    )
    assert places_taken(day.session) == 3


@pytest.mark.django_db(transaction=True)
def test_women_accepting_at_once_with_their_families_never_overfill_the_session(clinic):
    """Six women, each with her partner, accept at the same moment for 5 places: the session row
    lock makes them take turns, so exactly two parties get places (4 places) and no more."""
    day, invitations = family_day(clinic, capacity=5, women=6, partners_welcome=True)
    barrier = threading.Barrier(len(invitations))
    errors: list[BaseException] = []

    def accept(invitation):
        try:
            barrier.wait()
            invitation_accept(invitation=invitation, adults_with_her=1, now=NOW)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(inv,)) for inv in invitations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    states = list(Invitation.objects.filter(session=day.session).values_list("state", flat=True))
    assert states.count(InvitationState.ACCEPTED) == 2
    assert states.count(InvitationState.WAITING_LIST) == 4
    assert places_taken(day.session) == 4
