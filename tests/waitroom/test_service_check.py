"""`make test` stops at once, saying how to start it, when PostgreSQL or Redis does not answer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pytest(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "tests/waitroom/test_healthz.py",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/waitroom"},
            "PostgreSQL is not answering",
        ),
        ({"REDIS_URL": "redis://127.0.0.1:1/15"}, "Redis is not answering"),
    ],
)
def test_the_suite_stops_when_a_service_is_down(env, message):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    result = _pytest(**env)
    assert result.returncode == 3
    assert message in result.stdout + result.stderr
    assert "Start it with" in result.stdout + result.stderr
    assert "passed" not in result.stdout
