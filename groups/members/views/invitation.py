"""The pages her invitation link opens: the invitation (answer, calendar), making her account,
and checking in. No account is needed for any of them.

The link is the proof of who she is for these pages: a tampered, expired or cancelled link gets
a kind page that names nobody and no session.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groups.forms import posted
from sessions.calendars.ics import session_ics
from sessions.invitations.links import InvalidLink, invitation_from_token
from sessions.invitations.models import Invitation, InvitationState
from sessions.invitations.wording import invitation_link
from sessions.models import SessionStatus

from .. import account_codes, selectors, services
from ..forms import AccountCodeForm, AccountContactForm, ComingWithHerForm


def _link_problem(request: HttpRequest) -> HttpResponse:
    return render(request, "members/link_problem.html", status=404)


def _invitation(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """The invitation the signed link names, or the page to show instead."""
    try:
        invitation = invitation_from_token(token)
    except InvalidLink:
        return _link_problem(request)
    if (
        invitation.state == InvitationState.CANCELLED
        or invitation.session.status == SessionStatus.CANCELLED
    ):
        return render(request, "members/invitation_cancelled.html", status=410)
    return invitation


@never_cache
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    return _render_invitation(
        request, token, invitation, ComingWithHerForm(session=invitation.session)
    )


def _render_invitation(
    request: HttpRequest, token: str, invitation: Invitation, form: ComingWithHerForm
) -> HttpResponse:
    session = invitation.session
    page = selectors.invitation_page(invitation)
    return render(
        request,
        "members/invitation.html",
        {
            "form": form,
            "token": token,
            "invitation": invitation,
            "session": session,
            "cohort": session.cohort,
            "clinic": session.clinic,
            "appointment": invitation.appointment,
            "facilitator_name": page.facilitator_name,
            "is_past": session.end <= timezone.now(),
            "has_account": invitation.patient.user_id is not None,
            "check_in_open": session.check_in_open(),
            "checked_in": page.checked_in,
        },
    )


@require_POST
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    accept = request.POST.get("answer") == "accept"
    form = ComingWithHerForm(request.POST, session=invitation.session)
    if accept and not form.is_valid():
        return _render_invitation(request, token, invitation, form)
    people = form.people() if accept else {}
    try:
        invitation = services.invitation_answer(invitation=invitation, accept=accept, **people)
    except services.MemberActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if invitation.state == InvitationState.ACCEPTED:
            messages.success(request, "Thank you. Your place is booked. See you there.")
        elif invitation.state == InvitationState.WAITING_LIST:
            messages.success(
                request,
                "The group is full, so you are on the waiting list. We will text you if a "
                "place comes free.",
            )
        else:
            messages.success(
                request, "Thank you for letting us know. You will still be invited to others."
            )
    return redirect("invitation_page", token=token)


def invitation_calendar(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    response = HttpResponse(
        session_ics(invitation.session, for_member=True, url=invitation_link(invitation)),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = 'attachment; filename="waiting-room-group.ics"'
    return response


@never_cache
def invitation_account(request: HttpRequest, token: str) -> HttpResponse:
    """Step 1: she chooses a contact the hospital holds for her, and we send a code to it.

    The link alone never makes an account (a text can be forwarded): see account_codes.py.
    """
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    if invitation.patient.user_id is not None:
        return render(request, "members/account_exists.html", {"token": token})
    choices = account_codes.contacts_on_file(invitation.patient)
    if not choices:
        return render(request, "members/account_at_clinic.html", {"token": token})
    form = AccountContactForm(
        posted(request), choices=[(choice.key, choice.label) for choice in choices]
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_codes.account_code_send(
                session=request.session,
                invitation=invitation,
                contact=form.cleaned_data["contact"],
            )
        except account_codes.CodeRefused as refusal:
            form.add_error("contact", str(refusal))
        else:
            return redirect("invitation_account_code", token=token)
    return render(
        request,
        "members/account_create.html",
        {"form": form, "token": token, "cohort": invitation.session.cohort},
    )


@never_cache
def invitation_account_code(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: she types the code; only then is the account made, linked and signed in."""
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    patient = invitation.patient
    if patient.user_id is not None:
        return render(request, "members/account_exists.html", {"token": token})
    contact = account_codes.pending_contact(session=request.session, invitation=invitation)
    if contact is None and request.method != "POST":
        return redirect("invitation_account", token=token)
    form = AccountCodeForm(posted(request), needs_email=not patient.email)
    if request.method == "POST" and form.is_valid():
        try:
            account_codes.account_code_check(
                session=request.session, invitation=invitation, code=form.cleaned_data["code"]
            )
            user = services.account_create_from_invitation(
                invitation=invitation,
                email=patient.email or form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
            )
        except account_codes.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        except services.MemberActionRefused as refusal:
            if "email" in form.fields:
                form.add_error("email", str(refusal))
            else:
                # Her email on file cannot be used (say, a staff account has it): nothing she
                # can type here would help.
                form.add_error(
                    None,
                    "We could not make your account online. Ask at the clinic and we will help.",
                )
        else:
            account_codes.account_code_forget(session=request.session)
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, "Your account is ready. You are signed in.")
            return redirect("member_home")
    return render(
        request,
        "members/account_code.html",
        {
            "form": form,
            "token": token,
            "sent_to": _sent_to(patient, contact),
        },
    )


def _sent_to(patient, contact: str | None) -> str:
    if contact == account_codes.EMAIL:
        return account_codes.masked_email(patient.email)
    if contact == account_codes.MOBILE:
        return account_codes.masked_mobile(patient.mobile)
    return ""


@require_POST
def invitation_check_in(request: HttpRequest, token: str) -> HttpResponse:
    """Check in from the invitation link: no account needed."""
    invitation = _invitation(request, token)
    if isinstance(invitation, HttpResponse):
        return invitation
    try:
        _, created = services.member_check_in(
            session=invitation.session, patient=invitation.patient
        )
    except services.MemberActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "You are checked in. Welcome!" if created else "You are already checked in.",
        )
    return redirect("invitation_page", token=token)
