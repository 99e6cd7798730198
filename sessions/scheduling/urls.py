import datetime as dt

from django.urls import path, register_converter

from . import views
from .forms import FIRST_DAY, LAST_DAY


class IsoDateConverter:
    """A calendar date in the URL, as YYYY-MM-DD; anything else does not match (404).

    Only days a clinic could plan (`FIRST_DAY` to `LAST_DAY`) match: 9999-12-31 or 0001-01-01
    would overflow the day's arithmetic (next week, midnight in UTC) into a 500.
    """

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        day = dt.date.fromisoformat(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(value)  # the URL does not match: 404
        return day

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
        "clinics/<slug:clinic_slug>/places/",
        views.waiting_area_places,
        name="waiting_area_places",
    ),
    path(
        "clinics/<slug:clinic_slug>/places/<int:place_id>/remove/",
        views.waiting_area_place_retire_view,
        name="waiting_area_place_retire",
    ),
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
