"""Accepting and declining: capacity, the waiting list, promotion, and final declines."""

import pytest

from sessions.invitations.models import Invitation, InvitationState, Message, MessageKind
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.services import (
    InvitationClosed,
    invitation_accept,
    invitation_decline,
)
from sessions.models import SessionStatus

from .conftest import NOW, make_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(clinic):
    from .conftest import SESSION_START

    day = make_day(clinic, SESSION_START, capacity=2)
    women = [day.woman(10, 5 + i)[0] for i in range(4)]
    plan_invitations_for_session(day.session.pk, now=NOW)
    invitations = [Invitation.objects.get(patient=w) for w in women]
    return day, invitations


def kinds(invitation):
    return set(Message.objects.filter(invitation=invitation).values_list("kind", flat=True))


def test_accepting_up_to_capacity_confirms_and_beyond_it_puts_her_on_the_waiting_list(small):
    day, (a, b, c, d) = small
    assert invitation_accept(invitation=a, now=NOW).state == InvitationState.ACCEPTED
    assert invitation_accept(invitation=b, now=NOW).state == InvitationState.ACCEPTED
    assert invitation_accept(invitation=c, now=NOW).state == InvitationState.WAITING_LIST
    assert c.state == InvitationState.WAITING_LIST
    assert MessageKind.WAITING_LIST in kinds(c)
    assert MessageKind.SAME_DAY in kinds(a)


def test_accepting_twice_changes_nothing(small):
    _, (a, *_) = small
    invitation_accept(invitation=a, now=NOW)
    before = list(Message.objects.filter(invitation=a).values_list("pk", "status", "due_at"))
    invitation_accept(invitation=a, now=NOW)
    assert (
        list(Message.objects.filter(invitation=a).values_list("pk", "status", "due_at")) == before
    )


def test_a_freed_place_goes_to_the_first_on_the_waiting_list_who_is_told(small):
    _, (a, b, c, d) = small
    for invitation in (a, b, c, d):
        invitation_accept(invitation=invitation, now=NOW)
    invitation_decline(invitation=a, now=NOW)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.state == InvitationState.ACCEPTED
    assert MessageKind.PROMOTED in kinds(c)
    assert d.state == InvitationState.WAITING_LIST


def test_declining_is_final(small):
    _, (a, *_) = small
    invitation_decline(invitation=a, now=NOW)
    with pytest.raises(InvitationClosed):
        invitation_accept(invitation=a, now=NOW)
    assert Invitation.objects.get(pk=a.pk).state == InvitationState.DECLINED


def test_a_cancelled_session_cannot_be_accepted(small):
    day, (a, *_) = small
    day.session.status = SessionStatus.CANCELLED
    day.session.save()
    with pytest.raises(InvitationClosed):
        invitation_accept(invitation=a, now=NOW)


def test_the_planner_does_not_undo_answers(small):
    day, (a, b, c, d) = small
    for invitation in (a, b, c):
        invitation_accept(invitation=invitation, now=NOW)
    invitation_decline(invitation=d, now=NOW)
    result = plan_invitations_for_session(day.session.pk, now=NOW)
    assert not result.changed
    states = dict(Invitation.objects.values_list("pk", "state"))
    assert states[a.pk] == InvitationState.ACCEPTED
    assert states[c.pk] == InvitationState.WAITING_LIST
    assert states[d.pk] == InvitationState.DECLINED
