from django.urls import path

from . import views

CLINIC = "clinics/<slug:clinic_slug>/measures/"

urlpatterns = [
    path(CLINIC, views.measures, name="measures"),
    path(CLINIC + "rebase-dates/", views.measure_rebases, name="measure_rebases"),
    path(
        CLINIC + "rebase-dates/<int:rebase_id>/remove/",
        views.measure_rebase_remove,
        name="measure_rebase_remove",
    ),
    path(CLINIC + "<slug:measure_slug>/", views.measure_chart, name="measure_chart"),
    path(CLINIC + "<slug:measure_slug>/data.csv", views.measure_csv, name="measure_csv"),
]
