"""Report → queue → hide → the author sees why; suspension; who may moderate."""

import pytest
from django.urls import reverse

from groups.models import ModerationEvent, PostReport
from groups.services import post_report, thread_start
from tests.factories import CohortFactory
from tests.members.builders import group_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(clinic):
    return CohortFactory(public_name="Twins and more group", clinics=[clinic])


@pytest.fixture
def post(cohort, clinic):
    author = group_member(cohort, display_name="Sunny", clinic=clinic)
    thread = thread_start(
        membership=author.patient.cohort_memberships.get(),
        author=author,
        title="Advice",
        body="Stop taking your tablets",
    )
    return thread.posts.get()


def test_report_queue_hide_and_the_author_sees_why(client, cohort, clinic, post, facilitator):
    reporter = group_member(cohort, display_name="Reader", clinic=clinic)
    client.force_login(reporter)
    client.post(
        reverse("post_report", args=[cohort.pk, post.pk]),
        {"reason": "unsafe", "detail": "Dangerous"},
    )
    assert PostReport.objects.get().reason == "unsafe"

    client.force_login(facilitator)
    queue = client.get(reverse("moderation_queue", args=[clinic.slug])).content.decode()
    assert "Reported 1 time" in queue
    assert "Sunny" in queue
    assert post.author.patient.family_name not in queue
    url = reverse("moderation_post", args=[clinic.slug, post.pk])
    response = client.post(url, {"action": "hide", "reason": "Unsafe health advice"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at and post.hidden_reason == "Unsafe health advice"
    assert PostReport.objects.get().resolved_at
    assert ModerationEvent.objects.get().action == "hide"

    client.force_login(reporter)
    page = client.get(reverse("thread_detail", args=[cohort.pk, post.thread_id])).content
    assert b"hidden by a moderator" in page
    assert b"Stop taking your tablets" not in page

    client.force_login(post.author)
    page = client.get(reverse("group_detail", args=[cohort.pk])).content
    assert b"A message of yours was hidden" in page
    assert b"Unsafe health advice" in page


def test_restoring_needs_a_reason(client, clinic, post, facilitator):
    from groups.services import post_hide

    post_hide(post=post, reason="Checking", by=facilitator)
    client.force_login(facilitator)
    url = reverse("moderation_post", args=[clinic.slug, post.pk])
    response = client.post(url, {"action": "restore", "reason": ""})
    assert b"Enter the reason" in response.content
    client.post(url, {"action": "restore", "reason": "It was fine"})
    post.refresh_from_db()
    assert post.hidden_at is None


def test_reported_posts_come_first(client, cohort, clinic, post, coordinator):
    later = group_member(cohort, display_name="Later", clinic=clinic)
    thread_start(
        membership=later.patient.cohort_memberships.get(), author=later, title="New", body="Newer"
    )
    post_report(post=post, reporter=later, reason="unkind")
    client.force_login(coordinator)
    page = client.get(reverse("moderation_queue", args=[clinic.slug])).content.decode()
    assert page.index("Stop taking your tablets") < page.index("Newer")


def test_a_moderator_suspends_the_author(client, cohort, clinic, post, coordinator):
    client.force_login(coordinator)
    url = reverse("moderation_post", args=[clinic.slug, post.pk])
    client.post(url, {"action": "suspend", "reason": "Repeated unsafe advice"})
    membership = post.author.patient.cohort_memberships.get()
    assert membership.is_suspended


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
def test_only_the_clinics_moderators_reach_the_queue(as_persona, clinic, post, persona, status):
    client = as_persona(persona)
    assert client.get(reverse("moderation_queue", args=[clinic.slug])).status_code == status
    url = reverse("moderation_post", args=[clinic.slug, post.pk])
    response = client.post(url, {"action": "hide", "reason": "x"})
    post.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert post.hidden_at is not None
    else:
        assert response.status_code == status
        assert post.hidden_at is None


def test_a_moderator_cannot_reach_posts_of_another_clinics_groups(
    client, post, other_clinic, other_coordinator
):
    from tests.factories import StaffRoleFactory
    from waitroom.models import Role

    StaffRoleFactory(clinic=other_clinic, role=Role.FACILITATOR, user=other_coordinator)
    client.force_login(other_coordinator)
    url = reverse("moderation_post", args=[other_clinic.slug, post.pk])
    assert client.get(url).status_code == 404
