import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import sessions.facilitation.views as facilitation_views
from sessions.facilitation.models import (
    Concern,
    ConcernCategory,
    ConcernLead,
    ConcernStatus,
    ConcernUrgency,
)
from sessions.facilitation.selectors import urgent_concerns_for
from sessions.facilitation.services import attendance_check_in, concern_raise
from tests.artefacts import form_action_of, href_of, links_in, site_path
from tests.factories import StaffRoleFactory
from waitroom.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

WHAT_WAS_SAID = "She said she has not slept for days and feels hopeless."


@pytest.fixture
def lead(clinic):
    user = StaffRoleFactory(
        clinic=clinic, role=Role.FACILITATOR, user__email="mh.lead@example.nhs.uk"
    ).user
    ConcernLead.objects.create(clinic=clinic, category=ConcernCategory.MENTAL_HEALTH, lead=user)
    return user


@pytest.fixture
def attendee(session, expect_woman):
    woman = expect_woman(session, display_name="Sunflower", interpreter=True)
    attendance_check_in(session=session, patient=woman)
    return woman


def raise_concern(client, session, about, urgency=ConcernUrgency.URGENT, category=None):
    return client.post(
        reverse("concern_create", args=[session.clinic.slug, session.pk]),
        {
            "about": about,
            "category": category or ConcernCategory.MENTAL_HEALTH,
            "urgency": urgency,
            "description": WHAT_WAS_SAID,
        },
    )


def test_a_concern_routes_to_the_categorys_lead_who_is_emailed_a_link_only(
    as_persona, session, attendee, lead, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_concern(as_persona("peer_supporter"), session, attendee.pk)
    concern = Concern.objects.get()
    assert concern.assignee == lead and concern.patient == attendee
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [lead.email]
    [link] = links_in(email)
    client.force_login(lead)
    opened = client.get(site_path(link))
    assert opened.status_code == 200
    assert WHAT_WAS_SAID in opened.content.decode()
    assert opened.context["concern"] == concern
    text = email.subject + email.body
    for personal in [
        WHAT_WAS_SAID,
        "Sunflower",
        attendee.given_name,
        attendee.family_name,
        attendee.hospital_number,
        attendee.nhs_number,
        attendee.mobile,
        attendee.email,
        "mental health",
        session.cohort.staff_name,
    ]:
        assert personal.lower() not in text.lower()


def test_with_no_lead_named_the_clinics_coordinators_are_emailed(
    session, attendee, peer_supporter, coordinator, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_raise(
            session=session,
            patient=None,
            category=ConcernCategory.OTHER,
            urgency=ConcernUrgency.ROUTINE,
            description="The bay was too noisy.",
            raised_by=peer_supporter,
        )
    assert concern.assignee is None
    assert mail.outbox[0].to == [coordinator.email]
    [link] = links_in(mail.outbox[0])
    client.force_login(coordinator)
    assert b"The bay was too noisy." in client.get(site_path(link)).content


def test_no_email_is_sent_when_the_request_fails(
    as_persona, session, attendee, lead, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The view fails after the service has saved the concern and queued the alert.
    monkeypatch.setattr(facilitation_views, "redirect", broken)
    client = as_persona("peer_supporter")
    client.raise_request_exception = True
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        raise_concern(client, session, attendee.pk)
    assert not Concern.objects.exists()
    assert not AuditEvent.objects.filter(object_type="facilitation.concern").exists()
    assert mail.outbox == []


def test_a_concern_may_be_about_the_session_generally(as_persona, session, attendee):
    raise_concern(as_persona("facilitator"), session, "session")
    assert Concern.objects.get().patient is None


def test_a_concern_cannot_be_about_a_woman_who_did_not_attend(as_persona, session, expect_woman):
    absent = expect_woman(session)
    response = raise_concern(as_persona("facilitator"), session, absent.pk)
    assert response.status_code == 200
    assert not Concern.objects.exists()


def test_urgent_concerns_top_every_coordinators_home_until_acknowledged(
    as_persona, session, attendee, coordinator, other_coordinator, lead
):
    raise_concern(as_persona("peer_supporter"), session, attendee.pk)
    concern = Concern.objects.get()
    second = StaffRoleFactory(clinic=session.clinic, role=Role.COORDINATOR).user
    assert list(urgent_concerns_for(coordinator)) == [concern]
    assert list(urgent_concerns_for(second)) == [concern]
    assert list(urgent_concerns_for(other_coordinator)) == []

    as_persona("coordinator").post(
        reverse("concern_acknowledge", args=[session.clinic.slug, concern.pk])
    )
    assert list(urgent_concerns_for(coordinator)) == []


def test_the_urgent_panel_include_renders_a_link(session, attendee, coordinator, peer_supporter):
    from django.template.loader import render_to_string

    concern = concern_raise(
        session=session,
        patient=attendee,
        category=ConcernCategory.SAFEGUARDING,
        urgency=ConcernUrgency.URGENT,
        description=WHAT_WAS_SAID,
        raised_by=peer_supporter,
    )
    html = render_to_string(
        "facilitation/_urgent_concerns.html",
        {"urgent_concerns": urgent_concerns_for(coordinator)},
    )
    assert reverse("concern_detail", args=[session.clinic.slug, concern.pk]) in html
    assert WHAT_WAS_SAID not in html


def test_lifecycle_open_acknowledged_closed_and_who_sees_the_outcome(
    as_persona, session, attendee, lead, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_concern(as_persona("peer_supporter"), session, attendee.pk)
    concern = Concern.objects.get()
    [emailed] = links_in(mail.outbox[0])  # the lead starts from the link in her email
    detail = site_path(emailed)

    client.force_login(lead)
    client.post(form_action_of(client.get(detail), "Acknowledge"))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.acknowledged_by == lead

    outcome = "Referred to perinatal mental health team; GP informed."
    client.post(href_of(client.get(detail), "Close with an outcome"), {"outcome": outcome})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.closed_at is not None
    assert outcome in client.get(detail).content.decode()

    client.logout()
    raiser_page = as_persona("peer_supporter").get(detail).content.decode()
    assert "Closed" in raiser_page and "Acknowledged" in raiser_page
    assert outcome not in raiser_page
    assert attendee.family_name not in raiser_page
    assert attendee.hospital_number not in raiser_page


def test_closing_needs_an_outcome(as_persona, session, attendee):
    raise_concern(as_persona("facilitator"), session, attendee.pk)
    concern = Concern.objects.get()
    response = as_persona("coordinator").post(
        reverse("concern_close", args=[session.clinic.slug, concern.pk]), {"outcome": ""}
    )
    assert "Enter the outcome before closing the concern" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN


def test_a_peer_supporter_cannot_see_other_peoples_concerns(
    as_persona, session, attendee, facilitator
):
    concern = concern_raise(
        session=session,
        patient=attendee,
        category=ConcernCategory.CLINICAL,
        urgency=ConcernUrgency.SOON,
        description=WHAT_WAS_SAID,
        raised_by=facilitator,
    )
    client = as_persona("peer_supporter")
    detail = reverse("concern_detail", args=[session.clinic.slug, concern.pk])
    assert client.get(detail).status_code == 404
    assert (
        WHAT_WAS_SAID
        not in client.get(
            reverse("run_sheet", args=[session.clinic.slug, session.pk])
        ).content.decode()
    )
    assert client.get(reverse("concern_queue", args=[session.clinic.slug])).status_code == 403
    ack = reverse("concern_acknowledge", args=[session.clinic.slug, concern.pk])
    assert client.post(ack).status_code == 403


def test_viewing_and_changing_a_concern_is_audited(as_persona, session, attendee):
    raise_concern(as_persona("facilitator"), session, attendee.pk)
    concern = Concern.objects.get()
    client = as_persona("coordinator")
    client.get(reverse("concern_detail", args=[session.clinic.slug, concern.pk]))
    client.post(reverse("concern_acknowledge", args=[session.clinic.slug, concern.pk]))
    actions = list(
        AuditEvent.objects.filter(object_type="facilitation.concern")
        .order_by("at", "pk")
        .values_list("action", "patient_id")
    )
    assert actions == [("create", attendee.pk), ("view", attendee.pk), ("change", attendee.pk)]


def test_the_queue_puts_the_oldest_urgent_first(
    as_persona, session, attendee, peer_supporter, django_assert_max_num_queries
):
    now = timezone.now()

    def make(urgency, hours_ago, status=ConcernStatus.OPEN):
        return Concern.objects.create(
            clinic=session.clinic,
            session=session,
            category=ConcernCategory.OTHER,
            urgency=urgency,
            description="x",
            raised_by=peer_supporter,
            raised_at=now - dt.timedelta(hours=hours_ago),
            status=status,
            outcome="done" if status == ConcernStatus.CLOSED else "",
        )

    routine_old = make(ConcernUrgency.ROUTINE, 50)
    urgent_new = make(ConcernUrgency.URGENT, 1)
    urgent_old = make(ConcernUrgency.URGENT, 5)
    soon = make(ConcernUrgency.SOON, 10)
    make(ConcernUrgency.URGENT, 100, status=ConcernStatus.CLOSED)
    client = as_persona("coordinator")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("concern_queue", args=[session.clinic.slug]))
    ids = [c.pk for c in response.context["concerns"]]
    assert ids == [urgent_old.pk, urgent_new.pk, soon.pk, routine_old.pk]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("facilitator", 403),
        ("peer_supporter", 403),
        ("other_coordinator", 404),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_coordinator_only_pages_by_persona(as_persona, clinic, persona, status):
    client = as_persona(persona)
    for name in ["concern_queue", "concern_leads", "discussion_topics", "peer_supporters"]:
        assert client.get(reverse(name, args=[clinic.slug])).status_code == status, name


def test_concern_leads_are_set_per_category(as_persona, clinic, facilitator):
    as_persona("coordinator").post(
        reverse("concern_leads", args=[clinic.slug]), {ConcernCategory.SAFEGUARDING: facilitator.pk}
    )
    lead = ConcernLead.objects.get()
    assert lead.category == ConcernCategory.SAFEGUARDING and lead.lead == facilitator


def test_the_raiser_sees_her_concerns_and_their_status(as_persona, session, attendee):
    raise_concern(as_persona("peer_supporter"), session, attendee.pk)
    page = as_persona("peer_supporter").get(reverse("my_concerns")).content.decode()
    assert "Open" in page
