from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    """What happens in and after a session: attendance, notes, concerns, debriefs (ADR 0008)."""

    name = "sessions.facilitation"
    label = "facilitation"
    verbose_name = "Attendance, notes and concerns"
