"""Changes: loading instruments, her answers, and the co-production queue. Typed, keyword-only,
one transaction each, auditing what they change (docs/code-map.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sessions.invitations.models import Message, MessageStatus
from waitroom.audit import audit_by
from waitroom.models import AuditEvent, Clinic, User

from .definitions import Definition, InvalidInstrument, definition_from_dict
from .models import (
    FeedbackRequest,
    FeedbackSettings,
    Instrument,
    Response,
    Suggestion,
    SuggestionQuestion,
    SuggestionStatus,
    YouSaidWeDid,
)

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"


class FeedbackRefused(Exception):
    """Why her answer cannot be taken, in words for her."""


# -- instruments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadOutcome:
    slug: str
    version: int
    created: bool


def instrument_load(*, data: dict) -> LoadOutcome:
    """Load one instrument file's contents. A new (slug, version) is a new row; the same
    version loaded again must be identical (answers were given to it), else it is refused."""
    definition = definition_from_dict(data)
    with transaction.atomic():
        existing = Instrument.objects.filter(
            slug=definition.slug, version=definition.version
        ).first()
        if existing is not None:
            if existing.definition != data:
                raise InvalidInstrument(
                    f"{definition.slug} version {definition.version} is already loaded with "
                    "different contents: give the changed file a new version number"
                )
            return LoadOutcome(definition.slug, definition.version, created=False)
        Instrument.objects.create(
            slug=definition.slug,
            version=definition.version,
            title=definition.title,
            domain=definition.domain,
            improvement=definition.improvement,
            licence=definition.licence,
            placeholder=definition.placeholder,
            definition=data,
        )
    return LoadOutcome(definition.slug, definition.version, created=True)


def instruments_load_files(*, paths: list[Path] | None = None) -> list[LoadOutcome]:
    """Load every instrument file in `paths` (default: the ones shipped), all or none."""
    paths = paths if paths is not None else sorted(INSTRUMENTS_DIR.glob("*.json"))
    with transaction.atomic():
        outcomes = []
        for path in paths:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise InvalidInstrument(f"{Path(path).name}: not valid JSON ({exc})") from None
            outcomes.append(instrument_load(data=data))
    return outcomes


# -- her answers --------------------------------------------------------------------------------


def _audit_answer(request: FeedbackRequest, response: Response, action: str, user) -> None:
    audit_by(
        user=user,
        action=action,
        obj=response,
        clinic=request.clinic,
        patient_id=request.patient_id,
    )


def response_answer(
    *,
    request: FeedbackRequest,
    instrument: Instrument,
    item_key: str,
    value: str,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Save one answer, as she goes: the questionnaire is scored once every item is answered.
    One response per (woman, instrument, occasion), held by the database."""
    now = now or timezone.now()
    definition: Definition = instrument.parsed
    item = definition.item(item_key)
    if item is None or item.option(value) is None:
        raise FeedbackRefused("Choose one of the answers.")
    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(
            request=request,
            instrument_slug=instrument.slug,
            defaults={"instrument": instrument, "started_at": now},
        )
        response.answers = {**response.answers, item_key: value}
        response.score = definition.score(response.answers)
        if response.score is not None and response.completed_at is None:
            response.completed_at = now
        response.save(update_fields=["answers", "score", "completed_at"])
        _audit_answer(
            request,
            response,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            user,
        )
        _stop_unsent_message(request)
    return response


def _stop_unsent_message(request: FeedbackRequest) -> None:
    """She has started answering (from her home, say): the question need not be sent."""
    if request.message_id:
        Message.objects.filter(pk=request.message_id, status=MessageStatus.PENDING).update(
            status=MessageStatus.CANCELLED, failure_reason="Stopped: she already answered"
        )


def request_finish(
    *,
    request: FeedbackRequest,
    waiting_room: str = "",
    next_topic: str = "",
    user: User | None = None,
    now: dt.datetime | None = None,
) -> FeedbackRequest:
    """Her optional ideas, and the end of the questionnaires. Saying nothing is fine."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        for question, text in (
            (SuggestionQuestion.WAITING_ROOM, waiting_room),
            (SuggestionQuestion.NEXT_TOPIC, next_topic),
        ):
            text = text.strip()
            if not text:
                continue
            suggestion, created = Suggestion.objects.update_or_create(
                request=locked,
                question=question,
                defaults={"clinic_id": locked.clinic_id, "text": text, "created_at": now},
            )
            audit_by(
                user=user,
                action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
                obj=suggestion,
                clinic=locked.clinic,
                patient_id=locked.patient_id,
            )
        if locked.completed_at is None:
            locked.completed_at = now
            locked.save(update_fields=["completed_at"])
        _stop_unsent_message(locked)
    request.completed_at = locked.completed_at
    return locked


def audit_answers_read(*, request: FeedbackRequest, user: User | None, ip_address: str | None):
    """Her saved answers were shown back to her (resuming, or going back a question)."""
    return audit_by(
        user=user,
        action=AuditEvent.Action.VIEW,
        obj=request,
        clinic=request.clinic,
        patient_id=request.patient_id,
        ip_address=ip_address,
    )


# -- co-production ------------------------------------------------------------------------------


def _tags(text: str) -> list[str]:
    seen: list[str] = []
    for tag in text.split(","):
        tag = " ".join(tag.split()).lower()[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:10]


def suggestion_review(
    *,
    suggestion: Suggestion,
    by: User,
    tags: str,
    status: str,
    entry: YouSaidWeDid | None = None,
    now: dt.datetime | None = None,
) -> Suggestion:
    """A coordinator tags a suggestion, marks it reviewed or acted on, and may link it to the
    "You said, we did" entry it led to."""
    now = now or timezone.now()
    if status not in SuggestionStatus.values:
        raise FeedbackRefused("Choose what happened to this suggestion.")
    if entry is not None and entry.clinic_id != suggestion.clinic_id:
        raise FeedbackRefused("Choose one of this clinic's entries.")
    with transaction.atomic():
        suggestion.tags = _tags(tags)
        suggestion.status = status
        suggestion.response_entry = entry
        suggestion.reviewed_at = now
        suggestion.save(update_fields=["tags", "status", "response_entry", "reviewed_at"])
        audit_by(user=by, action=AuditEvent.Action.CHANGE, obj=suggestion, clinic=suggestion.clinic)
    return suggestion


def you_said_we_did_create(
    *, clinic: Clinic, by: User, you_said: str, we_did: str, now: dt.datetime | None = None
) -> YouSaidWeDid:
    """A draft entry: members see it once it is published."""
    with transaction.atomic():
        entry = YouSaidWeDid.objects.create(
            clinic=clinic,
            you_said=you_said.strip(),
            we_did=we_did.strip(),
            created_by=by,
            created_at=now or timezone.now(),
        )
        audit_by(user=by, action=AuditEvent.Action.CREATE, obj=entry, clinic=clinic)
    return entry


def you_said_we_did_publish(
    *, entry: YouSaidWeDid, by: User, now: dt.datetime | None = None
) -> YouSaidWeDid:
    with transaction.atomic():
        changed = YouSaidWeDid.objects.filter(pk=entry.pk, published_at__isnull=True).update(
            published_at=now or timezone.now()
        )
        if changed:
            audit_by(user=by, action=AuditEvent.Action.PUBLISH, obj=entry, clinic=entry.clinic)
        entry.refresh_from_db()
    return entry


def mvp_export_audit(*, clinic: Clinic, by: User, ip_address: str | None, rows: int) -> None:
    audit_by(
        user=by,
        action=AuditEvent.Action.EXPORT,
        obj=None,
        clinic=clinic,
        object_type="feedback.mvp_export",
        object_id=f"{clinic.slug}:{rows}",
        ip_address=ip_address,
    )


def feedback_settings_save(
    *,
    clinic: Clinic,
    by: User,
    ask_after_sessions: bool,
    after_appointment_minutes: int,
    after_session_instruments: list[str],
    ask_baseline_and_later: bool,
    later_at_weeks: int,
    pair_instruments: list[str],
) -> FeedbackSettings:
    """When the clinic asks. Instruments are kept in the order they were listed."""
    with transaction.atomic():
        config, created = FeedbackSettings.objects.select_for_update().get_or_create(clinic=clinic)
        config.ask_after_sessions = ask_after_sessions
        config.after_appointment_minutes = after_appointment_minutes
        config.after_session_instruments = ",".join(after_session_instruments)
        config.ask_baseline_and_later = ask_baseline_and_later
        config.later_at_weeks = later_at_weeks
        config.pair_instruments = ",".join(pair_instruments)
        config.save()
        audit_by(
            user=by,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            obj=config,
            clinic=clinic,
        )
    return config
