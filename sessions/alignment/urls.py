from django.urls import path

from . import views

urlpatterns = [
    path(
        "clinics/<slug:clinic_slug>/alignment/",
        views.alignment_page,
        name="booking_alignment",
    ),
    path(
        "clinics/<slug:clinic_slug>/alignment/export.csv",
        views.alignment_export,
        name="booking_alignment_export",
    ),
]
