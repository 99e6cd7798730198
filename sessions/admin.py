from django.contrib import admin

from .models import Appointment, Patient, WaitingAreaPlace, WaitingRoomSession


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = [
        "hospital_number",
        "given_name",
        "family_name",
        "organisation",
        "estimated_due_date",
    ]
    list_filter = ["organisation", "interpreter_needed", "consent_sms", "consent_email"]
    search_fields = ["hospital_number", "nhs_number", "family_name", "given_name"]
    raw_id_fields = ["user"]
    # The "pregnancy ended" action is added by the invitations app (sessions/invitations/admin.py),
    # since it stops her messages.


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["external_id", "source", "clinic", "start", "duration_minutes", "status"]
    list_filter = ["clinic", "status", "source"]
    search_fields = ["external_id", "patient__hospital_number"]
    raw_id_fields = ["patient"]
    date_hierarchy = "start"


@admin.register(WaitingAreaPlace)
class WaitingAreaPlaceAdmin(admin.ModelAdmin):
    """Names are checked against the lock-screen words by the model's clean()."""

    list_display = ["name", "clinic", "retired_at"]
    list_filter = ["clinic"]
    search_fields = ["name"]


@admin.register(WaitingRoomSession)
class WaitingRoomSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "status", "capacity", "location"]
    list_filter = ["clinic", "cohort", "status"]
    filter_horizontal = ["facilitators"]
    date_hierarchy = "start"
