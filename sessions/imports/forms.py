from __future__ import annotations

import io

from django import forms
from django.core.exceptions import ValidationError

from .detect import detect_format
from .jobs import import_max_bytes
from .rows import ImportRefused


class AppointmentFileForm(forms.Form):
    file = forms.FileField(
        label="Appointment list",
        help_text="A CSV file, or a FHIR R4 Bundle saved as JSON, exported from the hospital "
        "system.",
        error_messages={
            "required": "Select the appointment list to import",
            "empty": "The selected file is empty. Choose the file exported from the hospital "
            "system.",
            "invalid": "Select the appointment list to import",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                f"The selected file must be smaller than {limit // (1024 * 1024)} MB. "
                "Split the list by date and import each part."
            )
        content = b"".join(upload.chunks())
        try:
            detect_format(lambda: io.BytesIO(content))
        except ImportRefused as refused:
            raise ValidationError(refused.message) from None
        self.content = content
        return upload
