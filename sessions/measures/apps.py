from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Measures and their statistical process control charts (issue 11, ADR 0037)."""

    name = "sessions.measures"
    label = "measures"
    verbose_name = "Measures and SPC charts"
