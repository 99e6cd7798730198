"""Changes to a clinic's measures settings: typed, keyword-only, one transaction, audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from waitroom.audit import audit_by
from waitroom.models import AuditEvent, Clinic, User

from .models import MeasureRebase


class MeasuresError(Exception):
    """A change the rules do not allow; the message is written for the coordinator."""


@transaction.atomic
def rebase_add(
    *, clinic: Clinic, measure: str, starts_on: dt.date, reason: str, by: User
) -> MeasureRebase:
    try:
        with transaction.atomic():
            rebase = MeasureRebase.objects.create(
                clinic=clinic, measure=measure, starts_on=starts_on, reason=reason, created_by=by
            )
    except IntegrityError:
        raise MeasuresError("That chart already starts again from that date") from None
    audit_by(user=by, action=AuditEvent.Action.CREATE, obj=rebase, clinic=clinic)
    return rebase


@transaction.atomic
def rebase_remove(*, rebase: MeasureRebase, by: User) -> None:
    audit_by(user=by, action=AuditEvent.Action.DELETE, obj=rebase, clinic=rebase.clinic)
    rebase.delete()
