from django.urls import include, path

from . import views

urlpatterns = [
    path("coordinator/", views.coordinator_home, name="coordinator_home"),
    path("my-sessions/", views.sessions_home, name="sessions_home"),
    path("", include("sessions.calendars.urls")),
    path("", include("sessions.alignment.urls")),
    path("", include("sessions.scheduling.urls")),
    path("", include("sessions.invitations.urls")),
    path("", include("sessions.facilitation.urls")),
    path("", include("sessions.imports.urls")),
]
