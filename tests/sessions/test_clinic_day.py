"""The clinic-day page: appointments by time, and when each cohort is together."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from groups.models import MembershipStatus
from sessions.models import AppointmentStatus
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
)
from tests.sessions.clinic_time import DAY, at
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db


def day_url(clinic, day=DAY, **query):
    url = reverse("clinic_day", kwargs={"clinic_slug": clinic.slug, "day": day})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def member_with_appointment(clinic, cohort, start, given_name, **appointment):
    patient = PatientFactory(organisation=clinic.organisation, given_name=given_name)
    CohortMembershipFactory(cohort=cohort, patient=patient)
    return AppointmentFactory(patient=patient, clinic=clinic, start=start, **appointment)


def test_it_lists_the_days_appointments_by_time(client, coordinator, clinic, twins):
    member_with_appointment(clinic, twins, at(11), "Bella")
    member_with_appointment(clinic, twins, at(9, 30), "Amara")
    AppointmentFactory(clinic=clinic, start=at(10), patient__given_name="Cleo")
    AppointmentFactory(
        clinic=clinic, start=at(10) + dt.timedelta(days=1), patient__given_name="Tomorrow"
    )
    client.force_login(coordinator)

    body = client.get(day_url(clinic)).content.decode()

    table = body[body.index("<h2>Appointments</h2>") :]
    assert table.index("Amara") < table.index("Cleo") < table.index("Bella")
    assert "Tomorrow" not in body
    assert "Tuesday 4 June 2030" in body


def test_it_suggests_the_window_where_most_of_a_cohort_overlap(client, coordinator, clinic, twins):
    # Margins 15 early / 20 after: presences 09:45-10:20, 09:50-10:25, 09:50-10:25. A 30-minute
    # session has half of each of them when it starts between 09:35 and 10:05.
    for name, start in [("Amara", at(10)), ("Bella", at(10, 5)), ("Cleo", at(10, 5))]:
        member_with_appointment(clinic, twins, start, name)
    member_with_appointment(clinic, twins, at(15), "Dana")
    client.force_login(coordinator)

    response = client.get(day_url(clinic, minutes=30))

    body = response.content.decode()
    assert (
        "3 of 4 women from this cohort are in the waiting room for at least half of a session "
        "from 09:35 to 10:05" in body
    )
    [best, *_] = response.context["plan"].cohorts[0].windows
    assert [p.given_name for p in best.patients] == ["Amara", "Bella", "Cleo"]


def test_the_schedule_link_carries_cohort_and_times_but_nothing_personal(
    client, coordinator, clinic, twins
):
    for name in ["Amara", "Bella", "Cleo"]:
        member_with_appointment(clinic, twins, at(10), name)
    client.force_login(coordinator)

    response = client.get(day_url(clinic, minutes=30))

    suggestion = response.context["plan"].cohorts[0].windows[0]
    link = reverse("session_create", args=[clinic.slug]) + "?" + suggestion.schedule_query
    assert link in response.content.decode().replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"cohort", "start", "end"}
    assert query["cohort"] == [str(twins.pk)]
    assert query["start"] == ["2030-06-04T09:30+01:00"]
    assert query["end"] == ["2030-06-04T10:00+01:00"]
    assert "Amara" not in link


def test_the_session_length_changes_the_windows(client, coordinator, clinic, twins):
    # Booked 17:25, they are in the waiting room 17:10 until closing at 17:30: 20 minutes,
    # half of a 30-minute session but not of a 45-minute one.
    for name in ["Amara", "Bella", "Cleo"]:
        member_with_appointment(clinic, twins, at(17, 25), name)
    client.force_login(coordinator)
    assert client.get(day_url(clinic, minutes=30)).context["plan"].cohorts[0].windows
    response = client.get(day_url(clinic, minutes=45))
    assert response.context["plan"].cohorts[0].windows == []
    assert (
        "No time this day has 3 or more women from this group in the waiting room for at least "
        "half of a 45 minute session" in response.content.decode()
    )
    # An unknown length falls back to 45 minutes rather than failing.
    assert client.get(day_url(clinic, minutes=7)).context["plan"].minutes == 45


def test_only_current_members_and_attending_appointments_count(client, coordinator, clinic, twins):
    member_with_appointment(clinic, twins, at(10), "Amara")
    member_with_appointment(clinic, twins, at(10), "Cancelled", status=AppointmentStatus.CANCELLED)
    left = member_with_appointment(clinic, twins, at(10), "Left")
    left.patient.cohort_memberships.update(status=MembershipStatus.LEFT)
    other_cohort = CohortFactory(staff_name="Not run here")
    member_with_appointment(clinic, other_cohort, at(10), "Elsewhere")
    client.force_login(coordinator)

    plan = client.get(day_url(clinic, minutes=30)).context["plan"]

    assert [c.cohort for c in plan.cohorts] == [twins]
    assert [w.patient.given_name for w in plan.cohorts[0].women] == ["Amara"]


def test_it_has_day_and_week_navigation(client, coordinator, clinic):
    client.force_login(coordinator)
    body = client.get(day_url(clinic, minutes=30)).content.decode()
    for day in ["2030-05-28", "2030-06-03", "2030-06-05", "2030-06-11"]:
        assert f'/clinics/{clinic.slug}/days/{day}/?minutes=30"' in body


def test_the_date_picker_goes_to_the_chosen_day(client, coordinator, clinic):
    client.force_login(coordinator)
    url = reverse("clinic_day_pick", args=[clinic.slug])
    response = client.get(url, {"date_day": "9", "date_month": "7", "date_year": "2030"})
    assert response.status_code == 302
    assert response.url == day_url(clinic, dt.date(2030, 7, 9))


def test_the_date_picker_explains_a_date_that_is_not_real(client, coordinator, clinic):
    client.force_login(coordinator)
    url = reverse("clinic_day_pick", args=[clinic.slug])
    response = client.get(url, {"date_day": "31", "date_month": "2", "date_year": "2030"})
    assert response.status_code == 400
    assert b"Enter a real date" in response.content


def test_the_date_picker_without_a_date_opens_today(client, coordinator, clinic):
    client.force_login(coordinator)
    response = client.get(reverse("clinic_day_pick", args=[clinic.slug]))
    assert response.status_code == 302
    assert "/days/" in response.url


def test_a_date_that_does_not_exist_is_not_found(client, coordinator, clinic):
    client.force_login(coordinator)
    assert client.get(f"/clinics/{clinic.slug}/days/2030-02-30/").status_code == 404
    assert client.get(f"/clinics/{clinic.slug}/days/tomorrow/").status_code == 404


def test_each_view_is_audited(client, coordinator, clinic):
    client.force_login(coordinator)
    client.get(day_url(clinic))
    event = AuditEvent.objects.get()
    assert (event.user, event.clinic, event.action) == (coordinator, clinic, "view")


def test_facilitators_may_look_but_not_schedule(client, facilitator, clinic, twins):
    for name in ["Amara", "Bella", "Cleo"]:
        member_with_appointment(clinic, twins, at(10), name)
    client.force_login(facilitator)
    response = client.get(day_url(clinic, minutes=30))
    assert response.status_code == 200
    assert b"Schedule a session here" not in response.content
    assert b"change this" not in response.content
    assert b"3 of 3 women" in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("facilitator", 200),
        ("other_coordinator", 404),
        ("peer_supporter", 403),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_clinic_day_access(as_persona, clinic, persona, status):
    response = as_persona(persona).get(day_url(clinic))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("account_login"))


def test_the_clock_change_day_shows_real_overlaps(client, coordinator, clinic, twins):
    # 30 March 2031 is the spring clock change; the clinic keeps its daytime hours, so the day
    # must simply be found (local midnight to local midnight is 23 hours) and shown.
    spring = dt.date(2031, 3, 30)
    member_with_appointment(clinic, twins, at(10, day=spring), "Amara")
    member_with_appointment(clinic, twins, at(23, 30, day=spring), "Late")  # after closing
    client.force_login(coordinator)
    plan = client.get(day_url(clinic, spring, minutes=30)).context["plan"]
    assert len(plan.appointments) == 2
    assert [w.patient.given_name for w in plan.cohorts[0].women] == ["Amara"]


def test_each_woman_the_day_names_gets_her_own_audit_event(
    client, coordinator, clinic, other_clinic, twins
):
    in_cohort = member_with_appointment(clinic, twins, at(10), "Amara")
    not_in_cohort = AppointmentFactory(
        patient=PatientFactory(organisation=clinic.organisation, given_name="Bea"),
        clinic=clinic,
        start=at(11),
    )
    tomorrow = member_with_appointment(clinic, twins, at(10, day=DAY + dt.timedelta(days=1)), "C")
    client.force_login(coordinator)

    client.get(day_url(clinic))

    per_woman = AuditEvent.objects.filter(object_type="waitingroom.patient")
    assert {e.patient_id for e in per_woman} == {in_cohort.patient_id, not_in_cohort.patient_id}
    assert tomorrow.patient_id not in {e.patient_id for e in per_woman}
    page_event = AuditEvent.objects.exclude(object_type="waitingroom.patient").get()
    for event in per_woman:
        assert (event.user, event.clinic, event.action, event.role, event.at) == (
            coordinator,
            clinic,
            "view",
            "coordinator",
            page_event.at,
        )
    # The audit page finds the read when searched by the woman.
    found = client.get(reverse("audit_log"), {"patient": in_cohort.patient.hospital_number})
    assert {row.event.patient_id for row in found.context["rows"]} == {in_cohort.patient_id}


def test_a_failed_page_leaves_no_per_woman_audit_events(
    client, coordinator, clinic, twins, monkeypatch
):
    from sessions.scheduling import views

    member_with_appointment(clinic, twins, at(10), "Amara")

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views, "render", broken)
    client.force_login(coordinator)
    with pytest.raises(RuntimeError):
        client.get(day_url(clinic))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2200-01-01"])
def test_a_day_no_clinic_could_plan_is_not_found_on_the_nhs_page(client, coordinator, clinic, day):
    client.force_login(coordinator)

    response = client.get(f"/clinics/{clinic.slug}/days/{day}/")

    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content
    assert b"nhsuk-header" in response.content


def test_the_first_and_last_plannable_days_open(client, coordinator, clinic):
    client.force_login(coordinator)

    assert client.get(f"/clinics/{clinic.slug}/days/2000-01-01/").status_code == 200
    assert client.get(f"/clinics/{clinic.slug}/days/2199-12-31/").status_code == 200


def test_the_date_picker_explains_a_year_out_of_range(client, coordinator, clinic):
    client.force_login(coordinator)
    url = reverse("clinic_day_pick", args=[clinic.slug])

    response = client.get(url, {"date_day": "31", "date_month": "12", "date_year": "9999"})

    assert response.status_code == 400
    assert b"Enter a date from 2000 to 2199" in response.content


def test_the_appointments_are_folded_by_the_hour_they_start(client, coordinator, clinic, twins):
    member_with_appointment(clinic, twins, at(9, 30), "Amara")
    member_with_appointment(clinic, twins, at(9, 50), "Bella")
    AppointmentFactory(clinic=clinic, start=at(11, 5), patient__given_name="Cleo")
    client.force_login(coordinator)

    body = client.get(day_url(clinic)).content.decode()

    table = body[body.index("<h2>Appointments</h2>") :]
    nine = table.index("09:00 to 10:00: 2 appointments</span></summary>")
    eleven = table.index("11:00 to 12:00: 1 appointment</span></summary>")
    assert nine < table.index("Amara") < table.index("Bella") < eleven < table.index("Cleo")
    assert "10:00 to 11:00" not in table
    assert table.count('<details class="nhsuk-details">') == 2


@pytest.mark.parametrize("n", [1, 30])
def test_the_clinic_day_takes_the_same_queries_for_one_or_thirty_appointments(
    client, coordinator, clinic, twins, django_assert_num_queries, n
):
    for i in range(n):
        member_with_appointment(clinic, twins, at(9) + dt.timedelta(minutes=10 * i), f"W{i}")
    client.force_login(coordinator)
    client.get(day_url(clinic))

    # Sign-in and clinic role, the plan's four reads, the day's waiting times (one), the page's
    # and the women's audit events in one INSERT, the request's transaction: the same whatever
    # the number of appointments.
    with django_assert_num_queries(12):
        response = client.get(day_url(clinic))

    assert response.status_code == 200
