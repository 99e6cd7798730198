from django.urls import include, path

urlpatterns = [
    path("", include("sessions.homes.urls")),
    path("", include("sessions.calendars.urls")),
    path("", include("sessions.alignment.urls")),
    path("", include("sessions.scheduling.urls")),
    path("", include("sessions.invitations.urls")),
    path("", include("sessions.facilitation.urls")),
    path("", include("sessions.imports.urls")),
    path("", include("sessions.feedback.urls")),
    path("", include("sessions.partners.urls")),
]
