"""What a person would call the record an audit event is about: "Session: Twins group, Tue 15
Dec 10:00", not "waitingroom.waitingroomsession 11".

Events name their record by model label and id (waitroom.audit), so the page looks the records
up in one query per kind of record on the page, never one per event. A kind without a label of
its own is named by its model's verbose name and number; a record that no longer exists says so.
Patients are named by hospital number only: the audit page is not itself a way to read names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet

from .models import AuditEvent


def _when(moment, tz) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _session(session) -> str:
    return f"{session.cohort.staff_name}, {_when(session.start, session.clinic.zone)}"


def _person(user) -> str:
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class Kind:
    """How to name one kind of audited record."""

    noun: str
    prepare: Callable[[QuerySet], QuerySet] = lambda qs: qs
    name: Callable[[object], str] | None = None


_SESSION_PARTS = ("session__cohort", "session__clinic")

KINDS: dict[str, Kind] = {
    "alignment.worklistitem": Kind(
        "Rebooking worklist item",
        lambda qs: qs.select_related("clinic"),
        lambda i: f"{i.kind_name}, {_when(i.from_start, i.clinic.zone)}",
    ),
    "waitroom.clinic": Kind("Clinic", name=lambda c: c.name),
    "waitroom.staffrole": Kind(
        "Staff role",
        lambda qs: qs.select_related("user"),
        lambda r: f"{_person(r.user)}, {r.get_role_display().lower()}",
    ),
    "waitingroom.patient": Kind("Patient", name=lambda p: f"hospital number {p.hospital_number}"),
    "waitingroom.waitingroomsession": Kind(
        "Session", lambda qs: qs.select_related("cohort", "clinic"), _session
    ),
    "imports.importjob": Kind(
        "Appointment import",
        lambda qs: qs.select_related("clinic").defer("content", "problems"),
        lambda j: f"{j.filename or 'file'}, {_when(j.created_at, j.clinic.zone)}",
    ),
    "groups.cohort": Kind("Cohort", name=lambda c: c.staff_name),
    "facilitation.attendance": Kind(
        "Attendance",
        lambda qs: qs.select_related(*_SESSION_PARTS),
        lambda a: _session(a.session),
    ),
    "facilitation.discussionnote": Kind(
        "Discussion note",
        lambda qs: qs.select_related(*_SESSION_PARTS),
        lambda n: _session(n.session),
    ),
    "facilitation.concern": Kind(
        "Concern",
        lambda qs: qs.select_related(*_SESSION_PARTS),
        lambda c: f"{c.get_category_display()}, {_session(c.session)}",
    ),
    "facilitation.debrief": Kind(
        "Debrief",
        lambda qs: qs.select_related(*_SESSION_PARTS, "peer_supporter"),
        lambda d: f"{_person(d.peer_supporter)}, {_session(d.session)}",
    ),
    "facilitation.peersupporterrecord": Kind(
        "Training and DBS record",
        lambda qs: qs.select_related("user"),
        lambda r: _person(r.user),
    ),
}

# A model that moved app is audited under its new label; events written before the move keep
# the label they were written with (the trail is never rewritten) and are named as the new one
# (docs/adr/0036-imports-app-of-its-own.md).
FORMER_LABELS = {"waitingroom.importjob": "imports.importjob"}

# Events about something that is not one row.
NOT_A_ROW = {
    ("waitroom.auditevent", "csv"): "Audit trail: downloaded as CSV",
    # sessions/alignment/audit.py: the worklist page, its CSV and its printed list.
    ("alignment.worklistitem", "open-items"): "Rebooking worklist: open items",
}


def _kind(object_type: str) -> tuple[Kind | None, type | None]:
    object_type = FORMER_LABELS.get(object_type, object_type)
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None, None
    kind = KINDS.get(object_type) or Kind(str(model._meta.verbose_name).capitalize())
    return kind, model


def record_labels(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """(object_type, object_id) → what a person would call it, for these events.

    One query per kind of record that has a name of its own; none for the rest.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.object_type].add(event.object_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        kind, model = _kind(object_type)
        for object_id in ids:
            if (object_type, object_id) in NOT_A_ROW:
                labels[object_type, object_id] = NOT_A_ROW[object_type, object_id]
            elif kind is None:
                labels[object_type, object_id] = f"Record {object_id}"
            else:
                labels[object_type, object_id] = f"{kind.noun} {object_id}"
        if kind is None or kind.name is None:
            continue
        pks = [int(i) for i in ids if i.isdigit()]
        found = {str(obj.pk): obj for obj in kind.prepare(model.objects.filter(pk__in=pks))}
        for object_id in ids:
            if object_id in found:
                labels[object_type, object_id] = f"{kind.noun}: {kind.name(found[object_id])}"
            elif object_id.isdigit():
                labels[object_type, object_id] = f"{kind.noun} {object_id} (since deleted)"
    return labels


def patient_numbers(events: Iterable[AuditEvent]) -> dict[int, str]:
    """Patient id → hospital number for the events' patient column, in one query."""
    ids = {event.patient_id for event in events if event.patient_id}
    if not ids:
        return {}
    patient = apps.get_model("waitingroom", "Patient")
    return dict(patient.objects.filter(pk__in=ids).values_list("pk", "hospital_number"))


@dataclass(frozen=True)
class LabelledEvent:
    """An audit event as the audit page and its CSV show it: with the record's name and the
    patient's hospital number."""

    event: AuditEvent
    record_label: str
    patient_number: str


def labelled_events(events: list[AuditEvent]) -> list[LabelledEvent]:
    """Each event with its labels: a fixed number of queries, however many events."""
    labels = record_labels(events)
    numbers = patient_numbers(events)
    return [
        LabelledEvent(
            event=event,
            record_label=labels[event.object_type, event.object_id],
            patient_number=numbers.get(event.patient_id, ""),
        )
        for event in events
    ]
