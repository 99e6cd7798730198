from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Clinic, Role, StaffRole, User


@transaction.atomic
def staff_member_add(
    *, clinic: Clinic, added_by: User, email: str, first_name: str, last_name: str, role: str
) -> StaffRole:
    """Give someone a role at `clinic`, creating her account (without a password) if needed."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
    staff_role, _ = StaffRole.objects.get_or_create(
        user=user, clinic=clinic, role=role, defaults={"created_by": added_by}
    )
    if staff_role.deactivated_at is not None:
        # Adding someone whose role here was paused gives it back.
        staff_role.deactivated_at = None
        staff_role.save(update_fields=["deactivated_at"])
    return staff_role


def clinic_planning_update(*, clinic: Clinic, min_group_size: int) -> Clinic:
    """Change the clinic's planning settings (the caller audits the change)."""
    clinic.min_group_size = min_group_size
    clinic.full_clean(validate_unique=False, validate_constraints=False)
    clinic.save(update_fields=["min_group_size"])
    return clinic


class StaffRoleError(Exception):
    """A team change the rules refuse; the message is shown to the coordinator as it is."""


def _person(staff_role: StaffRole) -> str:
    return staff_role.user.get_full_name() or staff_role.user.email


def _check_clinic_keeps_a_coordinator(*, staff_role: StaffRole, by: User) -> None:
    """Refuse a change that takes `staff_role`'s coordinator access away when it is `by`'s own
    (she would lock herself out by accident) or the clinic's last current coordinator.

    Locks the clinic's coordinator roles, so two coordinators removing each other at once
    cannot leave the clinic with none.
    """
    if staff_role.role != Role.COORDINATOR or not staff_role.is_current:
        return
    if staff_role.user_id == by.pk:
        raise StaffRoleError(
            "You cannot take away your own coordinator role. Ask another coordinator at this "
            "clinic to do it."
        )
    # Lock every coordinator role at the clinic, in one order, so that two coordinators
    # removing each other at once queue up instead of both succeeding (or deadlocking).
    rows = (
        StaffRole.objects.select_for_update(of=("self",))
        .filter(clinic_id=staff_role.clinic_id, role=Role.COORDINATOR)
        .order_by("pk")
        .values_list("pk", "deactivated_at", "user__is_active")
    )
    others = [
        pk
        for pk, deactivated_at, active in rows
        if pk != staff_role.pk and deactivated_at is None and active
    ]
    if not others:
        raise StaffRoleError(
            f"{_person(staff_role)} is the only coordinator at this clinic. Add another "
            "coordinator first."
        )


@transaction.atomic
def staff_role_change(*, staff_role: StaffRole, role: str, by: User) -> StaffRole:
    """Give the person another role at the same clinic."""
    if role == staff_role.role:
        return staff_role
    _check_clinic_keeps_a_coordinator(staff_role=staff_role, by=by)
    if StaffRole.objects.filter(
        user_id=staff_role.user_id, clinic_id=staff_role.clinic_id, role=role
    ).exists():
        raise StaffRoleError(
            f"{_person(staff_role)} is already {Role(role).label.lower()} at this clinic."
        )
    staff_role.role = role
    staff_role.save(update_fields=["role"])
    return staff_role


@transaction.atomic
def staff_role_deactivate(*, staff_role: StaffRole, by: User) -> StaffRole:
    """Pause the role: it grants nothing until reactivated, and its history stays."""
    _check_clinic_keeps_a_coordinator(staff_role=staff_role, by=by)
    if staff_role.deactivated_at is None:
        staff_role.deactivated_at = timezone.now()
        staff_role.save(update_fields=["deactivated_at"])
    return staff_role


@transaction.atomic
def staff_role_reactivate(*, staff_role: StaffRole, by: User) -> StaffRole:
    if staff_role.deactivated_at is not None:
        staff_role.deactivated_at = None
        staff_role.save(update_fields=["deactivated_at"])
    return staff_role


@transaction.atomic
def staff_role_remove(*, staff_role: StaffRole, by: User) -> None:
    """Take the role away. Her account, and what she recorded, stay."""
    _check_clinic_keeps_a_coordinator(staff_role=staff_role, by=by)
    staff_role.delete()


def staff_role_loss_problem(*, staff_role: StaffRole, by: User) -> str | None:
    """Why `by` may not take `staff_role` away (remove, deactivate, change), or None."""
    try:
        _check_clinic_keeps_a_coordinator(staff_role=staff_role, by=by)
    except StaffRoleError as exc:
        return str(exc)
    return None
