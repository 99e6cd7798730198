"""Changes to the resource library and the record of what was signposted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from waitroom.models import service_today

from .models import Resource, Signposting

# How long a review holds unless the reviewer says otherwise.
DEFAULT_REVIEW_INTERVAL = dt.timedelta(days=365)


def signposting_record(*, session, resources: Iterable[Resource], by) -> list[Signposting]:
    """Record each resource as signposted at the session; ones already recorded stay as they
    were (their first time and author), so editing a note never rewrites history."""
    wanted = {resource.pk: resource for resource in resources}
    existing = set(
        Signposting.objects.filter(session=session, resource_id__in=wanted).values_list(
            "resource_id", flat=True
        )
    )
    return Signposting.objects.bulk_create(
        [
            Signposting(session=session, resource=resource, signposted_by=by)
            for pk, resource in wanted.items()
            if pk not in existing
        ],
        ignore_conflicts=True,
    )


def resource_mark_reviewed(
    *, resource: Resource, by, next_review_due: dt.date | None = None
) -> Resource:
    today = service_today()
    resource.last_reviewed = today
    resource.next_review_due = next_review_due or today + DEFAULT_REVIEW_INTERVAL
    resource.owner = resource.owner or by
    resource.save(update_fields=["last_reviewed", "next_review_due", "owner"])
    return resource
