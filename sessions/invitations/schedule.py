"""Celery beat entries for invitations (merged into CELERY_BEAT_SCHEDULE by settings).

Production runs exactly one beat process (`celery -A waitroom beat`, a single replica); the
tasks also take a Redis lock, so a second beat started by mistake does no harm: one run acts.
"""

import datetime as dt

INVITATION_BEAT_SCHEDULE = {
    # Reconcile every upcoming session's invitations with the database: catches anything a
    # missed on-commit trigger, a lost broker message or a clock passing a boundary left behind.
    "invitations-plan": {
        "task": "invitations.plan_all",
        "schedule": dt.timedelta(minutes=5),
        "options": {"expires": 240},
    },
    # Queue the messages that are due (and recover lost or abandoned sends).
    "invitations-dispatch": {
        "task": "invitations.dispatch_due",
        "schedule": dt.timedelta(minutes=1),
        "kwargs": {"scheduled": True},
        "options": {"expires": 50},
    },
}
