"""The member home under 50 concurrent users, through gunicorn on loopback: p50 / p95 / req/s
for several worker settings, and for gunicorn.conf.py as shipped.

Needs the database benchmarks/pages.py builds (run that first, or with --keepdb); uses the same
REDIS_URL (its database is emptied by pages.py, not here).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt7 REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python benchmarks/gunicorn_load.py [--seconds 20] [--users 50]

Each user is one keep-alive connection sending the next request when the last answered (a
closed loop, as phones on a clinic's wifi); a closed connection is opened again and its time
counted. The load generator runs in this process on the same machine, so it takes CPU the
server would otherwise have: the figures are a floor, and comparable between settings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waitroom"))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(
    _parts._replace(path=_parts.path.rstrip("/") + "_bench")
)
if not os.environ.get("REDIS_URL"):
    sys.exit("Set REDIS_URL (the Redis database benchmarks/pages.py used).")
SERVER_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "waitroom.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://bench.example",
    "DATABASE_URL": BENCH_URL,
    "MESSAGE_CHANNEL": "outbox",
    "LOG_LEVEL": "WARNING",
}
os.environ.update({k: v for k, v in SERVER_ENV.items() if k != "PATH"})

import django  # noqa: E402

django.setup()

# (label, gunicorn arguments after the config file's)
SETTINGS = [
    ("sync, 2 workers (gunicorn's default class)", ["--worker-class", "sync", "--workers", "2"]),
    ("gthread, 2 workers x 4 threads", ["--worker-class", "gthread", "--threads", "4"]),
    ("gthread, 2 workers x 8 threads", ["--worker-class", "gthread", "--threads", "8"]),
    ("gunicorn.conf.py as shipped", []),
]


def member_cookie() -> str:
    """A signed-in session for the demo member, written where the server reads it."""
    from django.test import Client

    from waitroom.models import User

    client = Client()
    client.force_login(User.objects.get(email="member@waitroom.example"))
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def one_user(port, request: bytes, until: float, latencies: list, errors: list) -> None:
    reader = writer = None
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
                elif name.lower() == b"connection" and value.strip().lower() == b"close":
                    close = True
            await reader.readexactly(length)
            if status != 200:
                errors.append(status)
            latencies.append(time.perf_counter() - started)
            if close:
                writer.close()
                writer = None
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            errors.append(type(error).__name__)
            if writer is not None:
                writer.close()
            writer = None


async def load(port: int, cookie: str, users: int, seconds: float) -> tuple[list, list]:
    request = (
        "GET /me/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: sessionid={cookie}\r\nAccept-Encoding: gzip\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors: list = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(one_user(port, request, until, latencies, errors) for _ in range(users)))
    return latencies, errors


def run(label: str, extra: list[str], cookie: str, users: int, seconds: float) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            *extra,
            "waitroom.wsgi",
        ],
        cwd=ROOT,
        env=SERVER_ENV,
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # until it answers (workers booted)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start: {label}") from None
        asyncio.run(load(port, cookie, users, 3))  # warm-up: imports, templates, connections
        latencies, errors = asyncio.run(load(port, cookie, users, seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    print(
        f"{label:46} {len(latencies) / seconds:7.1f} {statistics.median(latencies) * 1000:8.0f} "
        f"{p95 * 1000:8.0f} {len(errors):7d}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # STATIC_ROOT, as a release
    cookie = member_cookie()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.1f}, {args.users} users, {args.seconds:.0f} s each, member home"
    )
    print(f"{'setting':46} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for label, extra in SETTINGS:
        run(label, extra, cookie, args.users, args.seconds)


if __name__ == "__main__":
    main()
