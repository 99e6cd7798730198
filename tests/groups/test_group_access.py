"""Who may see which group, thread and post: a member only her own groups; guesses get 404."""

import pytest
from django.urls import reverse

from groups.models import Post
from groups.services import thread_start
from tests.factories import CohortFactory, CohortMembershipFactory
from tests.members.builders import group_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(clinic):
    return CohortFactory(public_name="Twins and more group", clinics=[clinic])


@pytest.fixture
def other_cohort(clinic):
    return CohortFactory(public_name="Other group", clinics=[clinic])


@pytest.fixture
def outsider_thread(other_cohort, clinic):
    author = group_member(other_cohort, display_name="Elsewhere", clinic=clinic)
    membership = author.patient.cohort_memberships.get()
    return thread_start(membership=membership, author=author, title="Not yours", body="Secret")


def test_she_sees_her_group_page(client, cohort, clinic):
    user = group_member(cohort, display_name="Sunny", clinic=clinic)
    client.force_login(user)
    body = client.get(reverse("group_detail", args=[cohort.pk])).content.decode()
    assert "Twins and more group" in body
    assert "Need help now?" in body
    assert "116 123" in body
    assert "01632 960000" in body  # the clinic's maternity triage number


def test_a_cohort_member_who_has_not_joined_is_sent_to_join(client, cohort, member):
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    client.force_login(member)
    response = client.get(reverse("group_detail", args=[cohort.pk]))
    assert response.url == reverse("group_join", args=[cohort.pk])


def test_guessing_another_groups_pages_gets_404(
    client, cohort, other_cohort, clinic, outsider_thread
):
    user = group_member(cohort, display_name="Sunny", clinic=clinic)
    client.force_login(user)
    post = outsider_thread.posts.get()
    urls = [
        reverse("group_detail", args=[other_cohort.pk]),
        reverse("group_join", args=[other_cohort.pk]),
        reverse("group_leave", args=[other_cohort.pk]),
        reverse("thread_detail", args=[other_cohort.pk, outsider_thread.pk]),
        reverse("thread_detail", args=[cohort.pk, outsider_thread.pk]),
        reverse("post_report", args=[cohort.pk, post.pk]),
        reverse("post_report", args=[other_cohort.pk, post.pk]),
        reverse("post_edit", args=[other_cohort.pk, post.pk]),
        reverse("post_delete", args=[cohort.pk, post.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "x", "reason": "spam"}).status_code == 404, url
    post.refresh_from_db()
    assert post.body == "Secret"


def test_she_cannot_edit_or_delete_someone_elses_post_in_her_group(client, cohort, clinic):
    author = group_member(cohort, display_name="Author", clinic=clinic)
    thread = thread_start(
        membership=author.patient.cohort_memberships.get(), author=author, title="T", body="Mine"
    )
    post = thread.posts.get()
    other = group_member(cohort, display_name="Other", clinic=clinic)
    client.force_login(other)
    assert (
        client.post(reverse("post_edit", args=[cohort.pk, post.pk]), {"body": "x"}).status_code
        == 404
    )
    assert client.post(reverse("post_delete", args=[cohort.pk, post.pk])).status_code == 404
    assert Post.objects.get(pk=post.pk).body == "Mine"


@pytest.mark.parametrize("persona", ["coordinator", "facilitator", "peer_supporter"])
def test_staff_cannot_open_member_group_pages(as_persona, persona, cohort):
    assert as_persona(persona).get(reverse("group_detail", args=[cohort.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, cohort):
    response = client.get(reverse("group_detail", args=[cohort.pk]))
    assert response.status_code == 302
    assert "/account/login/" in response.url


def test_other_members_see_her_display_name_never_her_real_name(client, cohort, clinic):
    author = group_member(cohort, display_name="Sunny", clinic=clinic)
    thread_start(
        membership=author.patient.cohort_memberships.get(), author=author, title="Hi", body="Hello"
    )
    reader = group_member(cohort, display_name="Reader", clinic=clinic)
    client.force_login(reader)
    thread = author.patient.cohort_memberships.get().cohort.threads.get()
    body = client.get(reverse("thread_detail", args=[cohort.pk, thread.pk])).content.decode()
    assert "Sunny" in body
    for secret in (author.patient.given_name, author.patient.family_name, author.email):
        assert secret not in body


def test_joining_needs_the_guidelines_accepted_and_leaving_works(client, cohort, member):
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    client.force_login(member)
    join = reverse("group_join", args=[cohort.pk])
    response = client.post(join, {})
    assert b"Tick the box to agree to the group" in response.content
    response = client.post(join, {"agree": "on"})
    assert response.url == reverse("group_detail", args=[cohort.pk])
    membership = member.patient.cohort_memberships.get()
    assert membership.group_joined_at and membership.guidelines_accepted_at

    client.post(reverse("group_leave", args=[cohort.pk]))
    membership.refresh_from_db()
    assert membership.group_joined_at is None
    assert client.get(reverse("group_detail", args=[cohort.pk])).status_code == 302


def test_a_coordinator_approves_a_request_to_join(client, cohort, clinic, member, coordinator):
    from tests.factories import AppointmentFactory

    AppointmentFactory(patient=member.patient, clinic=clinic)
    client.force_login(member)
    assert b"Ask to join Twins and more group" in client.get(reverse("group_list")).content
    client.post(reverse("group_request", args=[cohort.pk]), {"agree": "on"})
    assert client.get(reverse("group_detail", args=[cohort.pk])).status_code == 404

    client.force_login(coordinator)
    page = client.get(reverse("join_requests", args=[clinic.slug])).content.decode()
    assert member.patient.family_name in page
    join_request = cohort.join_requests.get()
    client.post(
        reverse("join_request_decide", args=[clinic.slug, join_request.pk]),
        {"decision": "approve"},
    )

    client.force_login(member)
    assert client.get(reverse("group_detail", args=[cohort.pk])).status_code == 200


def test_approving_a_request_replans_published_sessions_of_that_cohort(
    cohort, clinic, member, coordinator
):
    from groups.services import join_request_create, join_request_decide
    from tests.factories import WaitingRoomSessionFactory

    session = WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, planning_due_at=None)
    join_request = join_request_create(patient=member.patient, cohort=cohort)

    join_request_decide(join_request=join_request, approve=True, by=coordinator)

    session.refresh_from_db()
    assert session.planning_due_at is not None


def test_another_clinics_coordinator_cannot_see_or_decide_requests(
    client, cohort, clinic, member, other_coordinator
):
    from groups.services import join_request_create

    join_request = join_request_create(patient=member.patient, cohort=cohort)
    client.force_login(other_coordinator)
    assert client.get(reverse("join_requests", args=[clinic.slug])).status_code == 404
    url = reverse("join_request_decide", args=["hillside", join_request.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_reading_join_requests_is_audited(client, cohort, clinic, member, coordinator):
    from groups.services import join_request_create
    from tests.factories import AppointmentFactory
    from waitroom.models import AuditEvent

    # She asks from a clinic she attends: she is that clinic's woman (ADR 30).
    AppointmentFactory(patient=member.patient, clinic=clinic)
    join_request_create(patient=member.patient, cohort=cohort)
    client.force_login(coordinator)
    client.get(reverse("join_requests", args=[clinic.slug]))
    assert AuditEvent.objects.filter(patient_id=member.patient.pk, action="view").exists()


@pytest.mark.parametrize("n", [1, 15])
def test_group_page_query_count_does_not_grow(
    client, cohort, clinic, django_assert_max_num_queries, n
):
    user = group_member(cohort, display_name="Sunny", clinic=clinic)
    for i in range(n):
        author = group_member(cohort, display_name=f"Member {i}", clinic=clinic)
        thread_start(
            membership=author.patient.cohort_memberships.get(),
            author=author,
            title=f"Thread {i}",
            body="Hello",
        )
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("group_detail", args=[cohort.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
def test_thread_page_query_count_does_not_grow(
    client, cohort, clinic, django_assert_max_num_queries, n
):
    from groups.services import post_reply

    user = group_member(cohort, display_name="Sunny", clinic=clinic)
    membership = user.patient.cohort_memberships.get()
    thread = thread_start(membership=membership, author=user, title="T", body="Hello")
    for i in range(n):
        author = group_member(cohort, display_name=f"Member {i}", clinic=clinic)
        post_reply(
            membership=author.patient.cohort_memberships.get(),
            thread=thread,
            author=author,
            body=f"Reply {i}",
        )
    client.force_login(user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("thread_detail", args=[cohort.pk, thread.pk])).status_code == 200


def test_the_conversation_list_says_who_started_each_how_many_replies_and_links_to_it(
    client, cohort, clinic
):
    from groups.services import post_reply

    user = group_member(cohort, display_name="Sunny", clinic=clinic)
    named = group_member(cohort, display_name="Robin", clinic=clinic)
    unnamed = group_member(cohort, display_name="", clinic=clinic)
    mine = thread_start(
        membership=user.patient.cohort_memberships.get(), author=user, title="Mine", body="Hi"
    )
    thread_start(
        membership=named.patient.cohort_memberships.get(), author=named, title="Robin's", body="Hi"
    )
    thread_start(
        membership=unnamed.patient.cohort_memberships.get(),
        author=unnamed,
        title="Quiet",
        body="Hi",
    )
    for body in ("One", "Two"):
        post_reply(
            membership=named.patient.cohort_memberships.get(), thread=mine, author=named, body=body
        )
    client.force_login(user)
    body = client.get(reverse("group_detail", args=[cohort.pk])).content.decode()
    assert "You, 2 replies" in body
    assert "Robin, 0 replies" in body
    assert "A member, 0 replies" in body
    # The link on the page (not one built here) opens the conversation.
    import re

    (link,) = re.findall(r'<a href="([^"]+)">Mine</a>', body)
    assert "Mine" in client.get(link).content.decode()
