"""Celery finds tasks in each app's `tasks` module; the sessions app's live in its packages."""

from .imports.tasks import import_appointments_file

__all__ = ["import_appointments_file"]
