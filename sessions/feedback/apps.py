from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Questionnaires: instruments as data, asking her after sessions and across her pregnancy,
    her answers, and the co-production queue ("You said, we did"). See docs/adr/0039."""

    name = "sessions.feedback"
    label = "feedback"
    verbose_name = "Feedback and co-production"
