"""Checking in from the waiting-room poster: its QR code or short code names the clinic, and a
signed-in member sees her groups there today with a check-in button for each."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waitroom.access import member_required
from waitroom.models import Clinic
from waitroom.rate_limits import Limit

from .. import selectors, services
from ..forms import CheckInCodeForm

# Wrong check-in codes one client may try: enough for a waiting room of women mistyping behind
# the hospital's wifi, far too few to find a code among 32**6 by guessing.
CHECKIN_CODE_GUESSES = Limit(scope="checkin-code", count=30, seconds=600)


def _link_problem(request: HttpRequest) -> HttpResponse:
    return render(request, "members/link_problem.html", status=404)


def _too_many_guesses(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def _clinic_by_code(request: HttpRequest, code: str) -> Clinic | None:
    """The clinic a check-in code names; each wrong code counts towards the guess limit."""
    clinic = selectors.clinic_by_checkin_code(code)
    if clinic is None:
        CHECKIN_CODE_GUESSES.spend(request)
    return clinic


def checkin_start(request: HttpRequest) -> HttpResponse:
    """Type the code from the poster (for phones that cannot scan)."""
    form = CheckInCodeForm(request.GET or None)
    if request.GET and form.is_valid():
        if CHECKIN_CODE_GUESSES.reached(request):
            return _too_many_guesses(request)
        code = form.cleaned_data["code"].strip().upper()
        if _clinic_by_code(request, code) is not None:
            return redirect("checkin_clinic", code=code)
        form.add_error("code", "We could not find that code. Check the poster and try again")
    return render(request, "members/checkin_start.html", {"form": form})


def checkin_clinic(request: HttpRequest, code: str) -> HttpResponse:
    """ "Groups in this waiting room today", for her, with check-in buttons."""
    if CHECKIN_CODE_GUESSES.reached(request):
        return _too_many_guesses(request)
    clinic = _clinic_by_code(request, code)
    if clinic is None:
        return render(
            request,
            "members/checkin_start.html",
            {"form": CheckInCodeForm(), "wrong_code": True},
            status=404,
        )
    patient = request.user.patient if request.user.is_authenticated else None
    sessions = selectors.sessions_today_for_member(clinic, patient) if patient else []
    return render(
        request,
        "members/checkin_clinic.html",
        {
            "clinic": clinic,
            "code": clinic.checkin_code,
            "sessions": sessions,
            "is_member": patient is not None,
            "login_url": reverse("account_request_login_code") + "?next=" + request.path,
        },
    )


@require_POST
@member_required
def checkin_session(request: HttpRequest, code: str, session_id: int) -> HttpResponse:
    if CHECKIN_CODE_GUESSES.reached(request):
        return _too_many_guesses(request)
    clinic = _clinic_by_code(request, code)
    if clinic is None:
        return _link_problem(request)
    session = selectors.session_today_for_member(clinic, request.user.patient, session_id)
    try:
        _, created = services.member_check_in(session=session, patient=request.user.patient)
    except services.MemberActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"You are checked in to {session.cohort.public_name}. Welcome!"
            if created
            else "You are already checked in.",
        )
    return redirect("checkin_clinic", code=clinic.checkin_code)
