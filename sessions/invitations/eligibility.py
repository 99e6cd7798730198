"""Who a session is for: the women the planner invites and the session page lists.

`session_eligible` applies the one eligibility rule (`Presence.takes_part` in
sessions/presence.py, ADR 22) to the session's cohort and clinic day. It lives with the planner,
which scheduling starts when a session is published; scheduling reads it from here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from groups.models import MembershipStatus
from sessions.models import Appointment, Patient, WaitingRoomSession
from sessions.presence import Margins, Presence, Visit, presences_for_day

CURRENT_MEMBERSHIP = [MembershipStatus.INVITED, MembershipStatus.ACTIVE]


@dataclass
class EligibleWoman:
    patient: Patient
    appointment: Appointment
    presence: Presence


def session_eligible(session: WaitingRoomSession) -> list[EligibleWoman]:
    """Current members of the session's cohort with an attending appointment at its clinic that
    day, who are in the waiting room for at least half of the session (`Presence.takes_part`,
    the rule the clinic day's suggested windows count by). One query.
    """
    clinic = session.clinic
    day = clinic.day_of(session.start)
    start, end = clinic.day_bounds(day)
    appointments = list(
        Appointment.objects.attending()
        .filter(
            clinic=clinic,
            start__gte=start,
            start__lt=end,
            # One filter() call, so both conditions apply to the same membership row.
            patient__cohort_memberships__cohort=session.cohort_id,
            patient__cohort_memberships__status__in=CURRENT_MEMBERSHIP,
        )
        .select_related("patient")
        .order_by("start", "pk")
    )
    margins = Margins.for_clinic(clinic)
    by_patient: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        by_patient[appointment.patient_id].append(appointment)
    presences = presences_for_day(
        (Visit(a.patient_id, a.start, a.duration_minutes) for a in appointments),
        margins=margins,
        day=day,
    )
    eligible: dict[int, EligibleWoman] = {}
    for presence in presences:
        if presence.takes_part(session.start, session.end) and presence.patient_id not in eligible:
            # Her appointment in this stretch of waiting: the last one booked before she leaves.
            appointment = [
                a for a in by_patient[presence.patient_id] if a.start <= presence.leaves
            ][-1]
            eligible[presence.patient_id] = EligibleWoman(
                appointment.patient, appointment, presence
            )
    return list(eligible.values())
