"""Keeping demo rows in step with what today's run wants, in a handful of queries."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction


def remove_stale(stale: models.QuerySet, **retire: Any) -> None:
    """Delete demo rows that no longer fit; ones other records now point at (a concern raised
    at a session, say) are retired with `retire` instead, so the demo never loses real work."""
    try:
        with transaction.atomic():
            stale.delete()
    except (models.ProtectedError, models.RestrictedError):
        stale.exclude(**retire).update(**retire)


def sync_rows(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    existing: models.QuerySet,
) -> dict[tuple, Any]:
    """Bring `existing` in line with `rows` (matched on `key`) in a handful of queries: create
    what is missing, update only the fields that differ, leave equal rows alone."""
    current = {tuple(getattr(obj, f) for f in key): obj for obj in existing}
    to_create, to_update, changed = [], [], set()
    for row in rows:
        obj = current.get(tuple(row[f] for f in key))
        if obj is None:
            to_create.append(model(**row))
            continue
        diff = [f for f, v in row.items() if getattr(obj, f) != v]
        if diff:
            for f in diff:
                setattr(obj, f, row[f])
            changed.update(diff)
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed), batch_size=500)
    # Read back (one query) so created rows carry their primary keys on every database.
    wanted = {tuple(row[f] for f in key) for row in rows}
    return {
        k: obj for obj in existing.all() if (k := tuple(getattr(obj, f) for f in key)) in wanted
    }
