"""Groups reads find only what is the clinic's or hers.

Written to kill the mutants `make mutate` left alive in groups/selectors.py (the member's reads
are now in groups/members/selectors.py): dropping one of these filters failed no test before.
"""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from groups import selectors
from groups.members import selectors as member_selectors
from groups.models import JoinRequest, MembershipStatus, Post, Thread
from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)
from tests.members.builders import group_member

pytestmark = pytest.mark.django_db


def _post(cohort, author, body, **fields):
    thread = Thread.objects.create(cohort=cohort, author=author, title="T")
    return Post.objects.create(thread=thread, author=author, body=body, **fields)


def test_moderation_queue_holds_only_the_clinics_cohorts_and_live_posts(clinic, other_clinic):
    ours = CohortFactory(clinics=[clinic])
    theirs = CohortFactory(clinics=[other_clinic])
    # She attends both clinics, and is in a group only Hillside runs.
    woman = group_member(ours, display_name="Both", clinic=clinic)
    AppointmentFactory(patient=woman.patient, clinic=other_clinic)
    CohortMembershipFactory(cohort=theirs, patient=woman.patient)
    here = _post(ours, woman, "in our group")
    _post(theirs, woman, "in their group")
    _post(ours, woman, "removed", removed_at=timezone.now())

    assert [p.pk for p in selectors.moderation_queue(clinic)] == [here.pk]


def test_moderation_queue_keeps_reported_and_hidden_posts_and_the_last_fortnight(clinic):
    cohort = CohortFactory(clinics=[clinic])
    woman = group_member(cohort, display_name="W", clinic=clinic)
    reader = group_member(cohort, display_name="R", clinic=clinic)
    old = timezone.now() - dt.timedelta(days=30)
    recent = _post(cohort, woman, "recent", created_at=timezone.now() - dt.timedelta(days=13))
    _post(cohort, woman, "old and quiet", created_at=old)
    _post(cohort, woman, "fifteen days", created_at=timezone.now() - dt.timedelta(days=15))
    reported = _post(cohort, woman, "old, reported once", created_at=old)
    reported.reports.create(reporter=reader, reason="other")
    resolved = _post(cohort, woman, "old, report dealt with", created_at=old)
    resolved.reports.create(reporter=reader, reason="other", resolved_at=timezone.now())
    hidden = _post(cohort, woman, "old, hidden", created_at=old, hidden_at=timezone.now())

    queue = selectors.moderation_queue(clinic)

    assert [p.body for p in queue] == [reported.body, recent.body, hidden.body]
    assert [p.open_reports for p in queue] == [1, 0, 0]
    assert [len(p.unresolved) for p in queue] == [1, 0, 0]


def _today_session(clinic, cohort, **fields):
    now = timezone.now()
    return WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=max(
            now - dt.timedelta(minutes=5),
            timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min)),
        ),
        end=now + dt.timedelta(minutes=40),
        **fields,
    )


def test_check_in_lists_only_this_clinics_sessions_today_for_her(clinic, other_clinic):
    cohort = CohortFactory(clinics=[clinic, other_clinic])
    patient = PatientFactory(organisation=clinic.organisation)
    CohortMembershipFactory(cohort=cohort, patient=patient)
    here = _today_session(clinic, cohort)
    _today_session(other_clinic, cohort)
    _today_session(clinic, CohortFactory(clinics=[clinic]))  # not her cohort
    WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=timezone.now() + dt.timedelta(days=1),
        end=timezone.now() + dt.timedelta(days=1, minutes=45),
    )
    Attendance.objects.create(
        session=here,
        patient=patient,
        status=AttendanceStatus.ATTENDED,
        method=CheckInMethod.QR_CODE,
        checked_in_at=timezone.now(),
    )
    someone = PatientFactory(organisation=clinic.organisation)
    sessions = member_selectors.sessions_today_for_member(clinic, patient)
    assert sessions == [here]
    assert sessions[0].checked_in is True
    assert member_selectors.sessions_today_for_member(clinic, someone) == []


def test_one_session_to_check_in_to_is_hers_at_this_clinic(clinic, other_clinic):
    cohort = CohortFactory(clinics=[clinic, other_clinic])
    patient = PatientFactory(organisation=clinic.organisation)
    CohortMembershipFactory(cohort=cohort, patient=patient)
    first = _today_session(clinic, cohort)
    second = _today_session(clinic, cohort)
    there = _today_session(other_clinic, cohort)
    not_hers = _today_session(clinic, CohortFactory(clinics=[clinic]))
    assert member_selectors.session_today_for_member(clinic, patient, second.pk) == second
    assert member_selectors.session_today_for_member(clinic, patient, first.pk) == first
    for session in (there, not_hers):
        with pytest.raises(Http404):
            member_selectors.session_today_for_member(clinic, patient, session.pk)


def test_her_own_pending_request_is_marked_not_another_womans(clinic):
    cohort = CohortFactory(clinics=[clinic])
    other = CohortFactory(clinics=[clinic])
    patient = PatientFactory(organisation=clinic.organisation)
    AppointmentFactory(patient=patient, clinic=clinic)
    someone = PatientFactory(organisation=clinic.organisation)
    JoinRequest.objects.create(cohort=cohort, patient=someone)
    JoinRequest.objects.create(cohort=other, patient=patient)
    requested = {c.pk: c.requested for c in member_selectors.requestable_cohorts(patient)}
    assert requested == {cohort.pk: False, other.pk: True}


def test_groups_she_may_join_are_those_she_has_not_joined(clinic):
    joined = CohortFactory(clinics=[clinic])
    not_yet = CohortFactory(clinics=[clinic])
    user = group_member(joined, display_name="J", clinic=clinic)
    CohortMembershipFactory(cohort=not_yet, patient=user.patient, status=MembershipStatus.ACTIVE)
    assert [m.cohort for m in member_selectors.joinable_memberships(user.patient)] == [not_yet]
