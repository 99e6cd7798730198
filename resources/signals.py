"""Keeping the members' cached resource lists true (resources/selectors.py): any change to a
resource or to the cohorts it is for starts a new library generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Resource
from .selectors import library_changed


def _after_commit(**kwargs) -> None:
    # After the change is committed, so a request reading in between cannot cache the old rows
    # under the new generation. Also at once: a rolled-back change costs one cache miss.
    library_changed()
    transaction.on_commit(library_changed)


@receiver(post_save, sender=Resource, dispatch_uid="resources-cache-saved")
@receiver(post_delete, sender=Resource, dispatch_uid="resources-cache-deleted")
def resource_changed(sender, **kwargs) -> None:
    _after_commit()


@receiver(m2m_changed, sender=Resource.cohorts.through, dispatch_uid="resources-cache-cohorts")
def resource_cohorts_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _after_commit()
