"""An uploaded appointment list waiting for, or going through, an import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from waitroom.models import Clinic


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    FINISHED = "finished", "Finished"
    REFUSED = "refused", "Not imported"
    FAILED = "failed", "Stopped by an error"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def for_clinic(self, clinic: Clinic) -> ImportJobQuerySet:
        return self.filter(clinic=clinic)

    def recent(self) -> ImportJobQuerySet:
        return self.order_by("-created_at")


class ImportJob(models.Model):
    """One uploaded file and the progress and outcome of importing it.

    The file itself is kept in `content` (not on a disk only the web server sees) so that any
    Celery worker can read it from the job id alone; it is emptied when the import ends, so no
    personal data outlives the import. `problems` holds the row-by-row report.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveIntegerField(default=0)
    content = models.BinaryField(blank=True, default=b"", editable=False)
    file_format = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress, written after each committed batch so the page can poll it.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    cancelled_count = models.PositiveIntegerField(default=0)
    # Rows not imported because of a problem, and the problems found (a row may have several).
    skipped_count = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # [{"row": 4, "field": "NHS number", "reason": "..."}], capped (see services).
    problems = models.JSONField(default=list, blank=True)
    refusal = models.TextField(blank=True, help_text="Why the whole file was not imported.")

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        # The table it had when the model belonged to the core sessions app (ADR 36).
        db_table = "waitingroom_importjob"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportJobStatus.values), name="import_job_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} for {self.clinic}"

    @property
    def is_done(self) -> bool:
        return self.status in (
            ImportJobStatus.FINISHED,
            ImportJobStatus.REFUSED,
            ImportJobStatus.FAILED,
        )

    @property
    def percent(self) -> int:
        if self.is_done and self.status == ImportJobStatus.FINISHED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
