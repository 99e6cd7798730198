from django.contrib import admin

from .models import GroupMeeting, Partner, Resource, Signposting


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "phone"]
    search_fields = ["name"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "partner", "last_reviewed", "next_review_due"]
    list_filter = ["kind", "partner", "cohorts"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["cohorts"]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "starts_at", "place"]
    list_filter = ["partner", "cohorts"]
    filter_horizontal = ["cohorts"]
    date_hierarchy = "starts_at"


@admin.register(Signposting)
class SignpostingAdmin(admin.ModelAdmin):
    list_display = ["resource", "session", "signposted_by", "signposted_at"]
    raw_id_fields = ["session", "resource", "signposted_by"]
