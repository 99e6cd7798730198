from django.urls import path

from . import views

SESSION = "clinics/<slug:clinic_slug>/sessions/<int:session_id>/"
CLINIC = "clinics/<slug:clinic_slug>/"

urlpatterns = [
    path(SESSION + "run/", views.run_sheet, name="run_sheet"),
    path(SESSION + "run/women/", views.run_sheet_women, name="run_sheet_women"),
    path(
        SESSION + "run/attendance/<int:patient_id>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path(SESSION + "notes/new/", views.note_create, name="note_create"),
    path(SESSION + "concerns/new/", views.concern_create, name="concern_create"),
    path(SESSION + "debrief/", views.debrief_create, name="debrief_create"),
    path(CLINIC + "notes/<int:note_id>/", views.note_detail, name="note_detail"),
    path(CLINIC + "notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path(CLINIC + "concerns/", views.concern_queue, name="concern_queue"),
    path(CLINIC + "concerns/<int:concern_id>/", views.concern_detail, name="concern_detail"),
    path(
        CLINIC + "concerns/<int:concern_id>/acknowledge/",
        views.concern_acknowledge,
        name="concern_acknowledge",
    ),
    path(CLINIC + "concerns/<int:concern_id>/close/", views.concern_close, name="concern_close"),
    path(CLINIC + "concern-leads/", views.concern_leads, name="concern_leads"),
    path(CLINIC + "topics/", views.topics, name="discussion_topics"),
    path(CLINIC + "topics/<int:topic_id>/retire/", views.topic_retire, name="topic_retire"),
    path(CLINIC + "debriefs/<int:debrief_id>/", views.debrief_detail, name="debrief_detail"),
    path(CLINIC + "peer-supporters/", views.peer_supporters, name="peer_supporters"),
    path(
        CLINIC + "peer-supporters/<int:user_id>/",
        views.peer_supporter_edit,
        name="peer_supporter_edit",
    ),
    path("my-concerns/", views.my_concerns, name="my_concerns"),
    path("debriefs-to-confirm/", views.debriefs_to_confirm, name="debriefs_to_confirm"),
]
