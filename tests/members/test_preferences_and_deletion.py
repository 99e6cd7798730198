"""Contact preferences, "Your information", and deleting her account."""

import pytest
from django.urls import reverse

from groups.services import thread_start
from sessions.invitations.models import Message, MessageStatus
from tests.factories import CohortFactory
from waitroom.models import User

from .builders import group_member, invitation_for

pytestmark = pytest.mark.django_db


def _pending_message(invitation):
    from django.utils import timezone

    return Message.objects.create(
        invitation=invitation, kind="reminder", channel="sms", due_at=timezone.now()
    )


def test_she_changes_her_preferences(client, member):
    client.force_login(member)
    response = client.post(
        reverse("member_preferences"),
        {"display_name": "Moonbeam", "consent_sms": "on", "preferred_language": "pl"},
    )
    assert response.status_code == 302
    patient = member.patient
    patient.refresh_from_db()
    member.refresh_from_db()
    assert patient.consent_sms and not patient.consent_email
    assert patient.preferred_language == "pl"
    assert member.display_name == "Moonbeam"


def test_opting_out_stops_every_pending_message(client, clinic, member):
    invitation = invitation_for(clinic, patient=member.patient)
    message = _pending_message(invitation)
    client.force_login(member)
    client.post(
        reverse("member_preferences"),
        {
            "display_name": "Sunflower",
            "consent_sms": "on",
            "opt_out": "on",
            "preferred_language": "en",
        },
    )
    member.patient.refresh_from_db()
    assert member.patient.opted_out_at is not None
    assert not member.patient.consent_sms
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED


def test_your_information_shows_her_record_and_who_sees_it(client, member):
    client.force_login(member)
    body = client.get(reverse("member_information")).content.decode()
    assert member.patient.hospital_number in body
    assert "Peer supporters" in body


def test_deleting_her_account_leaves_nothing_of_hers_on_member_pages(client, clinic):
    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    leaver = group_member(cohort, display_name="Sunny", email="leaver@example.com", clinic=clinic)
    thread = thread_start(
        membership=leaver.patient.cohort_memberships.get(),
        author=leaver,
        title="My private worries",
        body="Something very personal",
    )
    invitation = invitation_for(clinic, patient=leaver.patient, cohort=cohort)
    message = _pending_message(invitation)
    patient = leaver.patient

    client.force_login(leaver)
    response = client.post(reverse("member_delete_account"), {})
    assert b"Tick the box to confirm" in response.content
    response = client.post(reverse("member_delete_account"), {"confirm": "on"})
    assert response.url == reverse("member_account_deleted")

    assert not User.objects.filter(email="leaver@example.com").exists()
    patient.refresh_from_db()
    assert patient.user is None and patient.opted_out_at is not None
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED

    reader = group_member(cohort, display_name="Reader", clinic=clinic)
    client.force_login(reader)
    pages = [
        client.get(reverse("group_detail", args=[cohort.pk])).content.decode(),
        client.get(reverse("thread_detail", args=[cohort.pk, thread.pk])).content.decode(),
    ]
    for page in pages:
        for secret in (
            "Sunny",
            "leaver@example.com",
            "My private worries",
            "Something very personal",
            patient.given_name,
            patient.family_name,
        ):
            assert secret not in page
    assert "removed by the member" in pages[1]


def test_giving_consent_again_replans_her_sessions(client, django_capture_on_commit_callbacks):
    from groups.members.services import preferences_update
    from sessions.models import SessionStatus
    from tests.factories import (
        AppointmentFactory,
        CohortMembershipFactory,
        PatientFactory,
        WaitingRoomSessionFactory,
    )

    session = WaitingRoomSessionFactory(status=SessionStatus.PUBLISHED)
    patient = PatientFactory(
        organisation=session.clinic.organisation, consent_sms=False, consent_email=False
    )
    CohortMembershipFactory(cohort=session.cohort, patient=patient)
    AppointmentFactory(patient=patient, clinic=session.clinic, start=session.start)
    session.planning_due_at = None
    session.save(update_fields=["planning_due_at"])

    with django_capture_on_commit_callbacks(execute=False):
        preferences_update(
            patient=patient,
            consent_sms=True,
            consent_email=False,
            opt_out=False,
            preferred_language="en",
        )

    session.refresh_from_db()
    assert session.planning_due_at is not None


def _staff_notes_for(client, invitation) -> str:
    """The Notes cell of her row on the coordinator's invitations page, as text."""
    import re

    session = invitation.session
    url = reverse("session_invitations", args=[session.clinic.slug, session.pk])
    html = client.get(url).content.decode()
    cell = re.search(r'aria-hidden="true">Notes </span>(.*?)</td>', html, re.DOTALL).group(1)
    return " ".join(cell.split())


def test_after_she_deletes_her_account_staff_read_what_happened_once(client, clinic, coordinator):
    leaver = group_member(
        CohortFactory(clinics=[clinic]), display_name="Sunny", email="gone@example.com"
    )
    invitation = invitation_for(clinic, patient=leaver.patient)
    client.force_login(leaver)
    client.post(reverse("member_delete_account"), {"confirm": "on"})

    client.force_login(coordinator)
    notes = _staff_notes_for(client, invitation)

    invitation.refresh_from_db()
    assert invitation.state == "cancelled"
    assert notes.count("She deleted her account") == 1
    assert "Opted out of messages" not in notes


def test_when_she_opts_out_staff_read_opted_out_once(client, clinic, member, coordinator):
    invitation = invitation_for(clinic, patient=member.patient)
    client.force_login(member)
    client.post(
        reverse("member_preferences"),
        {"display_name": "Sunflower", "opt_out": "on", "preferred_language": "en"},
    )

    client.force_login(coordinator)
    notes = _staff_notes_for(client, invitation)

    assert notes.count("Opted out of messages") == 1
    assert "deleted her account" not in notes


def test_when_she_turns_off_texts_and_emails_staff_read_no_consent_not_opted_out(
    client, clinic, member, coordinator
):
    invitation = invitation_for(clinic, patient=member.patient)
    client.force_login(member)
    client.post(
        reverse("member_preferences"), {"display_name": "Sunflower", "preferred_language": "en"}
    )

    client.force_login(coordinator)
    notes = _staff_notes_for(client, invitation)

    assert notes == "No longer in the group, or no consent."


def test_the_language_question_says_it_is_for_an_interpreter_while_pages_are_english(
    client, member
):
    client.force_login(member)

    html = client.get(reverse("member_preferences")).content.decode()

    assert "Language for an interpreter" in html
    assert "pages and messages are only in English for now" in html
    assert "so they can arrange one" in html
    assert "English: I do not need an interpreter" in html
    assert "Your preferred language" not in html


@pytest.mark.parametrize(("language", "needed"), [("pl", True), ("en", False)])
def test_choosing_a_language_tells_staff_whether_she_needs_an_interpreter(
    client, member, language, needed
):
    member.patient.interpreter_needed = not needed
    member.patient.save(update_fields=["interpreter_needed"])
    client.force_login(member)

    client.post(
        reverse("member_preferences"),
        {"display_name": "Moonbeam", "consent_sms": "on", "preferred_language": language},
    )

    member.patient.refresh_from_db()
    assert (member.patient.preferred_language, member.patient.interpreter_needed) == (
        language,
        needed,
    )


def test_deleting_her_account_removes_her_report_text_and_pending_join_requests(
    client, clinic, coordinator
):
    from groups.models import JoinRequest, PostReport
    from groups.services import join_request_create, post_report

    cohort = CohortFactory(public_name="Twins and more group", clinics=[clinic])
    other_group = CohortFactory(public_name="Evening group", clinics=[clinic])
    leaver = group_member(cohort, display_name="Sunny", email="leaver@example.com", clinic=clinic)
    author = group_member(cohort, display_name="Writer", clinic=clinic)
    post = thread_start(
        membership=author.patient.cohort_memberships.get(),
        author=author,
        title="Hello",
        body="Hi all",
    ).posts.get()
    post_report(post=post, reporter=leaver, reason="other", detail="Qxdetail about my husband")
    join_request = join_request_create(patient=leaver.patient, cohort=other_group)
    patient = leaver.patient

    client.force_login(leaver)
    client.post(reverse("member_delete_account"), {"confirm": "on"})

    report = PostReport.objects.get()
    assert report.detail == ""
    assert report.reporter is None
    assert not JoinRequest.objects.filter(pk=join_request.pk).exists()
    client.force_login(coordinator)
    requests_page = client.get(reverse("join_requests", args=[clinic.slug])).content.decode()
    assert patient.hospital_number not in requests_page
    assert patient.family_name not in requests_page
    response = client.post(
        reverse("join_request_decide", args=[clinic.slug, join_request.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    moderation = client.get(reverse("moderation_post", args=[clinic.slug, post.pk]))
    assert "Qxdetail" not in moderation.content.decode()
