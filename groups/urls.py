from django.urls import path

from . import staff_views

# The member's pages are in groups/members/urls.py.
urlpatterns = [
    path(
        "clinics/<slug:clinic_slug>/check-in-poster/",
        staff_views.checkin_poster,
        name="checkin_poster",
    ),
    path(
        "clinics/<slug:clinic_slug>/moderation/",
        staff_views.moderation_queue,
        name="moderation_queue",
    ),
    path(
        "clinics/<slug:clinic_slug>/moderation/posts/<int:post_id>/",
        staff_views.moderation_post,
        name="moderation_post",
    ),
    path(
        "clinics/<slug:clinic_slug>/group-requests/",
        staff_views.join_requests,
        name="join_requests",
    ),
    path(
        "clinics/<slug:clinic_slug>/group-requests/<int:request_id>/",
        staff_views.join_request_decide,
        name="join_request_decide",
    ),
]
