"""Changes a member makes from her phone: answering an invitation, making an account from its
link, checking in, her contact preferences, and deleting her account."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from groups.models import JoinRequest, Post, PostReport, Thread
from sessions.facilitation.models import Attendance, CheckInMethod
from sessions.facilitation.services import FacilitationError, attendance_check_in
from sessions.invitations.models import CancelReason, Invitation
from sessions.invitations.services import (
    InvitationClosed,
    invitation_accept,
    invitation_decline,
    invitations_replan_for_patients,
    invitations_stop_for_patient,
)
from sessions.models import Patient, WaitingRoomSession
from waitroom.models import User


class MemberActionRefused(Exception):
    """The rule said no; the message is written for her and safe to show."""


def invitation_answer(
    *,
    invitation: Invitation,
    accept: bool,
    adults_with_her: int = 0,
    children_with_her: int = 0,
) -> Invitation:
    """She accepts (saying who is coming with her) or declines from the link. The invitations
    app decides capacity, counting a place for each person, and whether she may still answer
    (Invitation.answer_refusal), under its lock."""
    try:
        if accept:
            return invitation_accept(
                invitation=invitation,
                adults_with_her=adults_with_her,
                children_with_her=children_with_her,
            )
        return invitation_decline(invitation=invitation)
    except InvitationClosed as refusal:
        raise MemberActionRefused(str(refusal)) from refusal


# One answer for every reason an account cannot be made with an address, so the page never
# says which addresses already have accounts (issue 10, item 12).
ACCOUNT_NOT_MADE = (
    "We could not make an account with this email address. Use another email address, or ask "
    "at the clinic and we will help."
)


@transaction.atomic
def account_create_from_invitation(
    *, invitation: Invitation, email: str, display_name: str
) -> User:
    """Her account, linked to the Patient the invitation names. Call only once she has typed the
    code sent to a contact on file (account_codes.py): that is what proves it is her."""
    patient = Patient.objects.select_for_update().get(pk=invitation.patient_id)
    if patient.user_id is not None:
        raise MemberActionRefused("You already have an account. Sign in with a code instead.")
    if User.objects.filter(email__iexact=email).exists():
        raise MemberActionRefused(ACCOUNT_NOT_MADE)
    user = User.objects.create_user(email=email, display_name=display_name)
    patient.user = user
    patient.save(update_fields=["user"])
    return user


def member_check_in(*, session: WaitingRoomSession, patient: Patient) -> tuple[Attendance, bool]:
    """Record that she is here, by the code on the poster or her invitation link, inside the
    session's check-in window: attendance_check_in refuses by WaitingRoomSession.check_in_refusal,
    the one rule for "may she check in now?"."""
    try:
        return attendance_check_in(session=session, patient=patient, method=CheckInMethod.QR_CODE)
    except FacilitationError as refusal:
        raise MemberActionRefused(str(refusal)) from refusal


def messages_stop(*, patient: Patient, reason: str = CancelReason.OPTED_OUT) -> int:
    """Cancel every message not yet sent to her (and, through the invitations app, close her
    open invitations so places go to the waiting list). Returns how many were stopped."""
    return invitations_stop_for_patient(patient_id=patient.pk, reason=reason)


@transaction.atomic
def preferences_update(
    *,
    patient: Patient,
    consent_sms: bool,
    consent_email: bool,
    opt_out: bool,
    preferred_language: str,
    display_name: str | None = None,
) -> Patient:
    patient.consent_sms = consent_sms and not opt_out
    patient.consent_email = consent_email and not opt_out
    patient.preferred_language = preferred_language
    # The form asks for the language of an interpreter (pages are English only for now), so her
    # choice is also whether she needs one: staff see it on the run sheet.
    patient.interpreter_needed = preferred_language != "en"
    if opt_out and patient.opted_out_at is None:
        patient.opted_out_at = timezone.now()
    elif not opt_out:
        patient.opted_out_at = None
    patient.save(
        update_fields=[
            "consent_sms",
            "consent_email",
            "preferred_language",
            "interpreter_needed",
            "opted_out_at",
        ]
    )
    if opt_out or not (consent_sms or consent_email):
        messages_stop(
            patient=patient,
            reason=CancelReason.OPTED_OUT if opt_out else CancelReason.NOT_ELIGIBLE,
        )
    else:
        # Consent given or changed: she may now fit sessions she was not invited to.
        invitations_replan_for_patients(patient_ids=[patient.pk])
    if display_name is not None and patient.user is not None:
        patient.user.display_name = display_name
        patient.user.save(update_fields=["display_name"])
    return patient


@transaction.atomic
def member_account_delete(*, user: User) -> None:
    """Remove her account, display name and what she wrote (posts, threads, report details,
    pending requests to join groups); stop all messages.

    Her Patient record, appointments and attendance are the hospital's records and stay (NHS
    records rules); they lose the link to the account and she is opted out of messages.
    """
    patient = user.patient
    now = timezone.now()
    Post.objects.filter(author=user, removed_at__isnull=True).update(body="", removed_at=now)
    Post.objects.filter(author=user).update(body="")
    Thread.objects.filter(author=user).update(title="")
    # What she wrote when reporting a post is hers too; the reason (a category) stays for the
    # moderators, without her name (the reporter link goes with the account).
    PostReport.objects.filter(reporter=user).update(detail="")
    if patient is not None:
        patient.opted_out_at = patient.opted_out_at or now
        patient.consent_sms = patient.consent_email = False
        patient.user = None
        patient.save(update_fields=["opted_out_at", "consent_sms", "consent_email", "user"])
        messages_stop(patient=patient, reason=CancelReason.ACCOUNT_DELETED)
        patient.cohort_memberships.update(group_joined_at=None)
        # A request to join a group is hers, not the hospital's: a pending one would still show
        # her name and hospital number to coordinators, and could be approved.
        JoinRequest.objects.pending().filter(patient=patient).delete()
    user.delete()
