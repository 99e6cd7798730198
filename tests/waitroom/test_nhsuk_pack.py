"""The project's crispy-forms template pack `nhsuk` (templates/nhsuk/): NHS.UK frontend markup."""

import datetime as dt
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from waitroom.widgets import NHSDateField


class ExampleForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="Your work email")
    places = forms.IntegerField(label="How many places?")
    password = forms.CharField(widget=forms.PasswordInput)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, help_text="Topics covered")
    room = forms.ChoiceField(label="Room", choices=[("a", "Room A"), ("b", "Room B")])
    role = forms.ChoiceField(
        label="Role",
        choices=[("facilitator", "Facilitator"), ("peer", "Peer supporter")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    languages = forms.MultipleChoiceField(
        label="Languages",
        choices=[("en", "English"), ("pl", "Polish")],
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label="She agrees to be contacted by text message")
    due = NHSDateField(label="Due date", help_text="For example, 27 3 2026")


def _render(form, tag="{{ form|crispy }}"):
    html = Template("{% load crispy_forms_tags %}" + tag).render(Context({"form": form}))
    return re.sub(r"\s+", " ", html)


def test_text_inputs_get_a_label_and_the_nhs_input_class():
    html = _render(ExampleForm())

    assert '<label class="nhsuk-label" for="id_email">Email address</label>' in html
    assert re.search(r'<input type="email" name="email"[^>]* class="[^"]*\bnhsuk-input\b', html)
    assert re.search(r'<input type="number" name="places"[^>]* class="[^"]*\bnhsuk-input\b', html)
    assert re.search(r'<input type="password" name="password"[^>]*\bnhsuk-input\b', html)
    assert '<label class="nhsuk-label" for="id_password">' in html


def test_a_hint_is_linked_to_its_input_by_aria_describedby():
    html = _render(ExampleForm())

    assert '<div class="nhsuk-hint" id="id_email_helptext">Your work email</div>' in html
    assert re.search(r'name="email"[^>]*aria-describedby="id_email_helptext"', html)
    assert re.search(r'<textarea[^>]*class="[^"]*\bnhsuk-textarea\b[^"]*"', html)
    assert re.search(r'<textarea[^>]*aria-describedby="id_notes_helptext"', html)


def test_a_select_gets_the_nhs_select_class():
    html = _render(ExampleForm())

    assert '<label class="nhsuk-label" for="id_room">Room</label>' in html
    assert re.search(r'<select name="room" class="[^"]*\bnhsuk-select\b', html)


def test_radios_are_a_fieldset_with_a_legend_and_labelled_inputs():
    html = _render(ExampleForm())

    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_role_helptext">' in html
    assert '<legend class="nhsuk-fieldset__legend">Role</legend>' in html
    assert '<div class="nhsuk-radios" data-module="nhsuk-radios">' in html
    assert (
        '<input class="nhsuk-radios__input" id="id_role_0" name="role" type="radio" '
        'value="facilitator">'
    ) in html
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_role_1">Peer supporter' in html


def test_checkboxes_are_a_fieldset_and_a_single_checkbox_has_its_label_beside_it():
    html = _render(ExampleForm())

    assert '<legend class="nhsuk-fieldset__legend">Languages</legend>' in html
    assert (
        '<input class="nhsuk-checkboxes__input" id="id_languages_1" name="languages" '
        'type="checkbox" value="pl">'
    ) in html
    assert re.search(
        r'<input type="checkbox" name="consent" class="[^"]*nhsuk-checkboxes__input', html
    )
    assert (
        '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_consent">'
        "She agrees to be contacted by text message</label>"
    ) in html


def test_a_date_is_three_labelled_boxes_in_a_group():
    html = _render(ExampleForm(initial={"due": dt.date(2026, 3, 27)}))

    assert (
        '<fieldset class="nhsuk-fieldset" role="group" aria-describedby="id_due_helptext">'
    ) in html
    assert '<div class="nhsuk-date-input" id="id_due">' in html
    for index, (part, label, width, value) in enumerate(
        [("day", "Day", 2, "27"), ("month", "Month", 2, "3"), ("year", "Year", 4, "2026")]
    ):
        assert (
            '<label class="nhsuk-label nhsuk-date-input__label" '
            f'for="id_due_{index}">{label}</label>'
        ) in html
        assert (
            f'<input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}" '
            f'id="id_due_{index}" name="due_{part}" type="text" inputmode="numeric" '
            f'spellcheck="false" value="{value}">'
        ) in html


class DueDateForm(forms.Form):
    due = NHSDateField(label="Due date")


def test_the_date_boxes_give_a_date_field_its_date():
    form = DueDateForm(data={"due_day": "7", "due_month": "3", "due_year": "2026"})

    assert form.is_valid()
    assert form.cleaned_data["due"] == dt.date(2026, 3, 7)


def test_empty_date_boxes_are_a_missing_date():
    form = DueDateForm(data={"due_day": "", "due_month": " ", "due_year": ""})

    assert form.errors["due"] == ["This field is required."]


def test_a_half_typed_date_is_an_error_and_comes_back_as_typed():
    form = ExampleForm(data={"due_day": "31", "due_month": "", "due_year": "2026"})

    html = _render(form)

    assert form.errors["due"] == ["Enter a real date, like 27 3 2026"]
    assert 'aria-describedby="id_due_helptext id_due_error"' in html
    assert (
        'id="id_due_0" name="due_day" type="text" inputmode="numeric" spellcheck="false" value="31"'
        in html
    )
    assert 'name="due_year" type="text" inputmode="numeric" spellcheck="false" value="2026"' in html
    assert "nhsuk-input--width-2 nhsuk-input--error" in html


def test_errors_give_messages_error_classes_and_a_summary_linking_each_field():
    html = _render(ExampleForm(data={"email": "nope"}))

    assert (
        '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary"> <div role="alert">'
        in html
    )
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in html
    links = re.findall(r'<li><a href="#([^"]+)">', html)
    assert links == [
        "id_email",
        "id_places",
        "id_password",
        "id_notes",
        "id_room",
        "id_role_0",
        "id_languages_0",
        "id_consent",
        "id_due_0",
    ]
    assert (
        '<span class="nhsuk-error-message" id="id_email_error"> '
        '<span class="nhsuk-u-visually-hidden">Error: </span>Enter a valid email address.'
    ) in html
    assert re.search(r'name="email"[^>]*aria-describedby="id_email_helptext id_email_error"', html)
    assert '<div id="div_id_email" class="nhsuk-form-group nhsuk-form-group--error">' in html
    assert re.search(r'name="email"[^>]*class="[^"]*nhsuk-input nhsuk-input--error', html)
    assert "nhsuk-textarea nhsuk-textarea--error" in html
    assert "nhsuk-select nhsuk-select--error" in html
    assert 'aria-describedby="id_role_helptext id_role_error"' in html


def test_errors_of_the_whole_form_appear_in_the_summary():
    class SessionTimesForm(forms.Form):
        topic = forms.CharField(label="Topic")

        def clean(self):
            raise forms.ValidationError("The session must end after it starts")

    html = _render(SessionTimesForm(data={"topic": "Sleep"}))

    assert '<li><a href="#id_topic">The session must end after it starts</a></li>' in html


def test_no_asterisk_marks_required_fields():
    html = _render(ExampleForm())

    assert "*" not in html
    assert "asteriskField" not in html


def test_the_crispy_tag_draws_a_form_with_a_fieldset_and_an_nhs_button():
    form = ExampleForm()
    form.helper = FormHelper()
    form.helper.form_action = "/somewhere/"
    form.helper.layout = Layout(Fieldset("Who is coming", "email", "role"), Submit("save", "Save"))
    request = RequestFactory().get("/")

    html = re.sub(
        r"\s+",
        " ",
        Template("{% load crispy_forms_tags %}{% crispy form %}").render(
            RequestContext(request, {"form": form})
        ),
    )

    assert '<form action="/somewhere/" method="post" novalidate>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert (
        '<fieldset class="nhsuk-fieldset"> <legend class="nhsuk-fieldset__legend '
        'nhsuk-fieldset__legend--m">Who is coming</legend>'
    ) in html
    assert re.search(
        r'<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="save" '
        r'value="Save" id="submit-id-save">Save</button>',
        html,
    )
    assert 'name="places"' not in html


def test_the_crispy_tag_puts_the_error_summary_above_a_layout():
    form = ExampleForm(data={})
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.layout = Layout("email", "role")

    html = _render(form, "{% crispy form %}")

    assert html.index("nhsuk-error-summary") < html.index('id="div_id_email"')
    assert '<li><a href="#id_role_0">' in html


def test_the_title_says_error_whatever_the_form_is_called():
    from django import forms
    from django.template import Context, Template

    class Reply(forms.Form):
        body = forms.CharField(error_messages={"required": "Enter your reply"})

    template = Template("{% load page_title %}{% error_prefix %}Reply")
    assert template.render(Context({"reply_form": Reply({})})) == "Error: Reply"
    assert template.render(Context({"reply_form": Reply({"body": "Hi"})})) == "Reply"
    assert template.render(Context({"reply_form": Reply()})) == "Reply"
