"""Celery beat entries for invitations (merged into CELERY_BEAT_SCHEDULE by settings).

Production runs exactly one beat process (`celery -A waitroom beat`, a single replica); each
tick also takes a Redis lock held for its whole interval, so a second beat started by mistake
does no harm: one tick acts per interval (docs/adr/0024-one-beat-tick-per-interval.md).
"""

import datetime as dt

PLAN_EVERY_SECONDS = 300
DISPATCH_EVERY_SECONDS = 60

INVITATION_BEAT_SCHEDULE = {
    # Reconcile every upcoming session's invitations with the database: catches anything a
    # missed on-commit trigger, a lost broker message or a clock passing a boundary left behind.
    "invitations-plan": {
        "task": "invitations.plan_all",
        "schedule": dt.timedelta(seconds=PLAN_EVERY_SECONDS),
        "options": {"expires": 240},
    },
    # Queue the messages that are due (and recover lost or abandoned sends).
    "invitations-dispatch": {
        "task": "invitations.dispatch_due",
        "schedule": dt.timedelta(seconds=DISPATCH_EVERY_SECONDS),
        "kwargs": {"scheduled": True},
        "options": {"expires": 50},
    },
}
