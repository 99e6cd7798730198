"""The demo's part of the `resources` app: partner organisations and their resources."""

from __future__ import annotations

import datetime as dt

from groups.models import Cohort
from resources.models import Partner, Resource
from waitroom.models import User

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
