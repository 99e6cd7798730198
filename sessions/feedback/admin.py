from django.contrib import admin

from .models import FeedbackSettings, Instrument, YouSaidWeDid


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Read only: instruments change by loading a new version (`load_instruments`)."""

    list_display = ["slug", "version", "title", "domain", "placeholder", "loaded_at"]
    list_filter = ["domain", "placeholder"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = ["clinic", "ask_after_sessions", "ask_baseline_and_later", "later_at_weeks"]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(admin.ModelAdmin):
    list_display = ["clinic", "created_at", "published_at"]
    list_filter = ["clinic"]
