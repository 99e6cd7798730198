"""A coordinator's page for her clinic's staff, and its form drawn by the nhsuk pack."""

import pytest
from django.urls import reverse

from waitroom.models import Role, StaffRole

pytestmark = pytest.mark.django_db

NEW_FACILITATOR = {
    "email": "new.midwife@example.nhs.uk",
    "first_name": "Amara",
    "last_name": "Okafor",
    "role": Role.FACILITATOR,
}


def _team_url(clinic):
    return reverse("clinic_team", kwargs={"clinic_slug": clinic.slug})


def test_the_add_staff_form_is_drawn_with_nhs_markup(as_persona, clinic):
    response = as_persona("coordinator").get(_team_url(clinic))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="nhsuk-label" for="id_email">Email address</label>' in html
    assert '<div class="nhsuk-hint" id="id_email_helptext">' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert '<legend class="nhsuk-fieldset__legend">Role</legend>' in html
    assert 'class="nhsuk-radios__input" id="id_role_0" name="role" type="radio"' in html
    assert 'class="nhsuk-error-summary"' not in html
    assert "*" not in html[html.index("<h2>Add a member of staff</h2>") :]


def test_a_coordinator_adds_a_facilitator(as_persona, clinic):
    client = as_persona("coordinator")

    response = client.post(_team_url(clinic), NEW_FACILITATOR)

    assert response.status_code == 302
    assert response.url == _team_url(clinic)
    assert StaffRole.objects.filter(
        clinic=clinic, role=Role.FACILITATOR, user__email="new.midwife@example.nhs.uk"
    ).exists()
    page = client.get(response.url).content.decode()
    assert "Amara Okafor was added as facilitator" in page


def test_a_bad_email_gives_the_error_summary_and_keeps_what_was_typed(as_persona, clinic):
    response = as_persona("coordinator").post(
        _team_url(clinic), {**NEW_FACILITATOR, "email": "not-an-email", "role": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Staff at Riverside Antenatal Clinic" in html
    assert (
        '<li><a href="#id_email">Enter an email address in the correct format, '
        "like name@nhs.net</a></li>"
    ) in html
    assert '<li><a href="#id_role_0">Choose their role at this clinic</a></li>' in html
    assert "nhsuk-input nhsuk-input--error" in html
    assert 'value="not-an-email"' in html
    assert 'value="Amara"' in html
    assert not StaffRole.objects.filter(user__email="not-an-email").exists()


def test_another_clinics_coordinator_gets_404(as_persona, clinic):
    client = as_persona("other_coordinator")

    assert client.get(_team_url(clinic)).status_code == 404
    assert client.post(_team_url(clinic), NEW_FACILITATOR).status_code == 404
    assert not StaffRole.objects.filter(user__email=NEW_FACILITATOR["email"]).exists()


def test_a_facilitator_gets_403(as_persona, clinic):
    client = as_persona("facilitator")

    assert client.get(_team_url(clinic)).status_code == 403
    assert client.post(_team_url(clinic), NEW_FACILITATOR).status_code == 403


@pytest.mark.parametrize(
    "email",
    ["=1+2+cmd|'/Ccalc'!A0@example.nhs.uk", "+44@example.nhs.uk", "@SUM(A1)@example.nhs.uk"],
)
def test_an_email_that_could_run_as_a_spreadsheet_formula_is_refused(as_persona, clinic, email):
    response = as_persona("coordinator").post(
        _team_url(clinic), {**NEW_FACILITATOR, "email": email}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<li><a href="#id_email">Enter an email address in the correct format, '
        "like name@nhs.net</a></li>"
    ) in html
    assert not StaffRole.objects.filter(user__email=email).exists()


def test_ordinary_work_emails_are_accepted(as_persona, clinic):
    email = "amara.o'neill-okafor+rota@nhs.net"
    response = as_persona("coordinator").post(
        _team_url(clinic), {**NEW_FACILITATOR, "email": email}
    )
    assert response.status_code == 302
    assert StaffRole.objects.filter(user__email=email).exists()


def test_the_user_model_refuses_a_formula_email_wherever_it_is_entered(db):
    from django.core.exceptions import ValidationError

    from waitroom.models import User

    with pytest.raises(ValidationError) as refused:
        User(email="=1+2+cmd|'/Ccalc'!A0@example.nhs.uk").full_clean()
    assert "email" in refused.value.message_dict
