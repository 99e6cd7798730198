"""Partner meetings: outside with a place and time, or in the waiting room as a session run by
one of the partner's volunteers, who must pass the peer supporter's training and DBS gate."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import GroupMeeting, Partner
from sessions.facilitation.models import PeerSupporterRecord
from sessions.models import SessionStatus
from tests.factories import CohortFactory, StaffRoleFactory, WaitingAreaPlaceFactory
from waitroom.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def url(name, clinic, **kwargs):
    return reverse(name, kwargs={"clinic_slug": clinic.slug, **kwargs})


@pytest.fixture
def cohort(clinic):
    return CohortFactory(clinics=[clinic], staff_name="Twin pregnancy list")


@pytest.fixture
def volunteer(clinic):
    user = StaffRoleFactory(
        clinic=clinic, role=Role.PEER_SUPPORTER, user__first_name="Jo", user__last_name="Bloggs"
    ).user
    PeerSupporterRecord.objects.create(
        user=user,
        training_completed_on=clinic.today() - dt.timedelta(days=100),
        dbs_checked_on=clinic.today() - dt.timedelta(days=100),
        dbs_expires_on=clinic.today() + dt.timedelta(days=300),
    )
    return user


@pytest.fixture
def partner(clinic, volunteer):
    partner = Partner.objects.create(clinic=clinic, name="Twins Trust")
    partner.volunteers.add(volunteer)
    return partner


def day_fields(day: dt.date, prefix: str = "date") -> dict:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def in_room_form(clinic, partner, volunteer, cohort, **changes) -> dict:
    place = WaitingAreaPlaceFactory(clinic=clinic, name="Bay 4")
    values = {
        "partner": partner.pk,
        "title": "Meet other parents of twins",
        "volunteer": volunteer.pk,
        "cohort": cohort.pk,
        **day_fields(clinic.today() + dt.timedelta(days=7)),
        "start_time": "11:00",
        "end_time": "11:45",
        "place": place.pk,
        "capacity": "10",
        "partners_welcome": "on",
    }
    values.update(changes)
    return values


def test_a_meeting_outside_is_added_for_the_chosen_groups(
    client, coordinator, clinic, partner, cohort
):
    client.force_login(coordinator)
    day = clinic.today() + dt.timedelta(days=5)
    response = client.post(
        url("partner_meeting_create_outside", clinic),
        {
            "partner": partner.pk,
            "title": "Twins coffee morning",
            **day_fields(day),
            "time": "11:30",
            "place": "The café on the ground floor",
            "cohorts": [cohort.pk],
        },
    )
    assert response.status_code == 302
    meeting = GroupMeeting.objects.get()
    assert (meeting.clinic, meeting.partner, meeting.session) == (clinic, partner, None)
    assert meeting.starts_at == dt.datetime.combine(day, dt.time(11, 30), tzinfo=clinic.zone)
    assert list(meeting.cohorts.all()) == [cohort]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, clinic=clinic, object_id=str(meeting.pk)
    ).exists()
    listed = client.get(url("partner_meeting_list", clinic)).content.decode()
    assert "Twins coffee morning" in listed and "The café on the ground floor" in listed


def test_a_meeting_outside_needs_a_place_or_link_and_a_future_time(
    client, coordinator, clinic, partner, cohort
):
    client.force_login(coordinator)
    response = client.post(
        url("partner_meeting_create_outside", clinic),
        {
            "partner": partner.pk,
            "title": "Coffee",
            **day_fields(clinic.today() - dt.timedelta(days=1)),
            "time": "11:30",
            "cohorts": [cohort.pk],
        },
    )
    body = response.content.decode()
    assert 'href="#id_place">Enter where the meeting is, or a link to it</a>' in body
    assert "The meeting must be in the future" in body
    assert not GroupMeeting.objects.exists()


def test_a_meeting_outside_is_removed_and_audited(client, coordinator, clinic, partner, cohort):
    meeting = GroupMeeting.objects.create(
        clinic=clinic,
        partner=partner,
        title="Coffee",
        starts_at=dt.datetime.combine(
            clinic.today() + dt.timedelta(days=2), dt.time(11), tzinfo=clinic.zone
        ),
        place="The café",
    )
    client.force_login(coordinator)
    client.post(url("partner_meeting_remove", clinic, meeting_id=meeting.pk))
    assert not GroupMeeting.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, clinic=clinic).exists()


def test_a_waiting_room_meeting_is_a_draft_session_run_by_the_volunteer(
    client, coordinator, clinic, partner, volunteer, cohort
):
    client.force_login(coordinator)
    response = client.post(
        url("partner_meeting_create_in_waiting_room", clinic),
        in_room_form(clinic, partner, volunteer, cohort),
    )
    assert response.status_code == 302
    meeting = GroupMeeting.objects.select_related("session").get()
    session = meeting.session
    assert response["Location"] == url("session_detail", clinic, session_id=session.pk)
    assert session.status == SessionStatus.DRAFT
    assert list(session.facilitators.all()) == [volunteer]
    assert (session.cohort, session.capacity, session.partners_welcome) == (cohort, 10, True)
    assert (meeting.partner, meeting.place, meeting.starts_at) == (partner, "Bay 4", session.start)
    # The volunteer runs it with a peer supporter's view: the run sheet, not the partner pages.
    client.force_login(volunteer)
    assert client.get(reverse("run_sheet", args=[clinic.slug, session.pk])).status_code == 200
    assert client.get(url("partner_meeting_list", clinic)).status_code == 403
    # A waiting-room meeting is cancelled as a session, so the women invited are told.
    client.force_login(coordinator)
    client.post(url("partner_meeting_remove", clinic, meeting_id=meeting.pk))
    assert GroupMeeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize(
    "record, refusal",
    [
        ({"training_completed_on": None}, "has not completed peer supporter training"),
        ({"dbs_expires_on": "yesterday"}, "her DBS check expired on"),
        ({"dbs_expires_on": None}, "has no DBS check recorded"),
    ],
)
def test_a_volunteer_without_training_or_a_current_dbs_check_cannot_run_it(
    client, coordinator, clinic, partner, volunteer, cohort, record, refusal
):
    if record.get("dbs_expires_on") == "yesterday":
        record = {"dbs_expires_on": clinic.today() - dt.timedelta(days=1)}
    PeerSupporterRecord.objects.filter(user=volunteer).update(**record)
    client.force_login(coordinator)
    response = client.post(
        url("partner_meeting_create_in_waiting_room", clinic),
        in_room_form(clinic, partner, volunteer, cohort),
    )
    body = response.content.decode()
    assert refusal in body
    assert 'href="#id_volunteer">' in body
    assert not GroupMeeting.objects.exists()


def test_only_the_partners_own_volunteers_who_are_still_peer_supporters_may_run_it(
    client, coordinator, clinic, partner, volunteer, cohort, peer_supporter
):
    other = Partner.objects.create(clinic=clinic, name="NCT")
    other.volunteers.add(peer_supporter)
    PeerSupporterRecord.objects.create(
        user=peer_supporter,
        training_completed_on=clinic.today() - dt.timedelta(days=10),
        dbs_checked_on=clinic.today() - dt.timedelta(days=10),
        dbs_expires_on=clinic.today() + dt.timedelta(days=300),
    )
    client.force_login(coordinator)
    response = client.post(
        url("partner_meeting_create_in_waiting_room", clinic),
        in_room_form(clinic, partner, peer_supporter, cohort),
    )
    assert "is not a volunteer for Twins Trust" in response.content.decode()
    # Her peer supporter role ends: she is no longer offered, nor accepted.
    volunteer.staff_roles.update(deactivated_at=timezone.now())
    response = client.post(
        url("partner_meeting_create_in_waiting_room", clinic),
        in_room_form(clinic, partner, volunteer, cohort),
    )
    assert "Choose one of the partners&#x27; volunteers at this clinic" in (
        response.content.decode()
    )
    assert not GroupMeeting.objects.exists()
