"""What the groups app tells the apps above it, without importing them.

`membership_changed` is sent (inside the change's transaction) with `patient_ids`, the women
whose cohort membership has just changed. The invitations planner connects to it in its
`AppConfig.ready()` and re-plans the sessions they may now fit.
"""

from __future__ import annotations

from django.dispatch import Signal

membership_changed = Signal()
