from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Invitations to sessions and the messages sent for them (docs/adr/0008)."""

    name = "sessions.invitations"
    label = "invitations"
    verbose_name = "Invitations and messages"
