from django.urls import path

from . import views

urlpatterns = [
    path(
        "clinics/<slug:clinic_slug>/sessions/<int:session_id>/invitations/",
        views.session_invitations,
        name="session_invitations",
    ),
    path("clinics/<slug:clinic_slug>/messages/", views.clinic_messages_log, name="clinic_messages"),
    path("clinics/<slug:clinic_slug>/outbox/", views.clinic_outbox_view, name="clinic_outbox"),
    path("messages/unsubscribe/<str:token>/", views.unsubscribe, name="message_unsubscribe"),
    path("callbacks/notify/delivery/", views.notify_delivery_callback, name="notify_delivery"),
    path("callbacks/notify/inbound-sms/", views.notify_inbound_sms_callback, name="notify_inbound"),
]
