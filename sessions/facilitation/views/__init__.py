"""Running and recording a session, one module a feature: run sheet, attendance, notes, concerns,
debriefs, governance.

Access (waitroom.access.clinic_view, then the selectors' `*_visible_to`): staff of another
clinic get a 404; a peer supporter reaches only the sessions she runs and the concerns and
debriefs that are hers, and sees display names, appointment times, interpreter need and
attendance, never clinical detail. Every read or change of a note, concern, debrief or a
woman's details is audited in the request's transaction.
"""

from waitroom.models import AuditEvent

Action = AuditEvent.Action
