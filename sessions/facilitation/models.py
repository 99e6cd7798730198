"""Attendance at waiting-room sessions. Notes, concerns and debriefs join this module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Arrived late"
    LEFT_FOR_APPOINTMENT = "left_for_appointment", "Left for her appointment"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class CheckInMethod(models.TextChoices):
    QR_CODE = "qr", "Scanned the waiting-room code"
    FACILITATOR = "facilitator", "Ticked in by the facilitator"


class Attendance(models.Model):
    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession", on_delete=models.CASCADE, related_name="attendances"
    )
    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        max_length=25, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED
    )
    method = models.CharField(max_length=15, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"], name="one_attendance_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"
