"""The settings module refuses unsafe production values; production settings pass check --deploy.

Each case starts a fresh interpreter, because settings are read once at start-up.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jx9-Qw2mZ8rT5vB7nY1pL4sD6fH0gA_cE3uI9oP2wR5tX8zV",
    "ALLOWED_HOSTS": "waitroom.example.nhs.uk",
    "SITE_URL": "https://waitroom.example.nhs.uk",
    "DATABASE_URL": "postgres://waitroom@127.0.0.1:5432/waitroom",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "MESSAGE_CHANNEL": "email",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "waitroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must name"),
        ("REDIS_URL", "REDIS_URL must be set"),
        ("MESSAGE_CHANNEL", "MESSAGE_CHANNEL must be outbox, notify or email"),
    ],
)
def test_it_refuses_to_start_in_production_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "short", "at least 50 characters"),
        ("SECRET_KEY", "insecure-development-key-for-make-run-only", "at least 50 characters"),
        ("DATABASE_URL", "sqlite:///prod.sqlite3", "must point at PostgreSQL"),
        ("SITE_URL", "http://waitroom.example.nhs.uk", "must be an https://"),
        ("DEBUG", "perhaps", "DEBUG must be true or false"),
        ("MESSAGE_CHANNEL", "notify", "MESSAGE_CHANNEL=notify needs NOTIFY_API_KEY"),
        ("TRUSTED_PROXIES", "10.0.0.0/8,load-balancer", "TRUSTED_PROXIES must be IP addresses"),
    ],
)
def test_it_refuses_bad_production_values(name, value, message):
    result = _manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_manage_py_works_out_of_the_box_on_a_developers_machine():
    # No DATABASE_URL: the SQLite file, so manage.py assumes development.
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_manage_py_keeps_the_production_checks_where_a_database_is_configured():
    result = _manage("check", DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_defaults_need_no_services():
    result = _manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_csp_forbids_inline_script(client):
    policy = client.get("/account/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_migrations_are_in_step_with_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _site_url(**env: str) -> str:
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_links_point_at_the_port_the_demo_is_served_on():
    assert _site_url(DEBUG="true", PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url(DEBUG="true") == "http://127.0.0.1:8000"


def test_a_site_url_that_is_set_wins_over_the_port():
    assert _site_url(DEBUG="true", PORT="8123", SITE_URL="http://demo.local:9000/") == (
        "http://demo.local:9000"
    )


def test_make_run_serves_on_the_port_it_is_given():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "runserver 127.0.0.1:8123" in result.stdout


# Four people signing in at once: each request reads, then writes, in one transaction.
SQLITE_SIGN_INS_AT_ONCE = """
import threading
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
    cursor.execute("PRAGMA busy_timeout")
    print("busy_timeout", cursor.fetchone()[0])
    cursor.execute("CREATE TABLE sign_in (n integer)")
connection.close()

PEOPLE = 4
all_have_read = threading.Barrier(PEOPLE)
errors = []

def sign_in():
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sign_in")
                try:
                    # Wait until everyone has read, unless the database makes them queue.
                    all_have_read.wait(timeout=1)
                except threading.BrokenBarrierError:
                    pass
                cursor.execute("INSERT INTO sign_in VALUES (1)")
    except Exception as exc:
        errors.append(str(exc))
    finally:
        connection.close()

people = [threading.Thread(target=sign_in) for _ in range(PEOPLE)]
for person in people:
    person.start()
for person in people:
    person.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM sign_in")
    print("signed_in", cursor.fetchone()[0])
print("errors", errors)
"""


def test_the_demo_sqlite_file_lets_people_sign_in_at_the_same_time(tmp_path):
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        SQLITE_SIGN_INS_AT_ONCE,
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["journal_mode"] == "wal"
    assert int(lines["busy_timeout"]) >= 5000
    assert lines["errors"] == "[]"
    assert lines["signed_in"] == "4"


def test_postgresql_gets_no_sqlite_options():
    from django.conf import settings

    assert "init_command" not in settings.DATABASES["default"].get("OPTIONS", {})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/login/", "/check-in/", "/healthz", "/no-such-page/"])
def test_every_response_refuses_the_camera_microphone_and_location(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy.split(", ")


def test_make_runs_demo_migrates_and_seeds_on_sqlite_with_tasks_in_process(tmp_path):
    """`make run` on a machine with no services: SQLite, no broker, so every task (planning and
    the batch sender among them) runs in-process on SQLite."""
    demo = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    migrated = _manage("migrate", "--noinput", **demo)
    assert migrated.returncode == 0, migrated.stderr
    seeded = _manage("seed_demo", **demo)
    assert seeded.returncode == 0, seeded.stderr
    assert "Demo data ready" in seeded.stdout
    sent = _manage(
        "shell",
        "-c",
        "from sessions.invitations.models import Message;"
        "print(Message.objects.filter(status='sent').count())",
        **demo,
    )
    assert sent.returncode == 0, sent.stderr
    assert int(sent.stdout.strip().splitlines()[-1]) > 0  # the demo outbox has messages in it
