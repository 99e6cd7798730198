"""The demo's part of `sessions.invitations`: invitations to its published sessions, sent."""

from __future__ import annotations

from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import messages_dispatch
from sessions.models import WaitingRoomSession as Session
from waitroom.models import Clinic


def plan_demo_invitations(clinic: Clinic) -> None:
    """Invite the women to the published demo sessions and send what is due, as the beat
    scheduler would in production, so the demo outbox has real messages to read."""
    for session_id in (
        Session.objects.published().filter(clinic=clinic).values_list("pk", flat=True)
    ):
        plan_invitations_for_session(session_id)
    messages_dispatch()
