from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import audit_views, team_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("clinics/<slug:clinic_slug>/team/", views.clinic_team, name="clinic_team"),
    path(
        "clinics/<slug:clinic_slug>/team/<int:role_id>/",
        team_views.staff_role_detail,
        name="staff_role_detail",
    ),
    path(
        "clinics/<slug:clinic_slug>/team/<int:role_id>/deactivate/",
        team_views.staff_role_deactivate_view,
        name="staff_role_deactivate",
    ),
    path(
        "clinics/<slug:clinic_slug>/team/<int:role_id>/reactivate/",
        team_views.staff_role_reactivate_view,
        name="staff_role_reactivate",
    ),
    path(
        "clinics/<slug:clinic_slug>/team/<int:role_id>/remove/",
        team_views.staff_role_remove_view,
        name="staff_role_remove",
    ),
    path("clinics/<slug:clinic_slug>/settings/", views.clinic_settings, name="clinic_settings"),
    path("account/", include("allauth.urls")),
    path("", include("sessions.urls")),
    # Not in sessions/urls.py: the measures read the groups app, which imports the sessions core.
    path("", include("sessions.measures.urls")),
    path("", include("groups.urls")),
    path("", include("groups.members.urls")),
    path("", include("resources.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path(settings.ADMIN_URL, admin.site.urls),
]
