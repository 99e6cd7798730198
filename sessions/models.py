"""Patients, their antenatal appointments, and the waiting-room sessions scheduled around them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from waitroom.models import Clinic, Organisation

from .lock_screen import lock_screen_forbidden_words
from .nhs_number import validate_nhs_number


class PatientQuerySet(models.QuerySet["Patient"]):
    def contactable(self) -> PatientQuerySet:
        """Patients who may receive messages: consented, not opted out, pregnancy not ended."""
        return self.filter(
            Q(consent_sms=True) | Q(consent_email=True),
            opted_out_at__isnull=True,
            pregnancy_ended_at__isnull=True,
        )

    def of_clinic(self, clinic_id: int) -> PatientQuerySet:
        """The clinic's own women: those with an appointment there. A cohort may run at several
        clinics, even of several trusts; its staff see and act on only their own women in it
        (docs/adr/0030-shared-cohorts-scoped-by-the-womans-clinic.md)."""
        return self.filter(appointments__clinic_id=clinic_id)


class Patient(models.Model):
    """A woman's record as the hospital knows it. It may exist without a user account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="patients"
    )
    hospital_number = models.CharField(max_length=20)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    preferred_language = models.CharField(max_length=35, default="en")
    interpreter_needed = models.BooleanField(default=False)
    estimated_due_date = models.DateField(null=True, blank=True)
    consent_sms = models.BooleanField(default=False)
    consent_email = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    pregnancy_ended_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "hospital_number"], name="hospital_number_unique_per_org"
            ),
            # Per organisation, like the hospital number: a woman who moves trust has a record
            # at each, and neither trust may learn (from a refusal) what the other holds.
            models.UniqueConstraint(
                fields=["organisation", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="nhs_number_unique_per_org_when_given",
            ),
            models.CheckConstraint(
                condition=Q(nhs_number="") | Q(nhs_number__regex=r"^[0-9]{10}$"),
                name="nhs_number_ten_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"Patient {self.pk}"

    @property
    def first_name(self) -> str:
        """The name to greet her by: her preferred name if she gave one."""
        return self.preferred_name or self.given_name


class AppointmentStatus(models.TextChoices):
    """FHIR R4 Appointment.status."""

    PROPOSED = "proposed", "Proposed"
    PENDING = "pending", "Pending"
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"
    NOSHOW = "noshow", "Did not attend"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"
    CHECKED_IN = "checked-in", "Checked in"
    WAITLIST = "waitlist", "Waitlist"


# Statuses for which the woman is expected (or was) in the waiting room.
ATTENDING_STATUSES = [
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.FULFILLED,
]


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def attending(self) -> AppointmentQuerySet:
        return self.filter(status__in=ATTENDING_STATUSES)

    def upcoming(self) -> AppointmentQuerySet:
        return self.filter(start__gte=timezone.now()).order_by("start")


class Appointment(models.Model):
    """An antenatal appointment imported from the hospital system."""

    source = models.CharField(max_length=50, help_text="The system the record came from.")
    external_id = models.CharField("external identifier", max_length=100)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=20)
    appointment_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="appointment_external_id_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="appointment_has_duration"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values), name="appointment_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "start"]),
            models.Index(fields=["patient", "start"]),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.source}/{self.external_id}"

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.duration_minutes)


# Check-in and attendance open this long before a session starts: women come early for their
# appointment, and the facilitator ticks in whoever is already sitting in the bay.
CHECK_IN_OPENS_BEFORE = dt.timedelta(minutes=30)


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


# Staff may still change (edit or cancel) a session in these states; cancelled and completed
# sessions are history. The one rule behind `is_changeable` and `changeable()`.
CHANGEABLE_STATUSES = (SessionStatus.DRAFT, SessionStatus.PUBLISHED)


class WaitingRoomSessionQuerySet(models.QuerySet["WaitingRoomSession"]):
    def upcoming(self) -> WaitingRoomSessionQuerySet:
        return self.filter(end__gte=timezone.now()).order_by("start")

    def published(self) -> WaitingRoomSessionQuerySet:
        return self.filter(status=SessionStatus.PUBLISHED)

    def not_cancelled(self) -> WaitingRoomSessionQuerySet:
        return self.exclude(status=SessionStatus.CANCELLED)

    def changeable(self) -> WaitingRoomSessionQuerySet:
        """Sessions staff may still change; the database form of `is_changeable`."""
        return self.filter(status__in=CHANGEABLE_STATUSES)


class WaitingAreaPlaceQuerySet(models.QuerySet["WaitingAreaPlace"]):
    def in_use(self) -> WaitingAreaPlaceQuerySet:
        return self.filter(retired_at__isnull=True)


class WaitingAreaPlace(models.Model):
    """A named place in a clinic's waiting area where sessions meet ("Bay 2, by the windows").

    Staff set up each clinic's places once; a session is held at one of them. The name goes
    into the same-morning text message, which shows on her lock screen, so it must not say
    why she was invited: it is checked against the lock-screen forbidden words.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="waiting_area_places")
    name = models.CharField(
        max_length=80, help_text="As women will read it in a text message: 'Bay 2, by the windows'."
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WaitingAreaPlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "clinic", Lower("name"), name="waiting_area_place_name_unique_per_clinic"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = " ".join(self.name.split())
        problem = place_name_problem(self.name)
        if problem:
            raise ValidationError({"name": problem})


def place_name_problem(name: str) -> str:
    """Why `name` cannot be a place's name, in words a midwife understands; '' if it can."""
    words = lock_screen_forbidden_words(name)
    if not words:
        return ""
    listed = ", ".join(f"'{word}'" for word in words)
    return (
        f"The name must not include {listed}: it is sent in a text message that shows on her "
        "phone's lock screen, where it must not say why she was invited"
    )


class WaitingRoomSession(models.Model):
    """A short facilitated group session in a clinic's waiting room."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="sessions")
    cohort = models.ForeignKey("groups.Cohort", on_delete=models.PROTECT, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # Where it meets: one of the clinic's places; `location` holds its name as sent to women.
    place = models.ForeignKey(
        WaitingAreaPlace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    location = models.CharField(
        "location in the waiting area",
        max_length=200,
        help_text="The place's name, copied when the session is saved.",
    )
    capacity = models.PositiveSmallIntegerField(
        default=8, help_text="Places, counting the people who come with each woman."
    )
    topic = models.CharField(max_length=200, blank=True)
    # Families (issue 12): who may come with her, and whether there is room for a buggy.
    partners_welcome = models.BooleanField("partners and other adults welcome", default=False)
    children_welcome = models.BooleanField("children welcome", default=False)
    buggy_space = models.BooleanField("space for buggies and for children to play", default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_sessions"
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Any change staff make; calendar files raise their SEQUENCE from it.
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when invitations must be (re)planned for this session; the planner clears it.
    planning_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = WaitingRoomSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_known"
            ),
        ]
        indexes = [models.Index(fields=["clinic", "start"])]

    def __str__(self) -> str:
        return f"Session {self.pk} at {self.clinic} on {self._local(self.start):%d %b %Y %H:%M}"

    @property
    def is_changeable(self) -> bool:
        """May staff still change (edit or cancel) this session? Drafts and published sessions
        only; the service, the edit page and the session page all ask this."""
        return self.status in CHANGEABLE_STATUSES

    # --- Check-in and attendance window ---------------------------------------------------------
    # The one rule for "may she check in now?", used by the member's check-in (poster and
    # invitation link), the facilitator's attendance buttons and every page that offers either.

    @property
    def check_in_opens_at(self) -> dt.datetime:
        return self.start - CHECK_IN_OPENS_BEFORE

    @property
    def check_in_closes_at(self) -> dt.datetime:
        return self.end

    @property
    def check_in_window_text(self) -> str:
        """The window in words, for the pages that offer check-in or attendance."""
        minutes = int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60)
        return (
            f"from {minutes} minutes before the start ({self._clock(self.check_in_opens_at)}) "
            f"until the session ends ({self._clock(self.check_in_closes_at)})"
        )

    def check_in_refusal(self, now: dt.datetime | None = None) -> str | None:
        """Why nobody may check in or be marked at this session at `now`, in words for the
        person who tried; None when the window is open."""
        now = now or timezone.now()
        if self.status == SessionStatus.DRAFT:
            return "This group has not been published yet, so nobody can check in."
        if self.status == SessionStatus.CANCELLED:
            return "This group has been cancelled, so nobody can check in."
        if self.status != SessionStatus.PUBLISHED:
            return "This group has finished, so check-in has closed."
        if now < self.check_in_opens_at:
            opens = self._clock(self.check_in_opens_at)
            minutes = int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60)
            day = self._day(self.check_in_opens_at)
            if self._day(now) != day:
                opens += f" on {day:%A} {day.day} {day:%B}"
                return (
                    f"This group is not running today. Check-in opens at {opens}, "
                    f"{minutes} minutes before it starts."
                )
            return f"Check-in opens at {opens}, {minutes} minutes before the group starts."
        if now > self.check_in_closes_at:
            return (
                "This group has finished: check-in closed when it ended at "
                f"{self._clock(self.check_in_closes_at)}."
            )
        return None

    def check_in_open(self, now: dt.datetime | None = None) -> bool:
        return self.check_in_refusal(now) is None

    def _local(self, moment: dt.datetime) -> dt.datetime:
        return self.clinic.local(moment)

    def _clock(self, moment: dt.datetime) -> str:
        return f"{self._local(moment):%H:%M}"

    def _day(self, moment: dt.datetime) -> dt.date:
        return self.clinic.day_of(moment)
