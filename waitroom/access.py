"""The one place that answers "which clinics may this user act in, and as what".

The role groups below are the only spelling of "who": views name one of them in
`@clinic_view(GROUP)`, which hands the view the clinic from its URL (403 for a user without
the role anywhere, 404 for a clinic she may not act in). Every member view starts from
`member_required`. Views fetch objects only through their app's clinic-scoped selectors;
`scripts/lint_model_usage.py` (in `make lint`) fails a view that reads a model's manager
(see docs/adr/0006-access-by-construction.md and docs/adr/0028-where-each-kind-of-rule-lives.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.views.decorators.http import require_http_methods

from .models import Clinic, Role, StaffRole, User

# Who may do what: each group is spelled here and nowhere else.
STAFF_ROLES = tuple(Role)  # anyone on a clinic's team
COORDINATORS = (Role.COORDINATOR,)  # plan sessions, run the team, the audit log
# Clinical staff: may see cohorts (clinical flags), women's real names and eligibility.
PROFESSIONALS = (Role.COORDINATOR, Role.FACILITATOR)
RUNS_SESSIONS = (Role.FACILITATOR, Role.PEER_SUPPORTER)  # in the room with the women
PEER_SUPPORTERS = (Role.PEER_SUPPORTER,)  # volunteers: display names only, never clinical detail


@dataclass(frozen=True)
class ClinicRoles:
    """A user's roles, clinic by clinic, read once per request."""

    by_clinic: dict[int, frozenset[str]] = field(default_factory=dict)

    def clinic_ids(self, *roles: str) -> set[int]:
        wanted = set(roles or STAFF_ROLES)
        return {cid for cid, held in self.by_clinic.items() if held & wanted}

    def has(self, *roles: str) -> bool:
        return bool(self.clinic_ids(*roles))

    def roles_at(self, clinic_id: int) -> frozenset[str]:
        return self.by_clinic.get(clinic_id, frozenset())


def clinic_roles(user: User) -> ClinicRoles:
    if not user.is_authenticated or not user.is_active:
        return ClinicRoles()
    cached = getattr(user, "_clinic_roles", None)
    if cached is None:
        by_clinic: dict[int, set[str]] = {}
        for clinic_id, role in (
            StaffRole.objects.current().filter(user=user).values_list("clinic_id", "role")
        ):
            by_clinic.setdefault(clinic_id, set()).add(role)
        cached = ClinicRoles({cid: frozenset(r) for cid, r in by_clinic.items()})
        user._clinic_roles = cached
    return cached


def staff_clinics(user: User, *roles: str) -> QuerySet[Clinic]:
    """The clinics where `user` holds any of `roles` (any staff role when none are named)."""
    return Clinic.objects.active().filter(pk__in=clinic_roles(user).clinic_ids(*roles))


def clinic_for_user(user: User, slug: str, *roles: str) -> Clinic:
    """The clinic `slug` if `user` may act in it as one of `roles`; 404 otherwise.

    A 404 rather than a 403, so that a clinic's existence is not revealed to outsiders.
    """
    try:
        return staff_clinics(user, *roles).get(slug=slug)
    except Clinic.DoesNotExist:
        raise Http404("No such clinic") from None


def holds_at(user: User, clinic: Clinic, roles: Sequence[str]) -> bool:
    """Whether `user` holds one of `roles` at `clinic` (e.g. to show a coordinator's buttons)."""
    return bool(clinic_roles(user).roles_at(clinic.pk) & set(roles))


def home_role(user: User) -> str | None:
    """Where a user lands after sign-in: her most senior role."""
    roles = clinic_roles(user)
    if roles.has(Role.COORDINATOR):
        return Role.COORDINATOR
    if roles.has(*RUNS_SESSIONS):
        return "sessions"
    if user.is_authenticated and user.patient is not None:
        return "member"
    # The system owner with no clinic role: Django admin is her home (superusers only, as the
    # admin site itself requires).
    if user.is_authenticated and user.is_active and user.is_superuser:
        return "admin"
    return None


def staff_required(*roles: str) -> Callable:
    """Signed in, and holding one of `roles` at some clinic; otherwise 403."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not clinic_roles(request.user).has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def clinic_view(roles: Sequence[str], *, methods: Sequence[str] | None = None) -> Callable:
    """Hands the view `clinic` (the URL's `clinic_slug`) if the user holds one of `roles` there.

    Signed in, or the sign-in redirect; holding one of `roles` at some clinic, or 403; then, when
    `methods` is given, one of those HTTP methods, or 405; then the clinic must be one where she
    holds one of `roles`, or 404 (its existence is not revealed). The view is called as
    `view(request, clinic=clinic, **other_url_kwargs)`.
    """
    roles = tuple(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def with_clinic(request: HttpRequest, *args, clinic_slug: str, **kwargs):
            clinic = clinic_for_user(request.user, clinic_slug, *roles)
            return view(request, *args, clinic=clinic, **kwargs)

        inner = require_http_methods(list(methods))(with_clinic) if methods else with_clinic
        return staff_required(*roles)(inner)

    return decorator


def member_required(view: Callable) -> Callable:
    """Signed in as a member (a user linked to a Patient record); otherwise 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.patient is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
