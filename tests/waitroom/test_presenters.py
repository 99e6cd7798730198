"""Display shapes come from presenters: views and selectors never hang extra attributes on the
rows they hand to templates (docs/adr: where each kind of rule lives)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from groups.members.selectors import member_sessions
from tests.members.builders import invitation_for
from waitroom.audit_labels import labelled_events
from waitroom.models import AuditEvent

APPS = ("waitroom", "groups", "sessions", "resources")


def _feeds_templates(path: Path) -> bool:
    # A views package (sessions/facilitation/views/) is views too, one module a feature.
    return (
        path.name.endswith("views.py")
        or path.parent.name == "views"
        or path.name in ("selectors.py", "presenters.py")
    )


def _attributes_set_on_loop_variables(path: Path) -> list[str]:
    found = []
    for loop in ast.walk(ast.parse(path.read_text())):
        if not isinstance(loop, ast.For):
            continue
        names = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        for node in ast.walk(loop):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in names
                ):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    return found


def test_no_view_or_selector_sets_attributes_on_the_rows_it_loops_over():
    base = Path(settings.BASE_DIR)
    modules = [
        path
        for app in APPS
        for path in (base / app).rglob("*.py")
        if "migrations" not in path.parts and _feeds_templates(path)
    ]
    assert modules
    assert [hit for path in modules for hit in _attributes_set_on_loop_variables(path)] == []


@pytest.mark.django_db
def test_labelled_audit_events_leave_the_events_untouched(clinic, coordinator):
    event = AuditEvent.objects.create(
        user=coordinator,
        clinic=clinic,
        action="view",
        object_type="facilitation.concern",
        object_id="77777",
    )
    (row,) = labelled_events([event])
    assert row.event is event
    assert row.record_label == "Concern 77777 (since deleted)"
    assert row.patient_number == ""
    assert not hasattr(event, "record_label")


@pytest.mark.django_db
def test_her_invitations_carry_their_page_link_without_changing_the_invitation(clinic):
    invitation = invitation_for(clinic)
    (shown,) = member_sessions(invitation.patient).invited
    assert shown.invitation == invitation
    assert shown.session == invitation.session
    assert shown.page_url.startswith("/invitation/")
    assert not hasattr(shown.invitation, "page_url")
