"""What every app shares: people and their roles, organisations and clinics, the audit trail."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Where a clinic is unless it says otherwise (and the zone of audit events with no clinic).
DEFAULT_CLINIC_TIMEZONE = "Europe/London"


def service_today() -> dt.date:
    """Today on the service's own calendar (settings.TIME_ZONE), for dates that belong to no
    clinic: resource review dates, plausibility windows on imported dates, the demo's start.
    A clinic's day is always `Clinic.today()`, in the clinic's zone."""
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("Every user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


# A plain address as NHS and personal mail services hand them out. RFC 5321 also allows
# = + | ! / and more before the @, which let an address run as a formula when a CSV export is
# opened in a spreadsheet; nobody's work email needs them.
plain_email_address = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._%+'-]*@[^@\s]+$",
    "Enter an email address in the correct format, like name@nhs.net",
    code="invalid",
)


class User(AbstractUser):
    """Anyone who signs in: staff (roles per clinic) and members (linked to a Patient).

    Signs in by email; there is no username. `display_name` is what other members see in
    groups; a member's real name stays on her Patient record and is never shown to them.
    """

    username = None
    email = models.EmailField("email address", unique=True, validators=[plain_email_address])
    display_name = models.CharField(max_length=60, blank=True)
    # The secret in a staff member's personal calendar feed URL; rotating it revokes the feed.
    calendar_token = models.CharField(max_length=43, blank=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def short_name(self) -> str:
        return self.display_name or self.first_name or self.email.split("@")[0]

    @property
    def patient(self) -> models.Model | None:
        """Her Patient record (sessions.models.Patient) when this user is a member, else None.
        Typed loosely: the core app never imports the apps above it (docs/code-map.md)."""
        try:
            return self.patient_record
        except models.ObjectDoesNotExist:
            return None


class Organisation(models.Model):
    """An NHS trust (or other provider): hospital numbers are unique within one."""

    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=10, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _new_checkin_code() -> str:
    # No 0/O or 1/I: the code is read off a poster and typed on a phone.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class ClinicQuerySet(models.QuerySet["Clinic"]):
    def active(self) -> ClinicQuerySet:
        return self.filter(is_active=True)


class Clinic(models.Model):
    """An antenatal clinic at a hospital site."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    site = models.CharField("hospital site", max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default=DEFAULT_CLINIC_TIMEZONE)
    opens_at = models.TimeField(default=dt.time(8, 30))
    closes_at = models.TimeField(default=dt.time(17, 30))
    arrive_early_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="How long before her appointment a woman usually arrives."
    )
    # Antenatal clinics often run late: a woman is commonly still waiting well after her booked
    # time, and a 45-minute session must be able to fit inside her wait (ADR 9).
    wait_after_minutes = models.PositiveSmallIntegerField(
        default=45, help_text="How long after her booked time she may still be waiting."
    )
    # A session for one or two women is not a group: the clinic day suggests no window with
    # fewer women than this in the waiting room together (coordinators change it per clinic).
    min_group_size = models.PositiveSmallIntegerField(
        "smallest group worth suggesting",
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text="The clinic day suggests a session time only when at least this many women "
        "from a group are in the waiting room together.",
    )
    maternity_triage_phone = models.CharField(max_length=30, blank=True)
    # Printed on the waiting-room poster under its QR code, for women who type it in.
    checkin_code = models.CharField(max_length=8, unique=True, default=_new_checkin_code)
    is_active = models.BooleanField(default=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="clinic_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=2), name="clinic_min_group_size_at_least_two"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's time zone: clinic days, quiet hours and wall-clock times follow it."""
        return ZoneInfo(self.timezone or DEFAULT_CLINIC_TIMEZONE)

    # --- Clinic time ----------------------------------------------------------------------------
    # The one place a clinic's day is cut: in the clinic's own zone, never the server's
    # (settings.TIME_ZONE). `django.utils.timezone.localdate`, `localtime` and `make_aware` are
    # banned in app code (ruff TID251) so nobody cuts a day in the server's zone by accident.

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The date on the clinic's wall calendar at `now` (default: this moment)."""
        return self.day_of(now or timezone.now())

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The clinic day an aware moment falls on."""
        return self.local(moment).date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        """An aware moment as the clinic's wall clock shows it."""
        return moment.astimezone(self.zone)

    def day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The clinic's local midnight to the next local midnight, as aware datetimes: 23, 24 or
        25 hours of real time. Filter with `start__gte=first, start__lt=second`."""
        return (
            dt.datetime.combine(day, dt.time.min, tzinfo=self.zone),
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone),
        )


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    FACILITATOR = "facilitator", "Facilitator"
    PEER_SUPPORTER = "peer_supporter", "Peer supporter"


class StaffRoleQuerySet(models.QuerySet["StaffRole"]):
    def current(self) -> StaffRoleQuerySet:
        """Roles that grant access: not deactivated, held by an active user at an open clinic."""
        return self.filter(
            deactivated_at__isnull=True, user__is_active=True, clinic__is_active=True
        )


class StaffRole(models.Model):
    """A staff member's role at one clinic. A person may hold several, at several clinics."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A coordinator pauses a role (leave, a lapsed check) without losing its history; a
    # deactivated role grants nothing (StaffRoleQuerySet.current) until it is reactivated.
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic", "role"], name="one_role_per_clinic"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="staff_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.clinic}"

    @property
    def is_current(self) -> bool:
        return self.deactivated_at is None


class AuditEvent(models.Model):
    """Who read or changed which sensitive record, when (UTC) and from where.

    Append-only: the app never updates or deletes one (see `save` and `delete`).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        PUBLISH = "publish", "Published"
        CANCEL = "cancel", "Cancelled"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=40)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # For a woman shown on a list: which list (e.g. "facilitation.runsheet:12"), so a
    # repeat view within the window is recorded once (waitroom.audit, ADR 0034).
    context = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(
                fields=["user", "context", "at"],
                name="auditevent_user_context_at",
                condition=~models.Q(context=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")
