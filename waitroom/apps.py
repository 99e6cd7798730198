from django.apps import AppConfig


class WaitroomConfig(AppConfig):
    name = "waitroom"
    verbose_name = "Waitroom: people, clinics and audit"
