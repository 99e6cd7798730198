"""Admin for import jobs: read-only, without the file."""

from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "clinic",
        "file_format",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "skipped_count",
    ]
    list_filter = ["clinic", "status", "file_format"]
    date_hierarchy = "created_at"
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request) -> bool:
        # Jobs come from uploads and the command; the admin only shows them.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
