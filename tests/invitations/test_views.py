"""Staff pages: who may see them, what they show, and how many queries they take."""

import html
import re

import pytest
from django.urls import reverse

from sessions.invitations.models import Message, MessageKind, MessageStatus
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import message_send
from tests.artefacts import links_in

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_day(day, outbox_mode):
    for minute in range(5, 25, 5):
        day.woman(10, minute)
    plan_invitations_for_session(day.session.pk, now=NOW)
    first = Message.objects.filter(kind=MessageKind.INVITATION).first()
    message_send(message_id=first.pk, now=NOW.replace(day=26))
    Message.objects.filter(kind=MessageKind.INVITATION).exclude(pk=first.pk).filter(
        pk=Message.objects.filter(kind=MessageKind.INVITATION).last().pk
    ).update(status=MessageStatus.REJECTED, failure_reason="Notify answered 400")
    return day


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("facilitator", 200),
        ("peer_supporter", 403),
        ("other_coordinator", 404),
        ("member", 403),
    ],
)
def test_session_invitations_access(planned_day, as_persona, persona, status):
    url = reverse("session_invitations", args=[planned_day.clinic.slug, planned_day.session.pk])
    assert as_persona(persona).get(url).status_code == status


def test_session_invitations_show_states_counts_and_failures(
    planned_day, as_persona, django_assert_max_num_queries
):
    url = reverse("session_invitations", args=[planned_day.clinic.slug, planned_day.session.pk])
    client = as_persona("coordinator")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    text = response.content.decode()
    assert "Planned" in text and "Sent" in text and "Failed" in text
    assert "Notify answered 400" in text
    counts = response.context["counts"]
    assert counts["sent"][1] == 1 and counts["failed"][1] == 1 and counts["planned"][1] == 2


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 200), ("facilitator", 403)])
def test_messages_log_and_outbox_are_for_coordinators(planned_day, as_persona, persona, status):
    client = as_persona(persona)
    assert (
        client.get(reverse("clinic_messages", args=[planned_day.clinic.slug])).status_code == status
    )
    assert (
        client.get(reverse("clinic_outbox", args=[planned_day.clinic.slug])).status_code == status
    )


def test_messages_log_filters(planned_day, as_persona, django_assert_max_num_queries):
    client = as_persona("coordinator")
    url = reverse("clinic_messages", args=[planned_day.clinic.slug])
    with django_assert_max_num_queries(12):
        everything = client.get(url)
    assert len(everything.context["page"].object_list) == 8
    failed = client.get(url, {"failed": "1"})
    assert len(failed.context["page"].object_list) == 1
    reminders = client.get(url, {"kind": "reminder"})
    assert {m.kind for m in reminders.context["page"].object_list} == {"reminder"}


def test_the_outbox_shows_what_she_would_have_read(planned_day, as_persona):
    response = as_persona("coordinator").get(
        reverse("clinic_outbox", args=[planned_day.clinic.slug])
    )
    [message] = response.context["page"].object_list
    page = response.content.decode()
    body = re.search(r'<p class="waitroom-message-body">(.*?)</p>', page, re.S).group(1)
    shown = html.unescape(re.sub(r"<[^>]+>", "", body.replace("<br>", "\n")))
    assert shown == message.body


def test_the_links_in_an_outbox_message_are_real_links(planned_day, as_persona):
    response = as_persona("coordinator").get(
        reverse("clinic_outbox", args=[planned_day.clinic.slug])
    )
    [message] = response.context["page"].object_list
    urls = links_in(message)
    assert urls
    hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)"', response.content.decode())]
    assert all(url in hrefs for url in urls)


def _women_audited(**filters) -> list[int]:
    from waitroom.models import AuditEvent

    return sorted(
        AuditEvent.objects.filter(object_type="waitingroom.patient", **filters).values_list(
            "patient_id", flat=True
        )
    )


@pytest.mark.parametrize("page", ["clinic_messages", "clinic_outbox"])
def test_each_woman_a_message_page_names_gets_her_own_audit_event(
    planned_day, as_persona, coordinator, page
):
    response = as_persona("coordinator").get(reverse(page, args=[planned_day.clinic.slug]))

    shown = sorted({m.invitation.patient_id for m in response.context["page"].object_list})
    assert shown
    assert _women_audited(user=coordinator, action="view", clinic=planned_day.clinic) == shown


def test_the_messages_log_audits_only_the_women_on_the_page_shown(planned_day, as_persona):
    url = reverse("clinic_messages", args=[planned_day.clinic.slug])
    response = as_persona("coordinator").get(url, {"failed": "1"})

    [failed] = response.context["page"].object_list
    assert _women_audited() == [failed.invitation.patient_id]


def test_each_woman_on_the_session_invitations_page_gets_her_own_audit_event(
    planned_day, as_persona
):
    url = reverse("session_invitations", args=[planned_day.clinic.slug, planned_day.session.pk])
    response = as_persona("facilitator").get(url)

    shown = sorted(row.invitation.patient_id for row in response.context["rows"])
    assert len(shown) == 4
    assert _women_audited(action="view", role="facilitator") == shown
