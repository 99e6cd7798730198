"""The page title says "Error: " first whenever a form on the page has errors (NHS.UK and
GOV.UK pattern), whatever the view named its form."""

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


def _has_errors(value: object) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and (bool(value.non_form_errors()) or any(value.errors))
    return False


@register.simple_tag(takes_context=True)
def error_prefix(context: template.Context) -> str:
    return "Error: " if any(_has_errors(v) for v in context.flatten().values()) else ""
