import datetime as dt

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """A calendar date in the URL, as YYYY-MM-DD; anything else does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else value


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("clinics/<slug:clinic_slug>/days/", views.clinic_day_pick, name="clinic_day_pick"),
    path(
        "clinics/<slug:clinic_slug>/days/<isodate:day>/",
        views.clinic_day,
        name="clinic_day",
    ),
    path("clinics/<slug:clinic_slug>/sessions/", views.session_list, name="clinic_sessions"),
    path(
        "clinics/<slug:clinic_slug>/sessions/new/",
        views.session_create_view,
        name="session_create",
    ),
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/",
        views.session_detail,
        name="session_detail",
    ),
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/edit/",
        views.session_edit,
        name="session_edit",
    ),
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/publish/",
        views.session_publish_view,
        name="session_publish",
    ),
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/cancel/",
        views.session_cancel_view,
        name="session_cancel",
    ),
]
