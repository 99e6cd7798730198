from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sessions.facilitation.selectors import urgent_concerns_for
from sessions.selectors import clinic_overviews, sessions_for_facilitator
from waitroom.access import (
    COORDINATORS,
    PROFESSIONALS,
    RUNS_SESSIONS,
    clinic_roles,
    staff_clinics,
    staff_required,
)


@staff_required(*COORDINATORS)
def coordinator_home(request: HttpRequest) -> HttpResponse:
    overviews = clinic_overviews(staff_clinics(request.user, *COORDINATORS))
    return render(
        request,
        "sessions/coordinator_home.html",
        {
            "overviews": overviews,
            "urgent_concerns": urgent_concerns_for(request.user),
            # The outbox holds messages only when they are kept in the app (the demo).
            "show_outbox": settings.MESSAGE_CHANNEL == "outbox",
        },
    )


@staff_required(*RUNS_SESSIONS)
def sessions_home(request: HttpRequest) -> HttpResponse:
    """A facilitator's or peer supporter's home: the sessions she is running."""
    is_peer_supporter_only = not clinic_roles(request.user).has(*PROFESSIONALS)
    return render(
        request,
        "sessions/sessions_home.html",
        {
            "sessions": sessions_for_facilitator(request.user),
            "is_peer_supporter_only": is_peer_supporter_only,
        },
    )
