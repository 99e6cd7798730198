"""Her home page, what was signposted to her, and her preferences and privacy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from groups.forms import posted
from sessions.feedback.links import feedback_token
from sessions.feedback.selectors import open_requests_for_patient
from waitroom.access import member_required

from .. import selectors, services
from ..forms import DeleteAccountForm, PreferencesForm


@member_required
def member_home(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient
    memberships = list(selectors.member_groups(patient))
    cohort_ids = [m.cohort_id for m in memberships]
    appointments = selectors.upcoming_appointments(patient)
    return render(
        request,
        "groups/member_home.html",
        {
            "patient": patient,
            "next_appointment": appointments[0] if appointments else None,
            "her_sessions": selectors.member_sessions(patient),
            "sessions": selectors.sessions_on_her_clinic_days(
                patient, appointments=appointments, cohort_ids=cohort_ids
            ),
            "partner_meetings": selectors.partner_meetings_near_her_days(
                patient, appointments=appointments, cohort_ids=cohort_ids
            ),
            "memberships": memberships,
            "resources": selectors.member_resources(patient, cohort_ids=cohort_ids),
            # Questions she has not finished: the same signed link as in her message.
            "questions": [
                (feedback_request, feedback_token(feedback_request))
                for feedback_request in open_requests_for_patient(patient)
            ],
        },
    )


@member_required
def my_resources(request: HttpRequest) -> HttpResponse:
    """What was signposted at the sessions she came to, newest first."""
    return render(
        request,
        "resources/my_resources.html",
        {"sessions": selectors.signposted_for_patient(request.user.patient)},
    )


@member_required
def preferences(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient
    form = PreferencesForm(
        posted(request),
        initial={
            "display_name": request.user.display_name,
            "consent_sms": patient.consent_sms,
            "consent_email": patient.consent_email,
            "opt_out": patient.opted_out_at is not None,
            "preferred_language": patient.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(patient=patient, **form.cleaned_data)
        messages.success(request, "Your preferences have been saved.")
        return redirect("member_preferences")
    return render(request, "members/preferences.html", {"form": form, "patient": patient})


@member_required
def your_information(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient
    return render(
        request,
        "members/your_information.html",
        {
            "patient": patient,
            "appointment_count": patient.appointments.count(),
            "memberships": selectors.member_groups(patient),
        },
    )


@member_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.member_account_delete(user=user)
        return redirect("member_account_deleted")
    return render(request, "members/delete_account.html", {"form": form})


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "members/account_deleted.html")
