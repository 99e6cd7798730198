from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Invitations to sessions and the messages sent for them (docs/adr/0008)."""

    name = "sessions.invitations"
    label = "invitations"
    verbose_name = "Invitations and messages"

    def ready(self) -> None:
        from groups.signals import membership_changed

        from .receivers import replan_after_membership_change

        membership_changed.connect(
            replan_after_membership_change, dispatch_uid="invitations_replan_membership"
        )
