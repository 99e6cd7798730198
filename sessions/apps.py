from django.apps import AppConfig


class WaitingRoomSessionsConfig(AppConfig):
    """Appointments, patients and waiting-room sessions.

    The label is not `sessions`: django.contrib.sessions owns that label and Django refuses two
    apps with one (docs/adr/0002-sessions-app-label.md).
    """

    name = "sessions"
    label = "waitingroom"
    verbose_name = "Waiting-room sessions and appointments"
