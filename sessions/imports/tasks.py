"""The Celery task that imports a large uploaded appointment list."""

from __future__ import annotations

from celery import shared_task

from .jobs import import_job_run

# 50,000 rows take a minute or two; the project's default limits (60 s) are for small tasks.
IMPORT_SOFT_TIME_LIMIT = 30 * 60


@shared_task(
    name="sessions.imports.import_appointments_file",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_SOFT_TIME_LIMIT + 60,
)
def import_appointments_file(job_id: int) -> None:
    """Import the file of ImportJob `job_id`. Its argument is the id alone, never the file."""
    import_job_run(job_id=job_id)
