from django.contrib import admin

from sessions.admin import PatientAdmin
from sessions.models import Patient

from .models import Invitation, Message
from .services import patient_pregnancy_ended


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


# The patient admin, as the sessions app registers it, plus the action that needs this app.
# Importing sessions.admin above registers it first, whatever order the admin is discovered in.
admin.site.unregister(Patient)


@admin.register(Patient)
class PatientWithInvitationsAdmin(PatientAdmin):
    actions = ["mark_pregnancy_ended"]

    @admin.action(description="Mark pregnancy ended (stops all messages, sends nothing)")
    def mark_pregnancy_ended(self, request, queryset):
        for patient in queryset:
            patient_pregnancy_ended(patient=patient)
        self.message_user(request, f"Recorded for {queryset.count()} patient(s). Nothing was sent.")
