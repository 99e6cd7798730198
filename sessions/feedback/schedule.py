"""Celery beat entries for feedback (merged into CELERY_BEAT_SCHEDULE by settings)."""

import datetime as dt

PLAN_EVERY_SECONDS = 300

FEEDBACK_BEAT_SCHEDULE = {
    # Ask women who came to a session, and the baseline/later pair, every few minutes.
    "feedback-plan": {
        "task": "feedback.plan_all",
        "schedule": dt.timedelta(seconds=PLAN_EVERY_SECONDS),
        "options": {"expires": 240},
    },
}
