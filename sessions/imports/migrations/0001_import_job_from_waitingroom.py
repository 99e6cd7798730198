"""ImportJob, taken over from the core sessions app (label `waitingroom`; ADR 36): state only.

The table keeps its name and rows. Its content type moves with it, so its permissions and any
admin history follow; audit events keep the label they were written with (waitroom.audit_labels
reads both).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor, old="waitingroom", new="imports"):
    """Relabel ImportJob's content type (a fresh database has none yet: post_migrate makes it)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    types = content_type.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="importjob").exists():
        types.filter(app_label=old, model="importjob").update(app_label=new)


def content_type_goes_back(apps, schema_editor):
    content_type_follows(apps, schema_editor, old="imports", new="waitingroom")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("waitingroom", "0008_importjob_moves_to_imports_app"),
        ("waitroom", "0008_auditevent_context_for_repeat_views"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("filename", models.CharField(blank=True, max_length=255)),
                        ("size_bytes", models.PositiveIntegerField(default=0)),
                        ("content", models.BinaryField(blank=True, default=b"")),
                        ("file_format", models.CharField(blank=True, max_length=10)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "Importing"),
                                    ("finished", "Finished"),
                                    ("refused", "Not imported"),
                                    ("failed", "Stopped by an error"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                        ("total_rows", models.PositiveIntegerField(default=0)),
                        ("processed_rows", models.PositiveIntegerField(default=0)),
                        ("created_count", models.PositiveIntegerField(default=0)),
                        ("updated_count", models.PositiveIntegerField(default=0)),
                        ("unchanged_count", models.PositiveIntegerField(default=0)),
                        ("cancelled_count", models.PositiveIntegerField(default=0)),
                        ("skipped_count", models.PositiveIntegerField(default=0)),
                        ("problem_count", models.PositiveIntegerField(default=0)),
                        ("problems", models.JSONField(blank=True, default=list)),
                        (
                            "refusal",
                            models.TextField(
                                blank=True, help_text="Why the whole file was not imported."
                            ),
                        ),
                        (
                            "clinic",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="import_jobs",
                                to="waitroom.clinic",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "waitingroom_importjob",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["queued", "running", "finished", "refused", "failed"],
                                    )
                                ),
                                name="import_job_status_known",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
