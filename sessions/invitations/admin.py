from django.contrib import admin

from .models import Invitation, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["kind", "channel", "status", "due_at", "sent_at", "failure_reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "session", "state", "cancel_reason", "answered_at"]
    list_filter = ["state", "cancel_reason"]
    raw_id_fields = ["session", "patient", "appointment"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    # Ids and states only in the list: the text and address stay on the detail page.
    list_display = ["pk", "invitation", "kind", "channel", "status", "due_at", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    raw_id_fields = ["invitation"]
    date_hierarchy = "due_at"
