"""Writing the audit trail: one call, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, models
from django.http import HttpRequest

from .access import clinic_roles
from .client_address import client_address
from .models import AuditEvent, Clinic, User

PATIENT_OBJECT_TYPE = "waitingroom.patient"


def audit_by(
    *,
    user: User | None,
    action: str,
    obj: models.Model | None,
    clinic: Clinic | None = None,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Record that `user` did `action` to `obj` (or, for something that is not one row, such
    as an export, to `object_type` / `object_id`). For services, which know who acts but not
    the request; views call `audit_record`, which adds where the request came from.

    Call it inside the transaction that reads or changes `obj`, so a failed change leaves no
    event and a recorded change always has its event.
    """
    event = _unsaved_event(
        user=user,
        action=action,
        obj=obj,
        clinic=clinic,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        ip_address=ip_address,
    )
    event.save()
    return event


def _unsaved_event(
    *,
    user: User | None,
    action: str,
    obj: models.Model | None,
    clinic: Clinic | None,
    patient_id: int | None,
    object_type: str,
    object_id: str,
    ip_address: str | None,
) -> AuditEvent:
    role = ""
    if user is not None and user.is_authenticated:
        held = clinic_roles(user).roles_at(clinic.pk) if clinic else frozenset()
        role = ",".join(sorted(held)) or ("member" if user.patient else "")
    else:
        user = None
    return AuditEvent(
        user=user,
        role=role,
        clinic=clinic,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        patient_id=patient_id,
        ip_address=ip_address,
    )


def audit_record(
    request: HttpRequest,
    action: str,
    obj: models.Model | None,
    *,
    clinic: Clinic | None = None,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that the request's user did `action` to `obj`, from the request's address (see
    `audit_by`). Requests are atomic, so the event shares the request's transaction."""
    return audit_by(
        user=request.user,
        action=action,
        obj=obj,
        clinic=clinic,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_address(request),
    )


def audit_patients_shown(
    request: HttpRequest,
    action: str,
    shown_on: models.Model | None,
    *,
    clinic: Clinic,
    patient_ids: Iterable[int],
    object_type: str = "",
    object_id: str = "",
    context: str = "",
    once_within: dt.timedelta | None = None,
) -> AuditEvent:
    """A page or export that shows several women: one event for what was shown (`shown_on`,
    e.g. the session, or an export's `object_type` / `object_id`) and one per woman shown, so
    searching the audit trail for a woman finds every list she appeared on.

    Each woman's event names the list she was shown on in `context` (by default what was
    shown: `shown_on`, or `object_type:object_id`). With `once_within`, a woman whose event
    this user already has in the same context within that time is not recorded again (a
    page refreshed all afternoon, ADR 0034); the page's own event is always recorded.

    One INSERT of every event, plus one query for `once_within`, in the request's
    transaction. The women's events copy the page event's time, user, role and address.
    """
    first = _unsaved_event(
        user=request.user,
        action=action,
        obj=shown_on,
        clinic=clinic,
        patient_id=None,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_address(request),
    )
    context = context or f"{first.object_type}:{first.object_id}"
    women = set(patient_ids)
    if once_within is not None and women and first.user is not None:
        women -= set(
            AuditEvent.objects.filter(
                user=first.user,
                context=context,
                action=action,
                at__gte=first.at - once_within,
                patient_id__in=women,
            ).values_list("patient_id", flat=True)
        )
    women = sorted(women)
    if connection.vendor == "postgresql":
        _insert_page_and_women(first, women, context=context)
        return first
    AuditEvent.objects.bulk_create(
        [
            first,
            *(
                AuditEvent(
                    at=first.at,
                    user=first.user,
                    role=first.role,
                    clinic=clinic,
                    action=action,
                    object_type=PATIENT_OBJECT_TYPE,
                    object_id=str(patient_id),
                    patient_id=patient_id,
                    ip_address=first.ip_address,
                    context=context,
                )
                for patient_id in women
            ),
        ],
        batch_size=1000,
    )
    return first


def bulk_insert_into_audit(*more: str) -> str:
    """`INSERT INTO <the audit table> (<columns>) ` for a raw INSERT that writes events in
    bulk: the columns of who, when, what and which woman, then those of the fields `more`."""
    quote = connection.ops.quote_name
    names = ("at", "user", "role", "clinic", "action", "object_type", "object_id", "patient_id")
    columns = ", ".join(quote(AuditEvent._meta.get_field(name).column) for name in names + more)
    return f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "


def _insert_page_and_women(first: AuditEvent, women: list[int], *, context: str) -> None:
    """The page's event and one per woman in one INSERT … SELECT over an array of ids: the same
    rows `bulk_create` writes, without building a model instance and SQL placeholders per
    woman (300 women on a clinic day cost more to build than the page's own reads, issue 14).
    The page's event is inserted first; its id is set on `first`."""
    sql = (
        bulk_insert_into_audit("ip_address", "context")
        + "SELECT %s, %s, %s, %s, %s, shown.object_type, shown.object_id, shown.patient_id, "
        "%s::inet, shown.context FROM ("
        "  SELECT 0 AS kind, %s::varchar AS object_type, %s::varchar AS object_id,"
        "         NULL::bigint AS patient_id, %s::varchar AS context"
        "  UNION ALL"
        "  SELECT 1, %s, woman::text, woman, %s FROM unnest(%s::bigint[]) AS woman"
        ") AS shown ORDER BY shown.kind, shown.patient_id RETURNING id"
    )
    params = [
        first.at,
        first.user_id,
        first.role,
        first.clinic_id,
        first.action,
        first.ip_address,
        first.object_type,
        first.object_id,
        first.context,
        PATIENT_OBJECT_TYPE,
        context,
        women,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        first.pk = min(row[0] for row in cursor.fetchall())
    first._state.adding = False
