from django.contrib import admin

from .models import Cohort, CohortMembership


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["staff_name", "public_name", "slug", "is_pregnancy_cohort"]
    search_fields = ["staff_name", "public_name", "slug"]
    filter_horizontal = ["clinics"]
    prepopulated_fields = {"slug": ["staff_name"]}


@admin.register(CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    list_display = ["patient", "cohort", "status", "source", "created_at"]
    list_filter = ["cohort", "status", "source"]
    raw_id_fields = ["patient"]
