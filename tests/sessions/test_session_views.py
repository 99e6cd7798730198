"""Creating, changing, publishing and cancelling sessions; who may; what it costs."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import Patient, SessionStatus, WaitingRoomSession
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingAreaPlaceFactory,
    WaitingRoomSessionFactory,
)
from tests.sessions.clinic_time import DAY, at
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(twins):
    return twins


@pytest.fixture
def draft(clinic, cohort):
    return WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=at(9, 45), status=SessionStatus.DRAFT
    )


def url(name, session):
    return reverse(name, kwargs={"clinic_slug": session.clinic.slug, "session_id": session.pk})


def form_data(cohort, **changes):
    place = WaitingAreaPlaceFactory(clinic=cohort.clinics.get(), name="Bay 2")
    values = {
        "cohort": cohort.pk,
        "date_day": "4",
        "date_month": "6",
        "date_year": "2030",
        "start_time": "10:00",
        "end_time": "10:45",
        "place": place.pk,
        "capacity": "6",
        "topic": "Feeding twins",
    }
    values.update(changes)
    return values


def test_the_new_session_form_is_prefilled_from_a_suggestion(client, coordinator, clinic, cohort):
    client.force_login(coordinator)
    response = client.get(
        reverse("session_create", args=[clinic.slug]),
        {"cohort": cohort.pk, "start": "2030-06-04T09:40+01:00", "end": "2030-06-04T10:25+01:00"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="09:40"' in body and 'value="10:25"' in body
    assert f'<option value="{cohort.pk}" selected>' in body


def test_a_coordinator_creates_a_draft_session(client, coordinator, clinic, cohort, facilitator):
    client.force_login(coordinator)
    response = client.post(
        reverse("session_create", args=[clinic.slug]),
        form_data(cohort, facilitators=[facilitator.pk]),
    )
    session = WaitingRoomSession.objects.get()
    assert response.status_code == 302
    assert response.url == url("session_detail", session)
    assert session.status == SessionStatus.DRAFT
    assert (session.clinic, session.cohort, session.start) == (clinic, cohort, at(10))
    assert session.created_by == coordinator
    assert list(session.facilitators.all()) == [facilitator]
    assert session.planning_due_at is None


def test_a_bad_form_comes_back_with_its_errors(client, coordinator, clinic, cohort):
    client.force_login(coordinator)
    response = client.post(
        reverse("session_create", args=[clinic.slug]), form_data(cohort, end_time="09:00")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "The end time must be after the start time" in body
    assert not WaitingRoomSession.objects.exists()


def test_a_coordinator_edits_a_session(client, coordinator, draft, cohort):
    client.force_login(coordinator)
    bay_5 = WaitingAreaPlaceFactory(clinic=draft.clinic, name="Bay 5")
    response = client.post(url("session_edit", draft), form_data(cohort, place=bay_5.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.location, draft.start, draft.planning_due_at) == ("Bay 5", at(10), None)
    assert draft.place == bay_5


def test_editing_a_published_session_replans_its_invitations(client, coordinator, draft, cohort):
    draft.status = SessionStatus.PUBLISHED
    draft.save()
    client.force_login(coordinator)
    client.post(url("session_edit", draft), form_data(cohort, start_time="11:00", end_time="11:30"))
    draft.refresh_from_db()
    assert draft.start == at(11)
    assert draft.planning_due_at is not None


def test_a_cancelled_session_cannot_be_edited(client, coordinator, draft, cohort):
    draft.status = SessionStatus.CANCELLED
    draft.save()
    client.force_login(coordinator)
    bay_5 = WaitingAreaPlaceFactory(clinic=draft.clinic, name="Bay 5")
    response = client.post(url("session_edit", draft), form_data(cohort, place=bay_5.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.location != "Bay 5"


def test_publishing_hands_the_session_to_planning(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(url("session_publish", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SessionStatus.PUBLISHED
    assert draft.published_at is not None
    assert draft.planning_due_at is not None


def test_publishing_twice_publishes_once(client, coordinator, draft):
    client.force_login(coordinator)
    client.post(url("session_publish", draft))
    draft.refresh_from_db()
    first = draft.published_at
    response = client.post(url("session_publish", draft), follow=True)
    draft.refresh_from_db()
    assert draft.published_at == first
    assert b"only a draft can be published" in response.content


def test_publishing_needs_a_post(client, coordinator, draft):
    client.force_login(coordinator)
    assert client.get(url("session_publish", draft)).status_code == 405


def test_cancelling_asks_first_then_keeps_the_state(client, coordinator, draft):
    draft.status = SessionStatus.PUBLISHED
    draft.save()
    client.force_login(coordinator)
    assert b"Women will be told" in client.get(url("session_cancel", draft)).content
    draft.refresh_from_db()
    assert draft.status == SessionStatus.PUBLISHED

    client.post(url("session_cancel", draft))

    draft.refresh_from_db()
    assert draft.status == SessionStatus.CANCELLED
    assert draft.cancelled_at is not None
    assert draft.planning_due_at is not None


def test_a_cancelled_session_cannot_be_published(client, coordinator, draft):
    client.force_login(coordinator)
    client.post(url("session_cancel", draft))
    client.post(url("session_publish", draft))
    draft.refresh_from_db()
    assert draft.status == SessionStatus.CANCELLED


def test_the_session_page_shows_who_is_eligible_and_is_audited(
    client, coordinator, clinic, draft, cohort
):
    def woman(name, start, *, in_cohort=True):
        patient = PatientFactory(organisation=clinic.organisation, given_name=name)
        if in_cohort:
            CohortMembershipFactory(cohort=cohort, patient=patient)
        AppointmentFactory(patient=patient, clinic=clinic, start=start)

    woman("During", at(10))  # present 09:45-10:20, the session is 09:45-10:30
    woman("Before", at(9, 20))  # present 09:05-09:40: gone before it starts
    woman("After", at(10, 45))  # arrives 10:30 as it ends
    woman("Outsider", at(10), in_cohort=False)
    client.force_login(coordinator)

    response = client.get(url("session_detail", draft))

    body = response.content.decode()
    assert "During" in body
    assert not any(name in body for name in ["Before", "After", "Outsider"])
    # One event for the session, one for each woman the page named.
    during = Patient.objects.get(given_name="During")
    assert set(
        AuditEvent.objects.values_list("action", "object_type", "object_id", "patient_id")
    ) == {
        ("view", "waitingroom.waitingroomsession", str(draft.pk), None),
        ("view", "waitingroom.patient", str(during.pk), during.pk),
    }


def test_the_upcoming_list_shows_this_clinics_sessions(
    client, coordinator, clinic, other_clinic, cohort
):
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, topic="Sleep")
    WaitingRoomSessionFactory(clinic=other_clinic, cohort=cohort, topic="Elsewhere")
    client.force_login(coordinator)
    body = client.get(reverse("clinic_sessions", args=[clinic.slug])).content.decode()
    assert "Sleep" in body
    assert "Elsewhere" not in body


# Access: (page, method) → persona → status. Coordinators of another clinic get a 404 so the
# clinic's sessions are not revealed; facilitators may look; peer supporters and members may not.
ACCESS = {
    ("session_create", "get"): {"facilitator": 403},
    ("session_create", "post"): {"facilitator": 403},
    ("session_edit", "get"): {"facilitator": 403},
    ("session_publish", "post"): {"facilitator": 403},
    ("session_cancel", "post"): {"facilitator": 403},
    ("session_detail", "get"): {"facilitator": 200},
    ("clinic_sessions", "get"): {"facilitator": 200},
}
OTHERS = {"other_coordinator": 404, "peer_supporter": 403, "member": 403, "anonymous": 302}


@pytest.mark.parametrize(
    ("page", "method", "persona", "status"),
    [
        (page, method, persona, status)
        for (page, method), special in ACCESS.items()
        for persona, status in {**OTHERS, **special}.items()
    ],
)
def test_session_access(as_persona, draft, cohort, page, method, persona, status):
    if page in ("session_create", "clinic_sessions"):
        target = reverse(page, args=[draft.clinic.slug])
    else:
        target = url(page, draft)
    client = as_persona(persona)
    response = getattr(client, method)(target, form_data(cohort) if method == "post" else None)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("account_login"))
    draft.refresh_from_db()
    assert draft.status == SessionStatus.DRAFT
    assert WaitingRoomSession.objects.count() == 1


def test_a_coordinator_cannot_reach_another_clinics_session_through_her_own(
    client, coordinator, clinic, other_clinic, cohort
):
    theirs = WaitingRoomSessionFactory(clinic=other_clinic, cohort=cohort)
    client.force_login(coordinator)
    response = client.get(
        reverse("session_detail", kwargs={"clinic_slug": clinic.slug, "session_id": theirs.pk})
    )
    assert response.status_code == 404


def _fill_day(clinic, cohorts, n):
    """n appointments on DAY, every woman in one of the cohorts (and half in two)."""
    patients = PatientFactory.create_batch(n, organisation=clinic.organisation)
    for i, patient in enumerate(patients):
        CohortMembershipFactory(cohort=cohorts[i % len(cohorts)], patient=patient)
        if i % 2 and len(cohorts) > 1:
            CohortMembershipFactory(cohort=cohorts[(i + 1) % len(cohorts)], patient=patient)
        AppointmentFactory(
            patient=patient, clinic=clinic, start=at(9) + dt.timedelta(minutes=(i * 7) % 480)
        )


@pytest.mark.parametrize("n", [10, 300])
def test_clinic_day_query_count_does_not_grow(
    client, coordinator, clinic, django_assert_max_num_queries, n
):
    cohorts = [CohortFactory(clinics=[clinic]) for _ in range(3)]
    _fill_day(clinic, cohorts, n)
    WaitingRoomSessionFactory(clinic=clinic, cohort=cohorts[0], start=at(10))
    client.force_login(coordinator)
    page = reverse("clinic_day", kwargs={"clinic_slug": clinic.slug, "day": DAY})
    with django_assert_max_num_queries(12):  # 11 + one bulk insert of the women's audit events
        response = client.get(page, {"minutes": 30})
    assert response.status_code == 200
    assert len(response.context["plan"].appointments) == n


@pytest.mark.parametrize("n", [1, 20])
def test_session_pages_query_count_does_not_grow(
    client, coordinator, clinic, cohort, facilitator, django_assert_max_num_queries, n
):
    _fill_day(clinic, [cohort], n)
    session = WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=at(10), facilitators=[facilitator]
    )
    WaitingRoomSessionFactory.create_batch(n, clinic=clinic, cohort=cohort, start=at(11))
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(url("session_detail", session)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("clinic_sessions", args=[clinic.slug])).status_code == 200


def _session_events(session):
    return list(
        AuditEvent.objects.filter(
            object_type="waitingroom.waitingroomsession", object_id=str(session.pk)
        )
        .exclude(action="view")
        .order_by("pk")
        .values_list("action", "user", "role", "clinic")
    )


def test_creating_changing_publishing_and_cancelling_are_audited_with_who_did_it(
    client, coordinator, clinic, cohort
):
    client.force_login(coordinator)
    client.post(reverse("session_create", args=[clinic.slug]), form_data(cohort))
    session = WaitingRoomSession.objects.get()
    bay_5 = WaitingAreaPlaceFactory(clinic=clinic, name="Bay 5")
    client.post(url("session_edit", session), form_data(cohort, place=bay_5.pk))
    client.post(url("session_publish", session))
    client.post(url("session_cancel", session))

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    who = (coordinator.pk, "coordinator", clinic.pk)
    assert _session_events(session) == [
        ("create", *who),
        ("change", *who),
        ("publish", *who),
        ("cancel", *who),
    ]


def test_a_refused_publish_records_nothing(client, coordinator, draft):
    client.force_login(coordinator)
    client.post(url("session_cancel", draft))
    client.post(url("session_publish", draft))
    assert [event[0] for event in _session_events(draft)] == ["cancel"]


def test_the_scheduling_services_record_who_acted_when_called_without_a_request(
    coordinator, draft, cohort
):
    from sessions.scheduling.services import session_publish, session_update

    session_update(
        session=draft,
        cohort=cohort,
        start=draft.start,
        end=draft.end,
        place=WaitingAreaPlaceFactory(clinic=draft.clinic, name="Bay 7"),
        capacity=4,
        by=coordinator,
    )
    session_publish(session=draft, by=coordinator)

    events = AuditEvent.objects.filter(object_id=str(draft.pk)).order_by("pk")
    assert [(e.action, e.user, e.ip_address) for e in events] == [
        ("change", coordinator, None),
        ("publish", coordinator, None),
    ]


@pytest.mark.parametrize(
    "start",
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59"],
)
def test_a_suggestion_link_past_the_last_date_opens_an_empty_form(
    client, coordinator, clinic, cohort, start
):
    client.force_login(coordinator)

    response = client.get(
        reverse("session_create", args=[clinic.slug]),
        {"cohort": cohort.pk, "start": start, "end": start},
    )

    assert response.status_code == 200
    assert 'name="start_time"' in response.content.decode()
    assert 'value="23:59"' not in response.content.decode()


def test_a_session_dated_9999_is_refused_with_a_message(client, coordinator, clinic, cohort):
    client.force_login(coordinator)

    response = client.post(
        reverse("session_create", args=[clinic.slug]),
        form_data(cohort, date_day="31", date_month="12", date_year="9999"),
    )

    assert response.status_code == 200
    assert "Enter a date from 2000 to 2199" in response.content.decode()
    assert not WaitingRoomSession.objects.exists()


def _member(clinic, cohort, start, name, **patient):
    person = PatientFactory(organisation=clinic.organisation, given_name=name, **patient)
    CohortMembershipFactory(cohort=cohort, patient=person)
    AppointmentFactory(patient=person, clinic=clinic, start=start)
    return person


def test_a_draft_says_how_many_women_publishing_will_invite(client, coordinator, clinic, cohort):
    from django.utils import timezone

    from sessions.invitations.planner import plan_invitations_for_session

    # The draft runs 09:45-10:30; these three are in the waiting room for over half of it.
    _member(clinic, cohort, at(10), "Amara")
    _member(clinic, cohort, at(10, 5), "Bella")
    _member(clinic, cohort, at(10, 5), "Opted", opted_out_at=timezone.now())
    _member(clinic, cohort, at(14), "Afternoon")
    draft = WaitingRoomSessionFactory(
        clinic=clinic, cohort=cohort, start=at(9, 45), status=SessionStatus.DRAFT
    )
    client.force_login(coordinator)

    body = client.get(url("session_detail", draft)).content.decode()

    assert "Publishing invites <strong>2 women</strong> by text message or email." in body
    assert "1 other woman in this group is expected but cannot be contacted" in body
    assert "Publish and invite 2 women" in body
    response = client.post(url("session_publish", draft), follow=True)
    assert "Session published. 2 women will be invited by text message or email." in (
        response.content.decode()
    )
    # The count is what the planner then does.
    assert plan_invitations_for_session(draft.pk).invited == 2


def test_publishing_a_session_nobody_can_be_invited_to_warns_first_and_says_so(
    client, coordinator, clinic, draft, cohort
):
    _member(clinic, cohort, at(14), "Afternoon")
    client.force_login(coordinator)

    body = client.get(url("session_detail", draft)).content.decode()

    assert "Nobody will be invited" in body
    assert "No woman in this group is expected in the waiting room for at least half" in body
    day = reverse("clinic_day", args=[clinic.slug, DAY])
    assert f'<a href="{day}">see the times the clinic day suggests</a>' in body
    assert "Publish without inviting anyone" in body
    assert "Invitations will be sent" not in body

    response = client.post(url("session_publish", draft), follow=True)

    text = response.content.decode()
    assert "Session published, but nobody will be invited" in text
    assert "Invitations will be sent" not in text


def test_a_published_session_shows_no_publishing_warning(client, coordinator, draft):
    draft.status = SessionStatus.PUBLISHED
    draft.save(update_fields=["status"])
    client.force_login(coordinator)
    body = client.get(url("session_detail", draft)).content.decode()
    assert "who-will-be-invited" not in body
