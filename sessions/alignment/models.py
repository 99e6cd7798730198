"""What booking alignment needs to know and remember, per clinic.

- `AppointmentKind`: an appointment type as the clinic describes it: which may move, by how many
  days either way, within which gestation; and the type names the hospital's list uses for it.
- `BookingSlots`: how many appointments the clinic can book in one slot of its day.
- `CohortDay`: the weekday and part of the day on which a cohort's women are brought together.
- `WorklistItem`: a proposed move handed to the booking team, and what became of it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from waitroom.models import Clinic

# Gestation is kept in days (27+0 weeks is 189 days); forms read and show it as weeks+days.
LONGEST_GESTATION_DAYS = 44 * 7


def normalised_type(text: str) -> str:
    """An appointment type as compared: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


class AppointmentKind(models.Model):
    """One type of appointment at a clinic and how far it may move (defaults: NICE NG201)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointment_kinds")
    name = models.CharField(max_length=100)
    import_names = models.TextField(
        "names in the appointment list",
        blank=True,
        help_text="The appointment types in the hospital's list that mean this one, one a line.",
    )
    movable = models.BooleanField(default=True)
    days_earlier = models.PositiveSmallIntegerField(default=7, validators=[MaxValueValidator(28)])
    days_later = models.PositiveSmallIntegerField(default=7, validators=[MaxValueValidator(28)])
    gestation_from_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(LONGEST_GESTATION_DAYS)]
    )
    gestation_to_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(LONGEST_GESTATION_DAYS)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "clinic", Lower("name"), name="appointment_kind_name_unique_per_clinic"
            ),
            models.CheckConstraint(
                condition=Q(gestation_from_days__isnull=True)
                | Q(gestation_to_days__isnull=True)
                | Q(gestation_from_days__lte=F("gestation_to_days")),
                name="appointment_kind_gestation_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def type_names(self) -> list[str]:
        """Its own name and each name the appointment list uses for it, compared normalised."""
        names = [self.name, *self.import_names.splitlines()]
        return [normalised_type(n) for n in names if n.strip()]


class BookingSlots(models.Model):
    """How the clinic's appointment book is cut: a slot's length and how many can be booked in it
    (one per midwife or scan room). A proposal never fills a slot beyond this."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="booking_slots")
    slot_minutes = models.PositiveSmallIntegerField(
        "length of a slot in minutes",
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    per_slot = models.PositiveSmallIntegerField(
        "appointments that can be booked in one slot",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name_plural = "booking slots"
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="booking_slot_length"),
            models.CheckConstraint(condition=Q(per_slot__gte=1), name="booking_slot_room"),
        ]

    def __str__(self) -> str:
        return f"{self.per_slot} every {self.slot_minutes} minutes"


class PartOfDay(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    ALL_DAY = "all-day", "All day"


# Where the morning ends and the afternoon begins, in the clinic's time.
MIDDAY = dt.time(13, 0)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class CohortDay(models.Model):
    """The day on which a cohort's women are brought together at a clinic ("Tuesday mornings")."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="cohort_days")
    cohort = models.ForeignKey("groups.Cohort", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    part = models.CharField(max_length=10, choices=PartOfDay.choices, default=PartOfDay.MORNING)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "cohort"], name="one_cohort_day_per_clinic"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="cohort_day_weekday"),
            models.CheckConstraint(
                condition=Q(part__in=PartOfDay.values), name="cohort_day_part_known"
            ),
        ]

    def __str__(self) -> str:
        return describe_cohort_day(self.weekday, self.part)


def describe_cohort_day(weekday: int, part: str) -> str:
    """'Tuesday mornings', 'Thursday afternoons', 'Fridays'."""
    day = Weekday(weekday).label
    if part == PartOfDay.ALL_DAY:
        return f"{day}s"
    return f"{day} {PartOfDay(part).label.lower()}s"


class WorklistStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SENT = "sent", "Sent to bookings"
    REBOOKED = "rebooked", "Rebooked"
    NOT_POSSIBLE = "not-possible", "Not possible"
    DECLINED = "declined", "She preferred not to"


OPEN_STATUSES = (WorklistStatus.PROPOSED, WorklistStatus.SENT)
CLOSED_STATUSES = (WorklistStatus.REBOOKED, WorklistStatus.NOT_POSSIBLE, WorklistStatus.DECLINED)


class WorklistItemQuerySet(models.QuerySet["WorklistItem"]):
    def open(self) -> WorklistItemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class WorklistItem(models.Model):
    """One proposed move of one appointment, handed to the booking team.

    proposed → sent to bookings → rebooked / not possible (with the reason) / she preferred not
    to. An import that shows the appointment at `to_start` closes it as rebooked by itself.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="worklist_items")
    cohort = models.ForeignKey("groups.Cohort", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "waitingroom.Appointment", on_delete=models.CASCADE, related_name="worklist_items"
    )
    kind_name = models.CharField("appointment type", max_length=100)
    from_start = models.DateTimeField()
    to_start = models.DateTimeField()
    peers = models.PositiveSmallIntegerField(help_text="Others of the group there with her.")
    explanation = models.CharField(max_length=300)
    status = models.CharField(
        max_length=15, choices=WorklistStatus.choices, default=WorklistStatus.PROPOSED
    )
    reason = models.CharField("reason", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by_import = models.BooleanField(default=False)

    objects = WorklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["from_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_worklist_item_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorklistStatus.values), name="worklist_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=WorklistStatus.NOT_POSSIBLE) | ~Q(reason=""),
                name="worklist_not_possible_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status"])]

    def __str__(self) -> str:
        return f"Worklist item {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
