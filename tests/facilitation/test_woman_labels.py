"""One label for each woman wherever the people running a session see her (run sheet, concern
form, concern page), so a concern names the woman the peer supporter meant."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.facilitation.models import AttendanceStatus, Concern
from sessions.facilitation.selectors import women_at_session
from sessions.facilitation.services import attendance_check_in, attendance_mark
from sessions.invitations.models import InvitationState
from tests.artefacts import href_of
from waitroom.models import AuditEvent

from .conftest import forbidden_fields

pytestmark = pytest.mark.django_db


def run_sheet_labels(page: str) -> dict[int, str]:
    """patient id → the label in each woman's heading on the run sheet."""
    found = re.findall(
        r'<li class="waitroom-run-sheet__woman" id="woman-(\d+)">\s*<h3[^>]*>([^<]*)', page
    )
    return {int(pk): html.unescape(label).strip() for pk, label in found}


def concern_form_labels(page: str) -> dict[str, str]:
    """radio value → its label, for "Who is the concern about?"."""
    found = re.findall(
        r'name="about" type="radio" value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]*)</label>', page
    )
    return {value: html.unescape(label).strip() for value, label in found}


@pytest.fixture
def three_women(session, expect_woman, facilitator):
    """Three women expected, none with a display name; only the second and third came. The
    old concern form numbered the women who came, so its "Woman 1" was the run sheet's
    "Woman 2"."""
    women = [expect_woman(session, minutes_after_start=m) for m in (20, 30, 40)]
    attendance_check_in(session=session, patient=women[1])
    attendance_mark(session=session, patient=women[2], status=AttendanceStatus.LATE, by=facilitator)
    return women


def test_each_woman_has_the_same_label_on_the_run_sheet_and_the_concern_form(
    as_persona, session, three_women
):
    client = as_persona("peer_supporter")
    run_sheet = client.get(reverse("run_sheet", args=[session.clinic.slug, session.pk]))
    on_run_sheet = run_sheet_labels(run_sheet.content.decode())
    assert set(on_run_sheet) == {w.pk for w in three_women}

    concern_url = href_of(run_sheet, "Raise a concern")
    on_form = concern_form_labels(client.get(concern_url).content.decode())
    came = three_women[1:]
    assert on_form == {
        **{str(w.pk): on_run_sheet[w.pk] for w in came},
        "session": "The session generally",
    }


def test_the_concern_raised_names_the_woman_chosen_by_her_run_sheet_label(
    as_persona, session, three_women
):
    client = as_persona("peer_supporter")
    run_sheet = client.get(reverse("run_sheet", args=[session.clinic.slug, session.pk]))
    meant = three_women[2]
    label = run_sheet_labels(run_sheet.content.decode())[meant.pk]

    concern_url = href_of(run_sheet, "Raise a concern")
    form = concern_form_labels(client.get(concern_url).content.decode())
    # She picks the option that reads as the run sheet does, as a person would.
    about = next(value for value, text in form.items() if text == label)
    response = client.post(
        concern_url,
        {
            "about": about,
            "category": "mental_health",
            "urgency": "routine",
            "description": "She seemed very low.",
        },
        follow=True,
    )
    assert Concern.objects.get().patient == meant
    assert label in response.content.decode()  # the concern page names her the same way
    run_sheet = client.get(reverse("run_sheet", args=[session.clinic.slug, session.pk]))
    assert f"mental health about {label}, raised" in run_sheet.content.decode()


def test_the_label_is_her_display_name_or_initial_with_her_appointment_time(session, expect_woman):
    named = expect_woman(session, display_name="Sunflower", minutes_after_start=25)
    unnamed = expect_woman(session, minutes_after_start=40)
    at = {
        m: f"{timezone.localtime(session.start + dt.timedelta(minutes=m)):%H:%M}" for m in (25, 40)
    }
    labels = {w.patient.pk: w.label for w in women_at_session(session)}
    assert labels == {
        named.pk: f"Sunflower, appointment {at[25]}",
        unnamed.pk: f"{unnamed.given_name[0]}., appointment {at[40]}",
    }


def test_a_label_does_not_change_when_someone_else_declines(session, expect_woman):
    first = expect_woman(session, minutes_after_start=20)
    second = expect_woman(session, minutes_after_start=30)
    before = {w.patient.pk: w.label for w in women_at_session(session)}
    first.invitations.update(state=InvitationState.DECLINED)
    after = {w.patient.pk: w.label for w in women_at_session(session)}
    assert after == {second.pk: before[second.pk]}


def test_two_women_who_would_share_a_label_are_numbered(session, expect_woman):
    twins = [
        expect_woman(session, display_name="Rose", minutes_after_start=30),
        expect_woman(session, display_name="Rose", minutes_after_start=30),
    ]
    labels = [w.label for w in women_at_session(session)]
    at = f"{timezone.localtime(session.start + dt.timedelta(minutes=30)):%H:%M}"
    assert labels == [f"Rose, appointment {at} (1)", f"Rose, appointment {at} (2)"]
    assert len(twins) == 2


def test_the_concern_form_and_page_show_a_peer_supporter_nothing_clinical(
    as_persona, session, cohort, three_women
):
    client = as_persona("peer_supporter")
    form = client.get(reverse("concern_create", args=[session.clinic.slug, session.pk]))
    client.post(
        form.request["PATH_INFO"],
        {
            "about": str(three_women[1].pk),
            "category": "other",
            "urgency": "routine",
            "description": "Asked about parking.",
        },
    )
    concern = Concern.objects.get()
    detail = client.get(reverse("concern_detail", args=[session.clinic.slug, concern.pk]))
    for page in (form.content.decode(), detail.content.decode()):
        for woman in three_women:
            for value in forbidden_fields(woman, cohort):
                assert value not in page


def test_opening_the_concern_form_audits_each_woman_it_names(as_persona, session, three_women):
    as_persona("peer_supporter").get(
        reverse("concern_create", args=[session.clinic.slug, session.pk])
    )
    audited = AuditEvent.objects.filter(action="view", object_type="waitingroom.patient")
    assert sorted(audited.values_list("patient_id", flat=True)) == sorted(
        w.pk for w in three_women[1:]
    )


def test_a_professional_sees_her_real_name_beside_the_same_label_on_every_runner_page(
    as_persona, session, three_women
):
    client = as_persona("facilitator")
    woman = three_women[1]
    real = f"{woman.first_name} {woman.family_name}"
    run_sheet = client.get(reverse("run_sheet", args=[session.clinic.slug, session.pk]))
    label = run_sheet_labels(run_sheet.content.decode())[woman.pk]
    assert html.escape(f"({real}, {woman.hospital_number})") in run_sheet.content.decode()

    concern_url = href_of(run_sheet, "Raise a concern")
    form = concern_form_labels(client.get(concern_url).content.decode())
    assert form[str(woman.pk)] == f"{real} ({label})"
    response = client.post(
        concern_url,
        {"about": str(woman.pk), "category": "other", "urgency": "routine", "description": "Hi"},
        follow=True,
    )
    assert html.escape(f"{real} ({woman.hospital_number}): {label}") in response.content.decode()
