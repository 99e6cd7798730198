"""ImportJob moves to the `imports` app (sessions/imports, ADR 36): state only.

Its table, `waitingroom_importjob`, stays where it is, rows and all; the `imports` app's first
migration takes the model over with `db_table` set to that name, and moves its content type.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("waitingroom", "0007_places_from_session_locations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="importjob", name="import_job_status_known"),
                migrations.DeleteModel(name="ImportJob"),
            ],
            database_operations=[],
        ),
    ]
