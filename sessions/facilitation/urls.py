from django.urls import path

from .views import attendance, concerns, debriefs, governance, notes, run_sheet

SESSION = "clinics/<slug:clinic_slug>/sessions/<int:session_id>/"
CLINIC = "clinics/<slug:clinic_slug>/"

urlpatterns = [
    path(SESSION + "run/", run_sheet.run_sheet, name="run_sheet"),
    path(SESSION + "run/women/", run_sheet.run_sheet_women, name="run_sheet_women"),
    path(
        SESSION + "run/attendance/<int:patient_id>/",
        attendance.attendance_mark,
        name="attendance_mark",
    ),
    path(SESSION + "notes/new/", notes.note_create, name="note_create"),
    path(SESSION + "concerns/new/", concerns.concern_create, name="concern_create"),
    path(SESSION + "debrief/", debriefs.debrief_create, name="debrief_create"),
    path(CLINIC + "notes/<int:note_id>/", notes.note_detail, name="note_detail"),
    path(CLINIC + "notes/<int:note_id>/edit/", notes.note_edit, name="note_edit"),
    path(CLINIC + "concerns/", concerns.concern_queue, name="concern_queue"),
    path(CLINIC + "concerns/<int:concern_id>/", concerns.concern_detail, name="concern_detail"),
    path(
        CLINIC + "concerns/<int:concern_id>/acknowledge/",
        concerns.concern_acknowledge,
        name="concern_acknowledge",
    ),
    path(CLINIC + "concerns/<int:concern_id>/close/", concerns.concern_close, name="concern_close"),
    path(CLINIC + "concern-leads/", governance.concern_leads, name="concern_leads"),
    path(CLINIC + "topics/", governance.topics, name="discussion_topics"),
    path(CLINIC + "topics/<int:topic_id>/retire/", governance.topic_retire, name="topic_retire"),
    path(CLINIC + "debriefs/<int:debrief_id>/", debriefs.debrief_detail, name="debrief_detail"),
    path(CLINIC + "peer-supporters/", governance.peer_supporters, name="peer_supporters"),
    path(
        CLINIC + "peer-supporters/<int:user_id>/",
        governance.peer_supporter_edit,
        name="peer_supporter_edit",
    ),
    path("my-concerns/", concerns.my_concerns, name="my_concerns"),
    path("debriefs-to-confirm/", debriefs.debriefs_to_confirm, name="debriefs_to_confirm"),
]
