from django.db import migrations, models

import waitroom.models


def fill_checkin_codes(apps, schema_editor):
    Clinic = apps.get_model("waitroom", "Clinic")
    used = set()
    for clinic in Clinic.objects.filter(checkin_code__isnull=True):
        code = waitroom.models._new_checkin_code()
        while code in used:
            code = waitroom.models._new_checkin_code()
        used.add(code)
        clinic.checkin_code = code
        clinic.save(update_fields=["checkin_code"])


class Migration(migrations.Migration):
    dependencies = [("waitroom", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="checkin_code",
            field=models.CharField(max_length=8, null=True),
        ),
        migrations.RunPython(fill_checkin_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clinic",
            name="checkin_code",
            field=models.CharField(
                default=waitroom.models._new_checkin_code, max_length=8, unique=True
            ),
        ),
    ]
