from django.contrib import admin

from .models import Cohort, CohortMembership, JoinRequest, ModerationEvent, Post, PostReport, Thread


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


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["cohort", "patient", "status", "created_at", "decided_at"]
    list_filter = ["status", "cohort"]
    raw_id_fields = ["patient", "decided_by"]


class PostInline(admin.TabularInline):
    model = Post
    fields = ["author", "body", "created_at", "hidden_at", "hidden_reason", "removed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "created_at", "last_posted_at"]
    list_filter = ["cohort"]
    raw_id_fields = ["author"]
    inlines = [PostInline]


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["action", "cohort", "reason", "by", "at"]
    list_filter = ["action"]
    raw_id_fields = ["post", "membership", "by"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "thread", "author", "created_at", "hidden_at", "removed_at"]
    list_filter = ["thread__cohort"]
    raw_id_fields = ["thread", "author", "hidden_by"]
    date_hierarchy = "created_at"
