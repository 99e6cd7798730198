"""Django admin covers every model of ours, and every admin page opens for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"waitroom", "waitingroom", "invitations", "facilitation", "groups", "resources"}


def test_every_model_of_ours_is_in_the_admin():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in OUR_APPS],
    ids=lambda m: m._meta.label,
)
def test_admin_changelist_and_add_page_open(admin_client, model):
    if model not in admin.site._registry:
        pytest.fail(f"{model._meta.label} is not registered")
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Append-only models (the audit trail) refuse additions.
    assert add.status_code in (200, 403)
