from django.urls import path

from . import views as partner_views

urlpatterns = [
    # A clinic's partners, its own resources and partner meetings (coordinators; ADR 0041).
    path("clinics/<slug:clinic_slug>/partners/", partner_views.partner_list, name="partner_list"),
    path(
        "clinics/<slug:clinic_slug>/partners/new/",
        partner_views.partner_create_view,
        name="partner_create",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/<int:partner_id>/",
        partner_views.partner_edit,
        name="partner_edit",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/resources/",
        partner_views.clinic_resource_list,
        name="clinic_resource_list",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/resources/new/",
        partner_views.clinic_resource_create,
        name="clinic_resource_create",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/resources/<int:resource_id>/",
        partner_views.clinic_resource_edit,
        name="clinic_resource_edit",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/meetings/",
        partner_views.partner_meeting_list,
        name="partner_meeting_list",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/meetings/new/",
        partner_views.partner_meeting_create_outside,
        name="partner_meeting_create_outside",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/meetings/new-in-waiting-room/",
        partner_views.partner_meeting_create_in_waiting_room,
        name="partner_meeting_create_in_waiting_room",
    ),
    path(
        "clinics/<slug:clinic_slug>/partners/meetings/<int:meeting_id>/remove/",
        partner_views.partner_meeting_remove_view,
        name="partner_meeting_remove",
    ),
]
