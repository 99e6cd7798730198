"""Changes to cohort groups: joining and leaving, discussion, and moderation.

Every function takes the objects a view has already fetched *for this user* (see selectors), so
the access check happens once, in the view, and these functions only apply the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from sessions.models import Patient
from waitroom.models import User

from .models import (
    Cohort,
    CohortMembership,
    JoinRequest,
    JoinRequestStatus,
    MembershipSource,
    MembershipStatus,
    ModerationAction,
    ModerationEvent,
    Post,
    PostReport,
    Thread,
)
from .signals import membership_changed

# (posts, seconds): at most this many posts by one member across her groups in the window.
POST_RATE_LIMIT: tuple[int, int] = getattr(settings, "GROUP_POST_RATE_LIMIT", (5, 600))


class GroupActionRefused(Exception):
    """The rule said no; the message is written for the member and safe to show her."""


def group_join(*, membership: CohortMembership, display_name: str = "") -> CohortMembership:
    """She accepts the guidelines and joins the group of a cohort she is in."""
    if membership.is_suspended:
        raise GroupActionRefused("You cannot rejoin this group at the moment.")
    now = timezone.now()
    membership.group_joined_at = now
    membership.guidelines_accepted_at = now
    membership.save(update_fields=["group_joined_at", "guidelines_accepted_at", "updated_at"])
    user = membership.patient.user
    if display_name and user is not None:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return membership


def group_leave(*, membership: CohortMembership) -> CohortMembership:
    """She leaves the online group. She stays in the cohort (and its invitations) unless she
    changes her contact preferences: leaving a chat is not leaving her care."""
    membership.group_joined_at = None
    membership.save(update_fields=["group_joined_at", "updated_at"])
    return membership


def join_request_create(*, patient: Patient, cohort: Cohort) -> JoinRequest:
    existing = JoinRequest.objects.pending().filter(patient=patient, cohort=cohort).first()
    return existing or JoinRequest.objects.create(patient=patient, cohort=cohort)


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, approve: bool, by: User) -> JoinRequest:
    """A coordinator approves (she becomes an active member and joins) or refuses a request."""
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.REFUSED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        membership, _ = CohortMembership.objects.get_or_create(
            cohort=join_request.cohort,
            patient=join_request.patient,
            defaults={"status": MembershipStatus.ACTIVE, "source": MembershipSource.SELF},
        )
        membership.status = MembershipStatus.ACTIVE
        # Asking to join was her accepting the guidelines (the request form shows them).
        membership.group_joined_at = membership.guidelines_accepted_at = timezone.now()
        membership.save(
            update_fields=["status", "group_joined_at", "guidelines_accepted_at", "updated_at"]
        )
        # A new cohort member may fit sessions already published.
        membership_changed.send(sender=CohortMembership, patient_ids=[join_request.patient_id])
    return join_request


def _check_can_post(membership: CohortMembership, user: User) -> None:
    if membership.is_suspended:
        raise GroupActionRefused(
            "You cannot post in this group at the moment because a moderator has paused your "
            "posting. You can still read the group."
        )
    limit, window = POST_RATE_LIMIT
    key = f"groups:post-rate:{user.pk}"
    # add() starts the window only if none is running; incr() is atomic in Redis.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise GroupActionRefused(
            "You have posted a lot in a short time. Please wait a few minutes and try again."
        )


@transaction.atomic
def thread_start(*, membership: CohortMembership, author: User, title: str, body: str) -> Thread:
    _check_can_post(membership, author)
    now = timezone.now()
    thread = Thread.objects.create(
        cohort=membership.cohort, author=author, title=title, created_at=now, last_posted_at=now
    )
    Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    return thread


@transaction.atomic
def post_reply(*, membership: CohortMembership, thread: Thread, author: User, body: str) -> Post:
    _check_can_post(membership, author)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=now)
    return post


def post_edit(*, membership: CohortMembership, post: Post, body: str) -> Post:
    """She changes her own message; not while a moderator has paused her posting (changing an
    old message is posting), nor once a moderator has hidden it."""
    if membership.is_suspended:
        raise GroupActionRefused(
            "You cannot change your messages in this group at the moment because a moderator "
            "has paused your posting. You can still read the group or delete your messages."
        )
    if post.is_hidden:
        raise GroupActionRefused("A moderator has hidden this message, so it cannot be changed.")
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


def post_remove(*, post: Post) -> Post:
    """Her own post, deleted: the text goes, a "removed by the member" placeholder stays."""
    post.body = ""
    post.removed_at = timezone.now()
    post.save(update_fields=["body", "removed_at"])
    return post


def post_report(*, post: Post, reporter: User, reason: str, detail: str = "") -> PostReport:
    report, _ = PostReport.objects.get_or_create(
        post=post, reporter=reporter, defaults={"reason": reason, "detail": detail}
    )
    return report


def _post_moderate(*, post: Post, hide: bool, reason: str, by: User) -> Post:
    """Hide or restore a post with a reason; either way its open reports are dealt with and the
    decision is logged."""
    now = timezone.now()
    post.hidden_at = now if hide else None
    post.hidden_reason = reason if hide else ""
    post.hidden_by = by if hide else None
    post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    post.reports.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    ModerationEvent.objects.create(
        cohort_id=post.thread.cohort_id,
        post=post,
        action=ModerationAction.HIDE if hide else ModerationAction.RESTORE,
        reason=reason,
        by=by,
    )
    return post


@transaction.atomic
def post_hide(*, post: Post, reason: str, by: User) -> Post:
    return _post_moderate(post=post, hide=True, reason=reason, by=by)


@transaction.atomic
def post_restore(*, post: Post, reason: str, by: User) -> Post:
    return _post_moderate(post=post, hide=False, reason=reason, by=by)


@transaction.atomic
def membership_suspend(*, membership: CohortMembership, reason: str, by: User) -> None:
    _membership_set_suspended(membership=membership, suspended=True, reason=reason, by=by)


@transaction.atomic
def membership_unsuspend(*, membership: CohortMembership, reason: str, by: User) -> None:
    _membership_set_suspended(membership=membership, suspended=False, reason=reason, by=by)


def _membership_set_suspended(
    *, membership: CohortMembership, suspended: bool, reason: str, by: User
) -> None:
    """Suspend her from the group (why, by whom) or lift it, and log it for the moderators."""
    membership.suspended_at = timezone.now() if suspended else None
    membership.suspended_reason = reason if suspended else ""
    membership.suspended_by = by if suspended else None
    membership.save(
        update_fields=["suspended_at", "suspended_reason", "suspended_by", "updated_at"]
    )
    ModerationEvent.objects.create(
        cohort_id=membership.cohort_id,
        membership=membership,
        action=ModerationAction.SUSPEND if suspended else ModerationAction.UNSUSPEND,
        reason=reason,
        by=by,
    )
