"""Every rule of the session form, with the words a midwife sees."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sessions.models import SessionStatus
from sessions.scheduling.forms import WaitingRoomSessionForm, session_initial_from_query
from tests.factories import (
    CohortFactory,
    StaffRoleFactory,
    WaitingAreaPlaceFactory,
    WaitingRoomSessionFactory,
)
from waitroom.models import Role

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def cohort(clinic):
    return CohortFactory(clinics=[clinic])


def data(group, /, **changes):
    place = WaitingAreaPlaceFactory(clinic=group.clinics.get(), name="Bay 2, by the windows")
    values = {
        "cohort": group.pk,
        "date_day": "4",
        "date_month": "6",
        "date_year": "2030",
        "start_time": "09:45",
        "end_time": "10:30",
        "place": place.pk,
        "capacity": "8",
        "topic": "",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def errors(form, field):
    form.is_valid()
    return form.errors.get(field, [])


def test_a_complete_form_is_valid_and_its_times_are_london_times(clinic, cohort, facilitator):
    form = WaitingRoomSessionForm(data(cohort, facilitators=[facilitator.pk]), clinic=clinic)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.datetime(2030, 6, 4, 9, 45, tzinfo=LONDON)
    assert form.cleaned_data["end"].utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("cohort", "Choose the group this session is for"),
        ("start_time", "Enter the time the session starts"),
        ("end_time", "Enter the time the session ends"),
        ("place", "Choose where in the waiting area the session will be"),
        ("capacity", "Enter how many women can join the session"),
    ],
)
def test_required_fields_say_what_to_enter(clinic, cohort, field, message):
    form = WaitingRoomSessionForm(data(cohort, **{field: ""}), clinic=clinic)
    assert errors(form, field) == [message]


def test_the_date_is_required(clinic, cohort):
    form = WaitingRoomSessionForm(
        data(cohort, date_day="", date_month="", date_year=""), clinic=clinic
    )
    assert errors(form, "date") == ["Enter the date of the session"]


def test_a_date_that_does_not_exist_is_refused(clinic, cohort):
    form = WaitingRoomSessionForm(data(cohort, date_day="31", date_month="2"), clinic=clinic)
    assert errors(form, "date") == ["Enter a real date, like 27 3 2026"]


def test_a_time_must_be_hours_and_minutes(clinic, cohort):
    form = WaitingRoomSessionForm(data(cohort, start_time="quarter to ten"), clinic=clinic)
    assert errors(form, "start_time") == [
        "Enter the start time as hours and minutes, for example 09:45"
    ]


@pytest.mark.parametrize("end_time", ["09:45", "09:00"])
def test_the_end_must_be_after_the_start(clinic, cohort, end_time):
    form = WaitingRoomSessionForm(data(cohort, end_time=end_time), clinic=clinic)
    assert errors(form, "end_time") == ["The end time must be after the start time"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("08:00", "08:45", "start_time"), ("17:00", "17:45", "end_time")],
)
def test_the_session_must_be_inside_opening_hours(clinic, cohort, start, end, field):
    form = WaitingRoomSessionForm(data(cohort, start_time=start, end_time=end), clinic=clinic)
    assert errors(form, field) == [
        "The session must be within the clinic's opening hours, 08:30 to 17:30"
    ]


def test_a_session_may_fill_the_opening_hours_exactly(clinic, cohort):
    form = WaitingRoomSessionForm(data(cohort, start_time="08:30", end_time="17:30"), clinic=clinic)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("capacity", ["0", "-3"])
def test_capacity_is_at_least_one(clinic, cohort, capacity):
    form = WaitingRoomSessionForm(data(cohort, capacity=capacity), clinic=clinic)
    assert errors(form, "capacity") == ["The session must have room for at least 1 woman"]


def test_capacity_is_a_whole_number(clinic, cohort):
    form = WaitingRoomSessionForm(data(cohort, capacity="eight"), clinic=clinic)
    assert errors(form, "capacity") == ["Enter the capacity as a whole number, like 8"]


def test_the_cohort_must_run_at_this_clinic(clinic, other_clinic):
    elsewhere = CohortFactory(clinics=[other_clinic])
    form = WaitingRoomSessionForm(data(elsewhere), clinic=clinic)
    assert errors(form, "cohort") == ["Choose a group that runs at this clinic"]


def test_facilitators_must_work_at_this_clinic(clinic, cohort, other_clinic, coordinator):
    outsider = StaffRoleFactory(clinic=other_clinic, role=Role.FACILITATOR).user
    for person in (outsider, coordinator):  # a coordinator alone does not run sessions
        form = WaitingRoomSessionForm(data(cohort, facilitators=[person.pk]), clinic=clinic)
        assert errors(form, "facilitators") == ["Choose facilitators who work at this clinic"]


def test_facilitators_and_peer_supporters_are_offered(
    clinic, cohort, facilitator, peer_supporter, coordinator
):
    offered = set(WaitingRoomSessionForm(clinic=clinic).fields["facilitators"].queryset)
    assert offered == {facilitator, peer_supporter}


def test_nobody_runs_two_sessions_at_once(clinic, cohort, facilitator):
    WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=dt.datetime(2030, 6, 4, 10, 0, tzinfo=LONDON),
        facilitators=[facilitator],
    )
    form = WaitingRoomSessionForm(data(cohort, facilitators=[facilitator.pk]), clinic=clinic)
    [message] = errors(form, "facilitators")
    assert "is already running a session at Riverside Antenatal Clinic from 10:00 to 10:45" in (
        message
    )


def test_back_to_back_and_cancelled_sessions_do_not_clash(clinic, cohort, facilitator):
    WaitingRoomSessionFactory(  # ends exactly as the new one starts
        clinic=clinic,
        cohort=cohort,
        start=dt.datetime(2030, 6, 4, 9, 0, tzinfo=LONDON),
        facilitators=[facilitator],
    )
    WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=dt.datetime(2030, 6, 4, 10, 0, tzinfo=LONDON),
        facilitators=[facilitator],
        status=SessionStatus.CANCELLED,
    )
    form = WaitingRoomSessionForm(data(cohort, facilitators=[facilitator.pk]), clinic=clinic)
    assert form.is_valid(), form.errors


def test_editing_a_session_does_not_clash_with_itself(clinic, cohort, facilitator):
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=dt.datetime(2030, 6, 4, 9, 45, tzinfo=LONDON),
        facilitators=[facilitator],
    )
    form = WaitingRoomSessionForm(
        data(cohort, facilitators=[facilitator.pk]), instance=session, clinic=clinic
    )
    assert form.is_valid(), form.errors
    assert WaitingRoomSessionForm(instance=session, clinic=clinic).initial["start_time"] == (
        dt.time(9, 45)
    )


def test_a_time_the_clocks_skip_is_refused(clinic, cohort):
    clinic.opens_at = dt.time(0, 30)
    clinic.save()
    form = WaitingRoomSessionForm(
        data(
            cohort,
            date_day="30",
            date_month="3",
            date_year="2031",
            start_time="01:30",
            end_time="02:30",
        ),
        clinic=clinic,
    )
    assert errors(form, "start_time") == ["The clocks go forward at that time: choose another"]


def test_a_suggestion_link_prefills_the_form(clinic, cohort):
    initial = session_initial_from_query(
        {
            "cohort": str(cohort.pk),
            "start": "2030-06-04T09:45+01:00",
            "end": "2030-06-04T10:30+01:00",
        },
        clinic=clinic,
    )
    assert initial == {
        "cohort": cohort.pk,
        "date": dt.date(2030, 6, 4),
        "start_time": dt.time(9, 45),
        "end_time": dt.time(10, 30),
    }


def test_a_garbled_suggestion_link_prefills_nothing(clinic):
    assert session_initial_from_query({"cohort": "x", "start": "soon"}, clinic=clinic) == {}


def _peer_supporter(clinic, **record):
    from sessions.facilitation.models import PeerSupporterRecord

    user = StaffRoleFactory(
        clinic=clinic, role=Role.PEER_SUPPORTER, user__first_name="Amira", user__last_name="Khan"
    ).user
    if record:
        PeerSupporterRecord.objects.create(user=user, **record)
    return user


def test_a_peer_supporter_without_training_cannot_be_assigned(clinic, cohort):
    volunteer = _peer_supporter(clinic)
    form = WaitingRoomSessionForm(data(cohort, facilitators=[volunteer.pk]), clinic=clinic)
    assert errors(form, "facilitators") == [
        "Amira Khan cannot be assigned: she has not completed peer supporter training. "
        "Record her training date first."
    ]


def test_a_peer_supporter_whose_dbs_check_expired_cannot_be_assigned(clinic, cohort):
    volunteer = _peer_supporter(
        clinic,
        training_completed_on=dt.date(2029, 1, 10),
        dbs_checked_on=dt.date(2027, 3, 1),
        dbs_expires_on=dt.date(2030, 3, 1),
    )
    form = WaitingRoomSessionForm(data(cohort, facilitators=[volunteer.pk]), clinic=clinic)
    assert errors(form, "facilitators") == [
        "Amira Khan cannot be assigned: her DBS check expired on 1 March 2030. "
        "It must be renewed first."
    ]


def test_a_trained_and_checked_peer_supporter_can_be_assigned(clinic, cohort):
    volunteer = _peer_supporter(
        clinic,
        training_completed_on=dt.date(2029, 1, 10),
        dbs_checked_on=dt.date(2029, 3, 1),
        dbs_expires_on=dt.date(2032, 3, 1),
    )
    form = WaitingRoomSessionForm(data(cohort, facilitators=[volunteer.pk]), clinic=clinic)
    assert form.is_valid(), form.errors
