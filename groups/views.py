from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waitroom.access import member_required

from .selectors import member_groups, next_appointment, sessions_on_her_clinic_days


@member_required
def member_home(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient
    return render(
        request,
        "groups/member_home.html",
        {
            "patient": patient,
            "next_appointment": next_appointment(patient),
            "sessions": sessions_on_her_clinic_days(patient),
            "memberships": member_groups(patient),
        },
    )
