"""Where an import tells the rest of Waitroom that appointments changed under it.

Each runs after the batch that changed the appointments has committed, and hands them to the
invitations planner, which re-plans the sessions on their clinic days. The import knows nothing
of invitations beyond these calls.
"""

from __future__ import annotations

from collections.abc import Sequence


def appointments_withdrawn(*, appointment_ids: Sequence[int]) -> None:
    """Appointments the hospital has just cancelled or marked entered-in-error.

    The invitations planner cancels each open Invitation made because of one of these
    appointments, stops its unsent messages, and sends a notice for what has gone.
    """
    from sessions.invitations.services import invitations_replan_for_appointments

    invitations_replan_for_appointments(appointment_ids=appointment_ids)


def appointments_rescheduled(*, appointment_ids: Sequence[int]) -> None:
    """Appointments whose start time has just moved (still booked).

    The invitations planner re-plans the sessions that depended on the old time and those on
    the new day.
    """
    from sessions.invitations.services import invitations_replan_for_appointments

    invitations_replan_for_appointments(appointment_ids=appointment_ids)


def appointments_added(*, appointment_ids: Sequence[int]) -> None:
    """New appointments: the women may fit sessions already published on those days."""
    from sessions.invitations.services import invitations_replan_for_appointments

    invitations_replan_for_appointments(appointment_ids=appointment_ids)


def appointments_imported(*, clinic_id: int) -> None:
    """An import into the clinic has committed: the booking team's worklist closes each item
    whose woman is now booked at the proposed time (sessions/alignment/services.py)."""
    from sessions.alignment.services import worklist_close_rebooked

    worklist_close_rebooked(clinic_id=clinic_id)
