from django.contrib import admin

from .models import (
    Attendance,
    Concern,
    ConcernLead,
    Debrief,
    DiscussionNote,
    DiscussionTopic,
    NoteAddendum,
    PeerSupporterRecord,
)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "patient", "status", "method", "checked_in_at", "left_at"]
    list_filter = ["status", "method"]
    raw_id_fields = ["session", "patient", "recorded_by"]


@admin.register(DiscussionTopic)
class DiscussionTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]


class NoteAddendumInline(admin.TabularInline):
    model = NoteAddendum
    extra = 0
    raw_id_fields = ["author"]


@admin.register(DiscussionNote)
class DiscussionNoteAdmin(admin.ModelAdmin):
    list_display = ["session", "author", "created_at", "updated_at"]
    raw_id_fields = ["session", "author"]
    filter_horizontal = ["topics"]
    inlines = [NoteAddendumInline]


@admin.register(ConcernLead)
class ConcernLeadAdmin(admin.ModelAdmin):
    list_display = ["clinic", "category", "lead"]
    list_filter = ["clinic", "category"]
    raw_id_fields = ["lead"]


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["clinic", "category", "urgency", "status", "raised_at", "assignee"]
    list_filter = ["clinic", "category", "urgency", "status"]
    raw_id_fields = ["session", "patient", "raised_by", "assignee", "acknowledged_by", "closed_by"]
    date_hierarchy = "raised_at"


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ["session", "peer_supporter", "professional", "created_at", "confirmed_at"]
    raw_id_fields = ["session", "peer_supporter", "professional"]


@admin.register(PeerSupporterRecord)
class PeerSupporterRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "training_completed_on", "dbs_checked_on", "dbs_expires_on"]
    raw_id_fields = ["user"]


@admin.register(NoteAddendum)
class NoteAddendumAdmin(admin.ModelAdmin):
    list_display = ["note", "author", "created_at"]
    raw_id_fields = ["note", "author"]
