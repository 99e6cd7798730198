from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    """Booking alignment: appointment types, cohort days, proposals and the booking team's
    worklist (docs/adr/0040-booking-alignment-a-booking-team-can-act-on.md)."""

    name = "sessions.alignment"
    label = "alignment"
    verbose_name = "Booking alignment"
