"""Staff pages for invitations and messages, the unsubscribe page, and Notify's callbacks.

Staff pages: coordinators and facilitators see a session's invitations; coordinators see the
clinic's message log and the demo outbox. Peer supporters get a 403 (these pages carry names and
contact details), staff of another clinic a 404 (waitroom.access).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sessions.selectors import session_for_clinic
from waitroom.access import COORDINATORS, PROFESSIONALS, clinic_view
from waitroom.audit import audit_patients_shown
from waitroom.models import AuditEvent, Clinic

from .models import Channel, MessageKind, MessageStatus
from .selectors import (
    MessageFilters,
    clinic_messages,
    clinic_outbox,
    session_invitation_rows,
)
from .sending import UnsubscribeLinkExpired, patient_id_from_unsubscribe_token
from .services import inbound_sms_record, message_delivery_record, patient_opt_out

logger = logging.getLogger(__name__)


@clinic_view(PROFESSIONALS)
def session_invitations(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = session_for_clinic(clinic, session_id)
    rows, counts = session_invitation_rows(session)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        session,
        clinic=clinic,
        patient_ids=(row.invitation.patient_id for row in rows),
    )
    return render(
        request,
        "invitations/session_invitations.html",
        {"clinic": clinic, "session": session, "rows": rows, "counts": counts},
    )


def _filters(request: HttpRequest) -> MessageFilters:
    day = None
    try:
        if request.GET.get("day"):
            day = dt.date.fromisoformat(request.GET["day"])
    except ValueError:
        day = None
    return MessageFilters(
        kind=request.GET.get("kind", ""),
        status=request.GET.get("status", ""),
        channel=request.GET.get("channel", ""),
        day=day,
        failed_only=request.GET.get("failed") == "1",
    )


def _audit_messages_shown(request: HttpRequest, clinic: Clinic, page: Page) -> None:
    """The page's messages name the women they went to: one event per woman on this page."""
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        clinic,
        clinic=clinic,
        patient_ids=(message.recipient_id for message in page.object_list),
    )


@clinic_view(COORDINATORS)
def clinic_messages_log(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(clinic_messages(clinic.pk, filters), 50).get_page(request.GET.get("page"))
    _audit_messages_shown(request, clinic, page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "invitations/messages_log.html",
        {
            "clinic": clinic,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "kinds": MessageKind.choices,
            "statuses": MessageStatus.choices,
            "channels": Channel.choices,
        },
    )


@clinic_view(COORDINATORS)
def clinic_outbox_view(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    page = Paginator(clinic_outbox(clinic.pk), 25).get_page(request.GET.get("page"))
    _audit_messages_shown(request, clinic, page)
    return render(request, "invitations/outbox.html", {"clinic": clinic, "page": page})


# RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL with no
# cookies and no CSRF token; the signed token in the URL is the authority. GET only shows a
# button, because mail scanners follow links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        patient_id = patient_id_from_unsubscribe_token(token)
    except UnsubscribeLinkExpired:
        return render(request, "invitations/unsubscribe.html", {"expired": True}, status=410)
    if patient_id is None:
        return render(request, "invitations/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        patient_opt_out(patient_id=patient_id)
        return render(request, "invitations/unsubscribe.html", {"done": True})
    return render(request, "invitations/unsubscribe.html", {"token": token})


def _bearer_ok(request: HttpRequest) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _json_body(request: HttpRequest) -> dict | None:
    """The body as a JSON object, or None (the caller answers 400) for anything else.

    A deeply nested body makes the JSON decoder give up with RecursionError: that is bad
    input, not a fault of ours.
    """
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def notify_delivery_callback(request: HttpRequest) -> HttpResponse:
    """Notify's delivery receipt: {"id", "reference", "status", "notification_type", ...}."""
    if not _bearer_ok(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    body = _json_body(request)
    if body is None or not body.get("id") or not body.get("status"):
        return JsonResponse({"error": "expected JSON with id and status"}, status=400)
    message = message_delivery_record(
        provider_id=str(body["id"]),
        status=str(body["status"]),
        reference=str(body.get("reference") or ""),
    )
    if message is None:
        # Not ours, or a status we do not track: accepted, so Notify does not retry for ever.
        logger.info("delivery receipt for an unknown notification")
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def notify_inbound_sms_callback(request: HttpRequest) -> HttpResponse:
    """A text sent to our number: {"id", "source_number", "destination_number", "message", ...}.
    STOP opts her out at once. Neither the number nor the text is logged."""
    if not _bearer_ok(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    body = _json_body(request)
    if body is None or "source_number" not in body or "message" not in body:
        return JsonResponse({"error": "expected JSON with source_number and message"}, status=400)
    opted_out = inbound_sms_record(
        source_number=str(body["source_number"]), text=str(body["message"])
    )
    return JsonResponse({"ok": True, "opted_out": opted_out})
