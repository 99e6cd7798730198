from django.contrib import admin

from .models import GroupMeeting, Partner, Resource, Signposting


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    # A partner with no clinic is shared by every clinic and kept here; a clinic's own partners
    # are managed by its coordinators in the app (ADR 0041).
    list_display = ["name", "clinic", "website", "phone"]
    list_filter = ["clinic"]
    search_fields = ["name"]
    filter_horizontal = ["volunteers"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "clinic", "partner", "last_reviewed", "next_review_due"]
    list_filter = ["clinic", "kind", "partner", "cohorts"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["cohorts"]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "clinic", "partner", "starts_at", "place"]
    list_filter = ["clinic", "partner", "cohorts"]
    filter_horizontal = ["cohorts"]
    raw_id_fields = ["session"]
    date_hierarchy = "starts_at"


@admin.register(Signposting)
class SignpostingAdmin(admin.ModelAdmin):
    list_display = ["resource", "session", "signposted_by", "signposted_at"]
    raw_id_fields = ["session", "resource", "signposted_by"]
