"""waitroom.access.clinic_view: the one decorator that hands a staff view its clinic.

The order is the one every view had when it called `staff_required` and then `clinic_for_user`
itself: the sign-in redirect, 403 without the role at any clinic, 405 for a method the view does
not take, and 404 for a clinic where she does not hold the role (even if she holds another role
there, or the role at another clinic).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from tests.factories import ClinicFactory, StaffRoleFactory, UserFactory
from waitroom.access import COORDINATORS, PROFESSIONALS, STAFF_ROLES, clinic_view
from waitroom.models import Role

pytestmark = pytest.mark.django_db


@clinic_view(COORDINATORS, methods=["GET"])
def coordinators_page(request, clinic, item_id):
    return HttpResponse(f"{clinic.slug}:{item_id}")


@clinic_view(STAFF_ROLES)
def any_staff_page(request, clinic):
    return HttpResponse(clinic.slug)


def call(view, user, clinic_slug, method="get", **kwargs):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view(request, clinic_slug=clinic_slug, **kwargs)


def test_the_view_is_handed_the_clinic_and_its_other_url_arguments():
    role = StaffRoleFactory(role=Role.COORDINATOR)

    response = call(coordinators_page, role.user, role.clinic.slug, item_id=7)

    assert response.content.decode() == f"{role.clinic.slug}:7"


def test_a_role_held_at_another_clinic_does_not_open_this_clinic():
    """A coordinator at Hillside who is a peer supporter at Riverside: Riverside's coordinator
    page is a 404 (the role must be held at the clinic in the URL), Hillside's opens."""
    hillside, riverside = ClinicFactory(), ClinicFactory()
    user = UserFactory()
    StaffRoleFactory(user=user, clinic=hillside, role=Role.COORDINATOR)
    StaffRoleFactory(user=user, clinic=riverside, role=Role.PEER_SUPPORTER)

    with pytest.raises(Http404):
        call(coordinators_page, user, riverside.slug, item_id=1)
    assert call(any_staff_page, user, riverside.slug).status_code == 200
    assert call(coordinators_page, user, hillside.slug, item_id=1).status_code == 200


def test_without_the_role_anywhere_she_gets_403_before_the_clinic_is_looked_up():
    role = StaffRoleFactory(role=Role.FACILITATOR)

    with pytest.raises(PermissionDenied):
        call(coordinators_page, role.user, "no-such-clinic", item_id=1)


def test_a_method_the_view_does_not_take_is_405_before_the_clinic_is_looked_up():
    role = StaffRoleFactory(role=Role.COORDINATOR)

    assert (
        call(coordinators_page, role.user, "no-such-clinic", "post", item_id=1).status_code == 405
    )


def test_an_unknown_clinic_is_404():
    role = StaffRoleFactory(role=Role.COORDINATOR)

    with pytest.raises(Http404):
        call(coordinators_page, role.user, "no-such-clinic", item_id=1)


def test_signed_out_she_is_sent_to_sign_in():
    clinic = ClinicFactory()

    response = call(any_staff_page, AnonymousUser(), clinic.slug)

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FACILITATOR])
def test_professionals_are_coordinators_and_facilitators_only(role):
    assert role in PROFESSIONALS
    assert Role.PEER_SUPPORTER not in PROFESSIONALS
