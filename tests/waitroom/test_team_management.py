"""Item 11 of issue 9: a coordinator changes, deactivates and removes roles at her clinic.

Every page is reached by following the links the team page draws, never a URL the test builds.
"""

import re
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import StaffRoleFactory, UserFactory
from tests.waiting import wait_until
from waitroom.models import AuditEvent, Role, StaffRole
from waitroom.selectors import clinic_staff_in_roles
from waitroom.services import StaffRoleError, staff_role_remove

pytestmark = pytest.mark.django_db


def team_url(clinic):
    return reverse("clinic_team", args=[clinic.slug])


def link_named(html: str, text: str) -> str:
    """The href of the first link whose text starts with `text`."""
    match = re.search(r'<a href="([^"]+)">' + re.escape(text), html)
    assert match, f"no link {text!r}"
    return unescape(match.group(1))


def person_link(client, clinic, user) -> str:
    """The team page's "Change or remove" link on the row that names `user`."""
    html = client.get(team_url(clinic)).content.decode()
    row = next(r for r in html.split('<tr role="row"') if user.email in r)
    return link_named(row, "Change or remove")


def clinic_day_status(user, clinic) -> int:
    """What `user`, in her own browser, gets on the clinic's day planner."""
    browser = Client()
    browser.force_login(user)
    return browser.get(reverse("clinic_day_pick", args=[clinic.slug])).status_code


def test_a_coordinator_gives_a_facilitator_another_role(
    as_persona, clinic, coordinator, facilitator
):
    staff = as_persona("coordinator")
    page = person_link(staff, clinic, facilitator)

    response = staff.post(page, {"role": Role.PEER_SUPPORTER}, follow=True)

    assert "is now peer supporter at" in response.content.decode()
    assert list(StaffRole.objects.filter(user=facilitator).values_list("role", flat=True)) == [
        Role.PEER_SUPPORTER
    ]
    event = AuditEvent.objects.get(action="change")
    assert (event.user, event.object_type, event.clinic) == (
        coordinator,
        "waitroom.staffrole",
        clinic,
    )
    # Peer supporters do not plan: the clinic day is now closed to her.
    assert clinic_day_status(facilitator, clinic) == 403


def test_a_coordinator_deactivates_after_confirming_and_reactivates(
    as_persona, clinic, facilitator
):
    staff = as_persona("coordinator")
    page = staff.get(person_link(staff, clinic, facilitator)).content.decode()
    confirm = link_named(page, "Deactivate this role")

    asked = staff.get(confirm).content.decode()
    assert "will have no facilitator access" in asked
    assert StaffRole.objects.get(user=facilitator).deactivated_at is None  # asking changes nothing

    staff.post(confirm)

    assert clinic_day_status(facilitator, clinic) == 403
    team = staff.get(team_url(clinic)).content.decode()
    assert "Deactivated" in team

    page = staff.get(person_link(staff, clinic, facilitator)).content.decode()
    reactivate = re.search(r'<form method="post" action="([^"]+)"', page.split("deactivated")[-1])
    staff.post(unescape(reactivate.group(1)))
    assert clinic_day_status(facilitator, clinic) == 302
    assert AuditEvent.objects.filter(action="change", object_type="waitroom.staffrole").count() == 2


def test_a_deactivated_facilitator_is_not_offered_for_sessions(as_persona, clinic, facilitator):
    StaffRole.objects.filter(user=facilitator).update(deactivated_at="2030-01-01T00:00Z")
    response = as_persona("coordinator").get(reverse("session_create", args=[clinic.slug]))
    assert facilitator.pk not in [
        u.pk for u in response.context["form"].fields["facilitators"].queryset
    ]


def test_only_active_roles_at_the_clinic_count_as_its_staff(
    clinic, other_clinic, coordinator, facilitator, peer_supporter
):
    StaffRoleFactory(clinic=other_clinic, role=Role.FACILITATOR)
    gone = StaffRoleFactory(clinic=clinic, role=Role.FACILITATOR).user
    StaffRole.objects.filter(user=gone).update(deactivated_at="2030-01-01T00:00Z")

    assert set(clinic_staff_in_roles(clinic, [Role.COORDINATOR, Role.FACILITATOR])) == {
        coordinator,
        facilitator,
    }


def test_a_coordinator_removes_a_role_after_confirming_and_it_is_audited(
    as_persona, clinic, coordinator, facilitator
):
    staff = as_persona("coordinator")
    page = staff.get(person_link(staff, clinic, facilitator)).content.decode()
    confirm = link_named(page, "Remove this role")
    role_id = StaffRole.objects.get(user=facilitator).pk

    assert "Remove " in staff.get(confirm).content.decode()
    response = staff.post(confirm, follow=True)

    assert "no longer has the facilitator role" in response.content.decode()
    assert not StaffRole.objects.filter(user=facilitator).exists()
    assert type(facilitator).objects.filter(pk=facilitator.pk).exists()  # her account stays
    event = AuditEvent.objects.get(action="delete")
    assert (event.user, event.object_type, event.object_id) == (
        coordinator,
        "waitroom.staffrole",
        str(role_id),
    )
    assert clinic_day_status(facilitator, clinic) == 403


@pytest.mark.parametrize("action", ["Deactivate this role", "Remove this role"])
def test_a_coordinator_cannot_take_away_her_own_coordinator_role(
    as_persona, clinic, coordinator, action
):
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR)  # she is not the last one
    staff = as_persona("coordinator")
    page = staff.get(person_link(staff, clinic, coordinator)).content.decode()
    assert "(you)" in page
    confirm = link_named(page, action)

    asked = staff.get(confirm).content.decode()
    assert "You cannot take away your own coordinator role" in asked
    assert "nhsuk-button--warning" not in asked
    response = staff.post(confirm, follow=True)

    assert "Ask another coordinator at this clinic" in response.content.decode()
    assert StaffRole.objects.current().filter(user=coordinator, role=Role.COORDINATOR).exists()
    assert not AuditEvent.objects.exclude(action="view").exists()


def test_changing_her_own_coordinator_role_is_refused_with_the_reason_on_the_field(
    as_persona, clinic, coordinator
):
    staff = as_persona("coordinator")
    page = person_link(staff, clinic, coordinator)
    response = staff.post(page, {"role": Role.FACILITATOR})
    html = response.content.decode()
    assert "<title>Error: " in html
    assert '<a href="#id_role_0">You cannot take away your own coordinator role' in html or (
        'href="#id_role' in html and "You cannot take away your own coordinator role" in html
    )
    assert StaffRole.objects.get(user=coordinator).role == Role.COORDINATOR


def test_the_last_coordinator_of_a_clinic_cannot_be_removed(clinic, coordinator):
    second = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR)
    staff_role_remove(staff_role=second, by=coordinator)
    mine = StaffRole.objects.get(user=coordinator)
    with pytest.raises(StaffRoleError, match="the only coordinator at this clinic"):
        staff_role_remove(staff_role=mine, by=second.user)
    assert StaffRole.objects.filter(pk=mine.pk).exists()


def test_a_deactivated_coordinator_does_not_count_as_another_coordinator(clinic, coordinator):
    paused = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR)
    StaffRole.objects.filter(pk=paused.pk).update(deactivated_at="2030-01-01T00:00Z")
    mine = StaffRole.objects.get(user=coordinator)
    with pytest.raises(StaffRoleError, match="the only coordinator"):
        staff_role_remove(staff_role=mine, by=UserFactory())


def test_a_role_at_another_clinic_is_not_found(as_persona, other_clinic, clinic):
    elsewhere = StaffRoleFactory(clinic=other_clinic, role=Role.FACILITATOR)
    staff = as_persona("coordinator")
    for name in ["staff_role_detail", "staff_role_deactivate", "staff_role_remove"]:
        url = reverse(name, args=[clinic.slug, elsewhere.pk])
        assert staff.get(url).status_code == 404
        assert staff.post(url, {"role": Role.COORDINATOR}).status_code == 404
    assert StaffRole.objects.get(pk=elsewhere.pk).role == Role.FACILITATOR


def test_adding_a_member_of_staff_is_audited(as_persona, clinic, coordinator):
    as_persona("coordinator").post(
        team_url(clinic),
        {
            "email": "new.midwife@example.nhs.uk",
            "first_name": "Amara",
            "last_name": "Okafor",
            "role": Role.FACILITATOR,
        },
    )
    role = StaffRole.objects.get(user__email="new.midwife@example.nhs.uk")
    event = AuditEvent.objects.get(action="create")
    assert (event.object_type, event.object_id) == ("waitroom.staffrole", str(role.pk))


def test_saving_the_same_role_changes_and_audits_nothing(as_persona, clinic, facilitator):
    staff = as_persona("coordinator")
    response = staff.post(
        person_link(staff, clinic, facilitator), {"role": Role.FACILITATOR}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert not AuditEvent.objects.exclude(action="view").exists()


def _a_backend_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_removing_each_other_at_once_leave_the_clinic_one(monkeypatch):
    from tests.factories import ClinicFactory

    clinic = ClinicFactory()
    first = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR)
    second = StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR)
    checked, go_on = threading.Event(), threading.Event()
    original_delete = StaffRole.delete

    def delete_once_the_other_waits(self, *args, **kwargs):
        if self.pk == second.pk:  # the first coordinator has passed the check
            checked.set()
            assert go_on.wait(10)
        return original_delete(self, *args, **kwargs)

    monkeypatch.setattr(StaffRole, "delete", delete_once_the_other_waits)
    outcome = {}

    def remove(name, target, by):
        try:
            staff_role_remove(staff_role=StaffRole.objects.get(pk=target.pk), by=by)
            outcome[name] = "removed"
        except StaffRoleError:
            outcome[name] = "refused"
        finally:
            connection.close()

    one = threading.Thread(target=remove, args=("first", second, first.user))
    one.start()
    assert checked.wait(10)
    other = threading.Thread(target=remove, args=("second", first, second.user))
    other.start()
    # The second removal should queue behind the first; if nothing makes it wait, it may run
    # to the end first, and the outcome below says so.
    queued = wait_until(_a_backend_waits_on_a_lock, timeout=5.0, every=0.01)
    go_on.set()
    one.join(10)
    other.join(10)

    assert queued, f"the second removal did not wait for the first: {outcome}"
    assert outcome == {"first": "removed", "second": "refused"}
    assert list(StaffRole.objects.values_list("pk", flat=True)) == [first.pk]
