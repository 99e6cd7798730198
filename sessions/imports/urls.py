from django.urls import path

from . import views

urlpatterns = [
    path(
        "clinics/<slug:clinic_slug>/import/",
        views.appointment_import,
        name="appointment_import",
    ),
    path(
        "clinics/<slug:clinic_slug>/import/<int:job_id>/",
        views.appointment_import_job,
        name="appointment_import_job",
    ),
    path(
        "clinics/<slug:clinic_slug>/import/<int:job_id>/status/",
        views.appointment_import_status,
        name="appointment_import_status",
    ),
]
