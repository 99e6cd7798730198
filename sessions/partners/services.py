"""Changes to a clinic's partners, its own resources and partner meetings (issue 12, ADR 41).

Coordinators of the clinic call these from views.py; each is one transaction that audits what
it changed, under the clinic. A package of its own in `sessions/` because a meeting in the
waiting room is a session (scheduling) run by a volunteer who passes the peer supporter's gate
(facilitation), and facilitation already imports `resources` (docs/code-map.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from groups.models import Cohort
from resources.models import GroupMeeting, Partner, Resource
from sessions.facilitation.services import peer_supporter_assignment_problem
from sessions.models import WaitingAreaPlace
from sessions.scheduling.services import session_create
from waitroom.audit import audit_by
from waitroom.models import AuditEvent, Clinic, Role, StaffRole, User


class PartnerChangeRefused(Exception):
    """The rule said no; the message is written for the coordinator and safe to show."""


def _check_volunteers(clinic: Clinic, volunteers: Iterable[User]) -> list[User]:
    """A partner's volunteers must be the clinic's current peer supporters: that role is what
    gives them the peer supporter's narrow view, and nothing wider."""
    volunteers = list(volunteers)
    allowed = set(
        StaffRole.objects.current()
        .filter(clinic=clinic, role=Role.PEER_SUPPORTER)
        .values_list("user_id", flat=True)
    )
    if any(v.pk not in allowed for v in volunteers):
        raise PartnerChangeRefused("A volunteer must be a peer supporter at this clinic.")
    return volunteers


@transaction.atomic
def partner_create(
    *,
    clinic: Clinic,
    name: str,
    website: str = "",
    phone: str = "",
    offer: str = "",
    volunteers: Iterable[User] = (),
    by: User,
) -> Partner:
    volunteers = _check_volunteers(clinic, volunteers)
    partner = Partner.objects.create(
        clinic=clinic, name=name, website=website, phone=phone, offer=offer
    )
    partner.volunteers.set(volunteers)
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=partner, clinic=clinic)
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    name: str,
    website: str = "",
    phone: str = "",
    offer: str = "",
    volunteers: Iterable[User] = (),
    by: User,
) -> Partner:
    volunteers = _check_volunteers(partner.clinic, volunteers)
    partner.name, partner.website, partner.phone, partner.offer = name, website, phone, offer
    partner.save(update_fields=["name", "website", "phone", "offer"])
    partner.volunteers.set(volunteers)
    audit_by(user=by, action=AuditEvent.Action.CHANGE, obj=partner, clinic=partner.clinic)
    return partner


def _check_resource(
    clinic: Clinic, partner: Partner | None, last_reviewed: dt.date, next_review_due: dt.date
) -> None:
    if partner is not None and partner.clinic_id != clinic.pk:
        raise PartnerChangeRefused("Choose one of this clinic's partners.")
    if next_review_due <= last_reviewed:
        raise PartnerChangeRefused("The next review must be after the last review.")


@transaction.atomic
def resource_create(
    *,
    clinic: Clinic,
    title: str,
    summary: str,
    kind: str,
    url: str = "",
    phone: str = "",
    partner: Partner | None = None,
    cohorts: Iterable[Cohort] = (),
    languages: str = "en",
    last_reviewed: dt.date,
    next_review_due: dt.date,
    by: User,
) -> Resource:
    """A resource of the clinic's own. Women see it only while its review is in date."""
    _check_resource(clinic, partner, last_reviewed, next_review_due)
    resource = Resource.objects.create(
        clinic=clinic,
        title=title,
        summary=summary,
        kind=kind,
        url=url,
        phone=phone,
        partner=partner,
        languages=languages,
        last_reviewed=last_reviewed,
        next_review_due=next_review_due,
        owner=by,
    )
    resource.cohorts.set(list(cohorts))
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=resource, clinic=clinic)
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    title: str,
    summary: str,
    kind: str,
    url: str = "",
    phone: str = "",
    partner: Partner | None = None,
    cohorts: Iterable[Cohort] = (),
    languages: str = "en",
    last_reviewed: dt.date,
    next_review_due: dt.date,
    by: User,
) -> Resource:
    _check_resource(resource.clinic, partner, last_reviewed, next_review_due)
    resource.title, resource.summary, resource.kind = title, summary, kind
    resource.url, resource.phone, resource.partner = url, phone, partner
    resource.languages = languages
    resource.last_reviewed, resource.next_review_due = last_reviewed, next_review_due
    resource.owner = resource.owner or by
    resource.save(
        update_fields=[
            "title",
            "summary",
            "kind",
            "url",
            "phone",
            "partner",
            "languages",
            "last_reviewed",
            "next_review_due",
            "owner",
        ]
    )
    resource.cohorts.set(list(cohorts))
    audit_by(user=by, action=AuditEvent.Action.CHANGE, obj=resource, clinic=resource.clinic)
    return resource


@transaction.atomic
def partner_meeting_outside_create(
    *,
    clinic: Clinic,
    partner: Partner,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    url: str = "",
    cohorts: Iterable[Cohort],
    by: User,
) -> GroupMeeting:
    """A partner's meeting outside the hospital, with a place (or a link) and a time, shown to
    the women of these groups at the clinic near their appointment days."""
    if partner.clinic_id != clinic.pk:
        raise PartnerChangeRefused("Choose one of this clinic's partners.")
    if not (place or url):
        raise PartnerChangeRefused("Enter where the meeting is, or a link to it.")
    meeting = GroupMeeting.objects.create(
        clinic=clinic, partner=partner, title=title, starts_at=starts_at, place=place, url=url
    )
    meeting.cohorts.set(list(cohorts))
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=meeting, clinic=clinic)
    return meeting


def volunteer_refusal(*, partner: Partner, volunteer: User, on_date: dt.date) -> str | None:
    """Why `volunteer` may not run `partner`'s meeting in the waiting room on `on_date`: she
    must be one of its volunteers and a peer supporter at its clinic (only that, no wider role),
    trained and DBS-checked for that day, as every peer supporter who runs a session."""
    clinic = partner.clinic
    name = volunteer.get_full_name() or volunteer.display_name or volunteer.email
    if not partner.volunteers.filter(pk=volunteer.pk).exists():
        return f"{name} is not a volunteer for {partner.name}."
    roles = set(
        StaffRole.objects.current()
        .filter(user=volunteer, clinic=clinic)
        .values_list("role", flat=True)
    )
    if Role.PEER_SUPPORTER not in roles:
        return f"{name} is no longer a peer supporter at this clinic."
    return peer_supporter_assignment_problem(volunteer, clinic, on_date)


@transaction.atomic
def partner_meeting_in_waiting_room_create(
    *,
    clinic: Clinic,
    partner: Partner,
    volunteer: User,
    title: str,
    cohort: Cohort,
    start: dt.datetime,
    end: dt.datetime,
    place: WaitingAreaPlace,
    capacity: int,
    topic: str = "",
    partners_welcome: bool = False,
    children_welcome: bool = False,
    buggy_space: bool = False,
    by: User,
) -> GroupMeeting:
    """A partner's meeting in the waiting room: a draft session run by the partner's volunteer
    (publish it from the session's page to invite the women), and the meeting that shows it."""
    if partner.clinic_id != clinic.pk:
        raise PartnerChangeRefused("Choose one of this clinic's partners.")
    refusal = volunteer_refusal(partner=partner, volunteer=volunteer, on_date=clinic.day_of(start))
    if refusal:
        raise PartnerChangeRefused(refusal)
    session = session_create(
        clinic=clinic,
        cohort=cohort,
        start=start,
        end=end,
        place=place,
        capacity=capacity,
        topic=topic or title,
        facilitators=[volunteer],
        partners_welcome=partners_welcome,
        children_welcome=children_welcome,
        buggy_space=buggy_space,
        by=by,
    )
    meeting = GroupMeeting.objects.create(
        clinic=clinic,
        partner=partner,
        title=title,
        starts_at=start,
        place=session.location,
        session=session,
    )
    meeting.cohorts.set([cohort])
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=meeting, clinic=clinic)
    return meeting


@transaction.atomic
def partner_meeting_remove(*, meeting: GroupMeeting, by: User) -> None:
    """Take an outside meeting off women's pages. A waiting-room meeting is a session: cancel the
    session instead, so the women invited are told."""
    if meeting.session_id is not None:
        raise PartnerChangeRefused(
            "This meeting is a session in the waiting room: cancel the session instead, so the "
            "women invited are told."
        )
    audit_by(user=by, action=AuditEvent.Action.DELETE, obj=meeting, clinic=meeting.clinic)
    meeting.delete()
