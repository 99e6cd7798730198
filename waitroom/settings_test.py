"""The test override: real PostgreSQL and Redis (local defaults, overridable), fast hashing."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waitroom")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from waitroom.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Each test starts with a clean rate-limit slate: tests that need rate limits turn them on.
ACCOUNT_RATE_LIMITS_ENABLED = True
CELERY_TASK_ALWAYS_EAGER = True
