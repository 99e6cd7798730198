#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waitroom.settings")
    # On a developer's machine (no DATABASE_URL: the SQLite file) manage.py works out of the box.
    # Anywhere a real database is configured, the settings' production checks apply in full
    # unless DEBUG is set on purpose; the web server (wsgi/asgi) never defaults it.
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
