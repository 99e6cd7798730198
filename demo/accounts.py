"""The demo's part of the core `waitroom` app: its organisation, clinic and one account per role."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from waitroom.models import Clinic, Organisation, Role, StaffRole, User

from .spec import CLINIC, MEMBER_DISPLAY_NAME, ORGANISATION, SIGN_INS


def seed_clinic() -> tuple[Organisation, Clinic]:
    organisation, _ = Organisation.objects.update_or_create(
        ods_code=ORGANISATION["ods_code"], defaults={"name": ORGANISATION["name"]}
    )
    clinic, _ = Clinic.objects.update_or_create(
        slug=CLINIC["slug"], defaults={**CLINIC, "organisation": organisation}
    )
    return organisation, clinic


def seed_users(clinic: Clinic) -> dict[str, User]:
    users: dict[str, User] = {}
    for sign_in in SIGN_INS:
        first, last = sign_in.name.split(" ", 1)
        is_admin = sign_in.role == "admin"
        user, _ = User.objects.update_or_create(
            email=sign_in.email,
            defaults={
                "first_name": first,
                "last_name": last,
                "display_name": MEMBER_DISPLAY_NAME if sign_in.role == "member" else "",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            },
        )
        # Only re-hash when it changed: a fresh salt on every run would make runs differ.
        if not user.check_password(sign_in.password):
            user.set_password(sign_in.password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=sign_in.email, defaults={"verified": True, "primary": True}
        )
        users[sign_in.role] = user
    for key, role in [
        ("coordinator", Role.COORDINATOR),
        ("facilitator", Role.FACILITATOR),
        ("peer supporter", Role.PEER_SUPPORTER),
    ]:
        StaffRole.objects.get_or_create(user=users[key], clinic=clinic, role=role)
    return users
