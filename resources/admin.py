from django.contrib import admin

from .models import Partner, Resource


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
