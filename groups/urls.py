from django.urls import path

from . import member_views, staff_views, views

urlpatterns = [
    # Her home and groups. URLs carry group and post ids only, never anything about her.
    path("me/", views.member_home, name="member_home"),
    path("me/preferences/", member_views.preferences, name="member_preferences"),
    path("me/your-information/", member_views.your_information, name="member_information"),
    path("me/delete-account/", member_views.delete_account, name="member_delete_account"),
    path("account-deleted/", member_views.account_deleted, name="member_account_deleted"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:cohort_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:cohort_id>/join/", views.group_join, name="group_join"),
    path("groups/<int:cohort_id>/ask-to-join/", views.group_request, name="group_request"),
    path("groups/<int:cohort_id>/leave/", views.group_leave, name="group_leave"),
    path(
        "groups/<int:cohort_id>/threads/<int:thread_id>/",
        views.thread_detail,
        name="thread_detail",
    ),
    path("groups/<int:cohort_id>/posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path(
        "groups/<int:cohort_id>/posts/<int:post_id>/delete/",
        views.post_delete,
        name="post_delete",
    ),
    path(
        "groups/<int:cohort_id>/posts/<int:post_id>/report/",
        views.post_report,
        name="post_report",
    ),
    # The signed invitation link: the token carries the invitation's id, signed, nothing else.
    path("invitation/<str:token>/", member_views.invitation_page, name="invitation_page"),
    path(
        "invitation/<str:token>/answer/", member_views.invitation_answer, name="invitation_answer"
    ),
    path(
        "invitation/<str:token>/calendar.ics",
        member_views.invitation_calendar,
        name="invitation_calendar",
    ),
    path(
        "invitation/<str:token>/account/",
        member_views.invitation_account,
        name="invitation_account",
    ),
    path(
        "invitation/<str:token>/account/code/",
        member_views.invitation_account_code,
        name="invitation_account_code",
    ),
    path(
        "invitation/<str:token>/check-in/",
        member_views.invitation_check_in,
        name="invitation_check_in",
    ),
    # The waiting-room poster's QR code and short code.
    path("check-in/", member_views.checkin_start, name="checkin_start"),
    path("check-in/<str:code>/", member_views.checkin_clinic, name="checkin_clinic"),
    path(
        "check-in/<str:code>/sessions/<int:session_id>/",
        member_views.checkin_session,
        name="checkin_session",
    ),
    # Staff.
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
