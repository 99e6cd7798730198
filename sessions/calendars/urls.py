from django.urls import path, re_path

from . import views

urlpatterns = [
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/calendar.ics",
        views.session_calendar,
        name="session_calendar",
    ),
    path("my-sessions/calendar/", views.calendar_settings, name="sessions_calendar"),
    # A secret from secrets.token_urlsafe(32): 43 URL-safe base64 characters.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{43})\.ics$", views.calendar_feed, name="calendar_feed"
    ),
]
