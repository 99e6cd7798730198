""" "You said, we did" for a member: what her clinics changed because of what women said."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waitroom.access import member_required

from .. import selectors


@member_required
def member_you_said_we_did(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.published_entries_for_patient(request.user.patient))
    return render(request, "feedback/member_you_said_we_did.html", {"entries": entries})
