"""The demo's part of the `resources` app: partner organisations and their resources."""

from __future__ import annotations

import datetime as dt

from groups.models import Cohort
from resources.models import GroupMeeting, Partner, Resource
from sessions.models import Patient
from waitroom.models import Clinic, User

from .spec import PARTNERS, RESOURCES


def seed_resources(cohorts: dict[str, Cohort], *, owner: User, today: dt.date) -> None:
    partners = {}
    for spec in PARTNERS:
        partner, _ = Partner.objects.update_or_create(
            name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"}
        )
        partners[spec["name"]] = partner
    for title, partner, kind, url, phone, slugs, languages, age_days in RESOURCES:
        reviewed = today - dt.timedelta(days=age_days)
        resource, _ = Resource.objects.update_or_create(
            title=title,
            partner=partners[partner],
            defaults={
                "summary": partners[partner].offer,
                "kind": kind,
                "url": url,
                "phone": phone,
                "languages": languages,
                "last_reviewed": reviewed,
                "next_review_due": reviewed + dt.timedelta(days=365),
                "owner": owner,
            },
        )
        resource.cohorts.set([cohorts[slug] for slug in slugs])


# The demo clinic's own partner (issue 12): its coordinator manages it in the app, the demo peer
# supporter volunteers for it, and it meets after the demo member's next appointment.
CLINIC_PARTNER = "Twins Trust: Riverside families group"


def seed_clinic_partner(
    clinic: Clinic, cohorts: dict[str, Cohort], *, member_patient: Patient, volunteer: User
) -> None:
    partner, _ = Partner.objects.update_or_create(
        clinic=clinic,
        name=CLINIC_PARTNER,
        defaults={
            "website": "https://twinstrust.org/",
            "offer": "A friendly meet-up for families expecting twins or more, partners welcome.",
        },
    )
    partner.volunteers.add(volunteer)
    appointment = member_patient.appointments.attending().upcoming().first()
    memberships = member_patient.cohort_memberships.current().select_related("cohort")
    if appointment is None or not memberships:
        return
    starts_at = appointment.start + dt.timedelta(minutes=70)
    meeting, _ = GroupMeeting.objects.update_or_create(
        clinic=clinic,
        partner=partner,
        title="Coffee morning for families",
        defaults={"starts_at": starts_at, "place": "the café by the main entrance"},
    )
    meeting.cohorts.set([m.cohort for m in memberships])
