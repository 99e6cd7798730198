"""Alerts about concerns. Tasks take ids only and send no personal data (design: minimum data)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from waitroom.models import Role, User

from .models import Concern


@shared_task
def send_concern_alert(concern_id: int) -> None:
    """Email the concern's lead (or, with no lead set, the clinic's coordinators) a link.

    The email says only that a concern needs attention and how urgent it is: no name, no
    category, no text, because email leaves the hospital's systems.
    """
    concern = Concern.objects.select_related("clinic", "assignee").filter(pk=concern_id).first()
    if concern is None:
        return
    if concern.assignee is not None:
        recipients = [concern.assignee.email]
    else:
        recipients = list(
            User.objects.filter(
                is_active=True,
                staff_roles__clinic=concern.clinic,
                staff_roles__role=Role.COORDINATOR,
                staff_roles__deactivated_at__isnull=True,
            )
            .values_list("email", flat=True)
            .distinct()
        )
    if not recipients:
        return
    link = settings.SITE_URL + reverse(
        "concern_detail", kwargs={"clinic_slug": concern.clinic.slug, "concern_id": concern.pk}
    )
    send_mail(
        subject=f"A concern needs your attention ({concern.get_urgency_display()})",
        message=(
            "A concern has been raised in Waitroom and routed to you.\n\n"
            f"Urgency: {concern.get_urgency_display()}\n\n"
            f"Sign in to read it and acknowledge it:\n{link}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
