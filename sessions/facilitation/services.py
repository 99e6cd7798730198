from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Attendance, AttendanceStatus, CheckInMethod


@transaction.atomic
def attendance_check_in(
    *, session, patient, method: str = CheckInMethod.QR_CODE, by=None
) -> tuple[Attendance, bool]:
    """Record that `patient` is at `session`. Returns (attendance, created); a second check-in
    changes nothing and returns created=False, so she can be told she is already in."""
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                patient=patient,
                method=method,
                status=AttendanceStatus.ATTENDED,
                checked_in_at=timezone.now(),
                recorded_by=by,
            )
        return attendance, True
    except IntegrityError:
        return Attendance.objects.get(session=session, patient=patient), False
