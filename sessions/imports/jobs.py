"""Import jobs: the upload page's way in, run inline for small files and by Celery for large ones.

The import itself is `services.appointments_import`; a job records the uploaded file, runs
that import once (claimed by a conditional update), and keeps its progress and report where the
upload page can poll them.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils import timezone

from waitroom.models import Clinic, User

from .models import ImportJob, ImportJobStatus
from .rows import ImportRefused
from .services import BATCH_SIZE, ImportReport, appointments_import

logger = logging.getLogger(__name__)

# A running job whose worker has said nothing for this long is taken to be dead, and may be
# claimed again: the import is idempotent, so running it again from the start is safe.
STALE_AFTER = dt.timedelta(minutes=10)


def import_max_bytes() -> int:
    return getattr(settings, "APPOINTMENT_IMPORT_MAX_BYTES", 40 * 1024 * 1024)


def import_inline_max_bytes() -> int:
    """Files up to this size are imported during the upload request; larger ones by a task."""
    return getattr(settings, "APPOINTMENT_IMPORT_INLINE_MAX_BYTES", 100 * 1024)


def import_job_start(
    *, clinic: Clinic, user: User | None, filename: str, content: bytes
) -> ImportJob:
    """Record an uploaded file and import it: now if it is small, else by a Celery task."""
    from .tasks import import_appointments_file

    job = ImportJob.objects.create(
        clinic=clinic,
        created_by=user,
        filename=filename[:255],
        size_bytes=len(content),
        content=content,
    )
    if len(content) <= import_inline_max_bytes():
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        # After commit, so the worker never looks for a job that is not there yet.
        transaction.on_commit(lambda: import_appointments_file.delay(job.pk))
    return job


def _job_fields(report: ImportReport) -> dict:
    return {
        "file_format": report.file_format,
        "total_rows": report.total_rows,
        "processed_rows": report.processed_rows,
        "created_count": report.created,
        "updated_count": report.updated,
        "unchanged_count": report.unchanged,
        "cancelled_count": report.cancelled,
        "skipped_count": report.skipped,
        "problem_count": report.problem_count,
    }


class _ProgressWriter:
    """Writes a running job's progress through a connection of its own, in autocommit.

    The import's writes are one transaction until the file is done; progress written inside
    it would stay invisible to the page polling for it. The job row is written only here while
    the import runs, so the two connections never wait for each other.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = None

    def __call__(self, report: ImportReport) -> None:
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        values = {"heartbeat_at": timezone.now(), **_job_fields(report)}
        columns = ", ".join(
            f"{self.connection.ops.quote_name(ImportJob._meta.get_field(name).column)} = %s"
            for name in values
        )
        table = self.connection.ops.quote_name(ImportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 - names from _meta
                [*values.values(), self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def import_job_run(*, job_id: int, batch_size: int = BATCH_SIZE) -> bool:
    """Claim job `job_id` and import its file; False if it is not there to claim.

    The claim is a conditional update, so two workers given the same job never both run it.
    """
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ImportJobStatus.QUEUED)
            | Q(status=ImportJobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        )
        .update(status=ImportJobStatus.RUNNING, started_at=now, heartbeat_at=now)
    )
    if not claimed:
        return False
    job = ImportJob.objects.select_related("clinic__organisation", "created_by").get(pk=job_id)
    content = bytes(job.content)
    jobs = ImportJob.objects.filter(pk=job_id)
    progress = _ProgressWriter(job_id)

    try:
        report = appointments_import(
            clinic=job.clinic,
            open_file=lambda: io.BytesIO(content),
            user=job.created_by,
            batch_size=batch_size,
            progress=progress,
        )
    except ImportRefused as refused:
        jobs.update(
            status=ImportJobStatus.REFUSED,
            refusal=refused.message,
            content=b"",
            finished_at=timezone.now(),
        )
        return True
    except Exception as exc:
        # Only the exception's type: database errors quote values, which may be personal data.
        logger.error("Import job %s failed: %s", job_id, type(exc).__name__)
        jobs.update(
            status=ImportJobStatus.FAILED,
            refusal=(
                "The import stopped because of an error in Waitroom. Nothing was imported. "
                "Try again; if it happens again, tell your Waitroom administrator."
            ),
            content=b"",
            finished_at=timezone.now(),
            **_job_fields(ImportReport(file_format=job.file_format)),
        )
        return True
    finally:
        progress.close()
    jobs.update(
        status=ImportJobStatus.FINISHED,
        problems=[problem.as_dict() for problem in report.problems],
        content=b"",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        **_job_fields(report),
    )
    return True
