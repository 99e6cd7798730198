"""What a coordinator sets for her clinic's charts: the dates their limits start again from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MeasureRebaseQuerySet(models.QuerySet["MeasureRebase"]):
    def for_measure(self, slug: str) -> MeasureRebaseQuerySet:
        """The dates that apply to one measure: its own and those set for every measure."""
        return self.filter(Q(measure="") | Q(measure=slug))


class MeasureRebase(models.Model):
    """A date from which a clinic's charts compute their centre line and limits afresh, because
    the process changed then (the programme started, a new room, a new booking system). Applies
    to one measure, or to all of them when `measure` is blank."""

    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="measure_rebases"
    )
    measure = models.CharField(
        max_length=50, blank=True, help_text="A measure's slug; blank for every measure."
    )
    starts_on = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeasureRebaseQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "starts_on", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "measure", "starts_on"], name="one_rebase_per_measure_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Rebase {self.pk}"
