"""Feedback URLs. Her pages carry the signed request token only; staff pages a clinic's slug and
a suggestion or entry id; nothing about her."""

from django.urls import path

from .views import answer, coproduction, member

urlpatterns = [
    path("feedback/<str:token>/", answer.feedback_start, name="feedback_start"),
    path(
        "feedback/<str:token>/questions/<int:step>/",
        answer.feedback_question,
        name="feedback_question",
    ),
    path("feedback/<str:token>/ideas/", answer.feedback_ideas, name="feedback_ideas"),
    path("feedback/<str:token>/thank-you/", answer.feedback_thanks, name="feedback_thanks"),
    path("me/you-said-we-did/", member.member_you_said_we_did, name="member_you_said_we_did"),
    path(
        "clinics/<slug:clinic_slug>/feedback/", coproduction.feedback_queue, name="feedback_queue"
    ),
    path(
        "clinics/<slug:clinic_slug>/feedback/suggestions/<int:suggestion_id>/",
        coproduction.feedback_suggestion,
        name="feedback_suggestion",
    ),
    path(
        "clinics/<slug:clinic_slug>/feedback/you-said-we-did/",
        coproduction.feedback_entries,
        name="feedback_entries",
    ),
    path(
        "clinics/<slug:clinic_slug>/feedback/you-said-we-did/<int:entry_id>/publish/",
        coproduction.feedback_entry_publish,
        name="feedback_entry_publish",
    ),
    path(
        "clinics/<slug:clinic_slug>/feedback/settings/",
        coproduction.feedback_settings,
        name="feedback_settings",
    ),
    path(
        "clinics/<slug:clinic_slug>/feedback/export.csv",
        coproduction.feedback_export,
        name="feedback_export",
    ),
]
