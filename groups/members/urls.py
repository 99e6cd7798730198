"""The member's pages. URLs carry group, post and session ids and the signed invitation token
only, never anything about her."""

from django.urls import path

from .views import checkin, groups, home, invitation

urlpatterns = [
    # Her home, what was signposted to her, her preferences and privacy, her groups.
    path("me/", home.member_home, name="member_home"),
    path("me/preferences/", home.preferences, name="member_preferences"),
    path("me/your-information/", home.your_information, name="member_information"),
    path("me/delete-account/", home.delete_account, name="member_delete_account"),
    path("account-deleted/", home.account_deleted, name="member_account_deleted"),
    path("my-resources/", home.my_resources, name="my_resources"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/<int:cohort_id>/", groups.group_detail, name="group_detail"),
    path("groups/<int:cohort_id>/join/", groups.group_join, name="group_join"),
    path("groups/<int:cohort_id>/ask-to-join/", groups.group_request, name="group_request"),
    path("groups/<int:cohort_id>/leave/", groups.group_leave, name="group_leave"),
    path(
        "groups/<int:cohort_id>/threads/<int:thread_id>/",
        groups.thread_detail,
        name="thread_detail",
    ),
    path("groups/<int:cohort_id>/posts/<int:post_id>/edit/", groups.post_edit, name="post_edit"),
    path(
        "groups/<int:cohort_id>/posts/<int:post_id>/delete/",
        groups.post_delete,
        name="post_delete",
    ),
    path(
        "groups/<int:cohort_id>/posts/<int:post_id>/report/",
        groups.post_report,
        name="post_report",
    ),
    # The signed invitation link: the token carries the invitation's id, signed, nothing else.
    path("invitation/<str:token>/", invitation.invitation_page, name="invitation_page"),
    path(
        "invitation/<str:token>/answer/",
        invitation.invitation_answer,
        name="invitation_answer",
    ),
    path(
        "invitation/<str:token>/calendar.ics",
        invitation.invitation_calendar,
        name="invitation_calendar",
    ),
    path(
        "invitation/<str:token>/account/",
        invitation.invitation_account,
        name="invitation_account",
    ),
    path(
        "invitation/<str:token>/account/code/",
        invitation.invitation_account_code,
        name="invitation_account_code",
    ),
    path(
        "invitation/<str:token>/check-in/",
        invitation.invitation_check_in,
        name="invitation_check_in",
    ),
    # The waiting-room poster's QR code and short code.
    path("check-in/", checkin.checkin_start, name="checkin_start"),
    path("check-in/<str:code>/", checkin.checkin_clinic, name="checkin_clinic"),
    path(
        "check-in/<str:code>/sessions/<int:session_id>/",
        checkin.checkin_session,
        name="checkin_session",
    ),
]
