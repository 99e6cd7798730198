"""Posting in a group: plain text with safe links, clear errors, edit/delete, rate limit."""

import pytest
from django.urls import reverse

from groups.models import Post, Thread
from groups.services import thread_start
from tests.factories import CohortFactory
from tests.members.builders import group_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(clinic):
    return CohortFactory(public_name="Twins and more group", clinics=[clinic])


@pytest.fixture
def author(cohort, clinic):
    return group_member(cohort, display_name="Sunny", clinic=clinic)


def _start(client, cohort, title="Sleep", body="Anyone else awake at 4am?"):
    return client.post(reverse("group_detail", args=[cohort.pk]), {"title": title, "body": body})


def test_she_starts_a_thread_and_others_see_it_on_next_load(client, cohort, clinic, author):
    client.force_login(author)
    response = _start(client, cohort)
    thread = Thread.objects.get()
    assert response.url == reverse("thread_detail", args=[cohort.pk, thread.pk])
    reader = group_member(cohort, display_name="Reader", clinic=clinic)
    client.force_login(reader)
    assert b"Sleep" in client.get(reverse("group_detail", args=[cohort.pk])).content
    url = reverse("thread_detail", args=[cohort.pk, thread.pk])
    client.post(url, {"body": "Me too"})
    assert b"Me too" in client.get(url).content


def test_links_are_made_safe_and_clickable(client, cohort, author):
    client.force_login(author)
    _start(client, cohort, body="See https://www.nhs.uk/pregnancy/ and javascript:alert(1)")
    thread = Thread.objects.get()
    body = client.get(reverse("thread_detail", args=[cohort.pk, thread.pk])).content.decode()
    assert '<a href="https://www.nhs.uk/pregnancy/" rel="nofollow noopener noreferrer ugc">' in body
    assert 'href="javascript:' not in body


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write your message"),
        ("   \n ", "Write your message"),
        ("x" * 2001, "Your message must be 2,000 characters or fewer"),
        ("<script>alert(1)</script>", "Write your message as plain text"),
        ('<a href="javascript:alert(1)">hi</a>', "Write your message as plain text"),
    ],
)
def test_bad_posts_get_clear_errors_and_keep_her_text(client, cohort, author, body, error):
    client.force_login(author)
    response = _start(client, cohort, body=body)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "<title>Error:" in page
    assert "<script>alert" not in page
    assert not Post.objects.exists()


def test_a_title_is_needed(client, cohort, author):
    client.force_login(author)
    assert "Write your title" in _start(client, cohort, title="").content.decode()


def test_an_escaped_script_in_a_reply_never_runs(client, cohort, author):
    thread = thread_start(
        membership=author.patient.cohort_memberships.get(), author=author, title="T", body="Hi"
    )
    Post.objects.create(thread=thread, author=author, body="<script>alert(1)</script>")
    client.force_login(author)
    body = client.get(reverse("thread_detail", args=[cohort.pk, thread.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_she_edits_and_deletes_her_own_post(client, cohort, clinic, author):
    client.force_login(author)
    _start(client, cohort)
    post = Post.objects.get()
    client.post(reverse("post_edit", args=[cohort.pk, post.pk]), {"body": "Changed"})
    post.refresh_from_db()
    assert post.body == "Changed" and post.edited_at
    client.post(reverse("post_delete", args=[cohort.pk, post.pk]))
    post.refresh_from_db()
    assert post.body == "" and post.removed_at
    reader = group_member(cohort, display_name="Reader", clinic=clinic)
    client.force_login(reader)
    page = client.get(reverse("thread_detail", args=[cohort.pk, post.thread_id])).content
    assert b"removed by the member" in page


def test_posting_is_rate_limited(client, cohort, author, settings):
    client.force_login(author)
    for i in range(5):
        assert _start(client, cohort, title=f"T{i}").status_code == 302
    response = _start(client, cohort, title="One too many")
    assert response.status_code == 200
    assert b"You have posted a lot in a short time" in response.content
    assert Thread.objects.count() == 5


def test_a_suspended_member_cannot_post(client, cohort, author, facilitator):
    from groups.services import membership_suspend

    membership = author.patient.cohort_memberships.get()
    thread = thread_start(membership=membership, author=author, title="T", body="Hi")
    membership_suspend(membership=membership, reason="Repeated unkind posts", by=facilitator)
    client.force_login(author)
    assert _start(client, cohort).status_code == 200
    url = reverse("thread_detail", args=[cohort.pk, thread.pk])
    response = client.post(url, {"body": "Still here"})
    assert b"paused your posting" in response.content
    assert Post.objects.count() == 1


def test_a_suspended_member_cannot_change_her_earlier_posts(client, cohort, author, facilitator):
    from groups.services import membership_suspend

    membership = author.patient.cohort_memberships.get()
    client.force_login(author)
    _start(client, cohort, body="My first message")
    post = Post.objects.get()
    thread_url = reverse("thread_detail", args=[cohort.pk, post.thread_id])
    page = client.get(thread_url).content.decode()
    edit_url = reverse("post_edit", args=[cohort.pk, post.pk])
    assert f'href="{edit_url}"' in page  # she had the edit page open before...
    membership_suspend(membership=membership, reason="Repeated unkind posts", by=facilitator)

    response = client.post(edit_url, {"body": "Something unkind"})  # ...and saves it after

    assert response.status_code == 200
    assert b"paused your posting" in response.content
    post.refresh_from_db()
    assert post.body == "My first message" and post.edited_at is None
    page = client.get(thread_url).content.decode()
    assert f'href="{edit_url}"' not in page
    assert reverse("post_delete", args=[cohort.pk, post.pk]) in page
    assert b"paused your posting" in client.get(edit_url).content


def test_a_hidden_post_cannot_be_changed(client, cohort, author, facilitator):
    from groups.services import post_hide

    client.force_login(author)
    _start(client, cohort, body="My first message")
    post = Post.objects.get()
    post_hide(post=post, reason="Personal details", by=facilitator)

    client.post(reverse("post_edit", args=[cohort.pk, post.pk]), {"body": "Changed"})

    post.refresh_from_db()
    assert post.body == "My first message"
