from __future__ import annotations

from django.db import transaction

from .models import Clinic, StaffRole, User


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
    return staff_role


def clinic_planning_update(*, clinic: Clinic, min_group_size: int) -> Clinic:
    """Change the clinic's planning settings (the caller audits the change)."""
    clinic.min_group_size = min_group_size
    clinic.full_clean(validate_unique=False, validate_constraints=False)
    clinic.save(update_fields=["min_group_size"])
    return clinic
