from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from waitroom.access import RUNS_SESSIONS, STAFF_ROLES, clinic_view, staff_required
from waitroom.models import Clinic

from .ics import session_event, sessions_calendar
from .selectors import feed_owner, feed_sessions, sees_public_names_only, session_for_calendar
from .services import calendar_token_revoke, calendar_token_rotate

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@clinic_view(STAFF_ROLES, methods=["GET"])
def session_calendar(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    """One session's .ics, for professional staff at its clinic; a peer supporter gets the
    sessions she runs only (she sees what she needs to run a session and nothing more)."""
    public_names = sees_public_names_only(request.user, clinic.pk)
    session = session_for_calendar(
        clinic, session_id, runner=request.user if public_names else None
    )
    event = session_event(
        session, for_member=False, public_names=public_names, url=run_sheet_url(session)
    )
    body = sessions_calendar([event], name=str(event["summary"]))
    # The filename carries the session's id only: no cohort name lands in a downloads folder.
    return _calendar_response(body, filename=f"waitroom-session-{session.pk}.ics")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A facilitator's or peer supporter's personal feed; the secret in the URL is the key."""
    owner = feed_owner(token)
    if owner is None:
        raise Http404("No such calendar")
    events = [
        session_event(
            session,
            for_member=False,
            public_names=sees_public_names_only(owner, session.clinic_id),
            url=run_sheet_url(session),
        )
        for session in feed_sessions(owner)
    ]
    response = _calendar_response(sessions_calendar(events, name="Waitroom sessions"))
    # The URL is a secret: keep it out of search engines and shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def run_sheet_url(session) -> str:
    """Where a staff calendar event opens: the session's run sheet (sign-in needed)."""
    return settings.SITE_URL + reverse(
        "run_sheet", kwargs={"clinic_slug": session.clinic.slug, "session_id": session.pk}
    )


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token})


@staff_required(*RUNS_SESSIONS)
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Where she finds her feed's address, and creates, replaces or turns off the feed."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            replaced = bool(user.calendar_token)
            calendar_token_rotate(user=user)
            messages.success(
                request,
                "Your calendar address has been replaced. The old address no longer works."
                if replaced
                else "Your calendar address is ready. Add it to your calendar app.",
            )
        elif action == "revoke" and user.calendar_token:
            calendar_token_revoke(user=user)
            messages.success(request, "Your calendar address has been turned off.")
        return redirect("sessions_calendar")
    url = feed_url(user.calendar_token) if user.calendar_token else ""
    return render(
        request,
        "sessions/calendars/calendar_settings.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1] if url else ""},
    )
