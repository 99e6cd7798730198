"""gunicorn's settings for Waitroom's web process (`gunicorn waitroom.wsgi` reads this file from
the working directory). Why these values: docs/adr/0042-gunicorn-threads-and-keep-alive.md;
measured with benchmarks/gunicorn_load.py. Each can be overridden from the environment
(WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT) or on the command line.
"""

import os

bind = os.environ.get("WEB_BIND") or "0.0.0.0:8000"

# Threads, not bare sync workers: a sync worker closes every connection after one response (no
# keep-alive), so each phone pays a new TCP (and, past the proxy, TLS) handshake per page, and
# one slow request holds the whole worker. Threads overlap database waits; the GIL still
# shares one core per process, so processes follow the cores.
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 2)
threads = int(os.environ.get("WEB_THREADS") or 8)

# A request that takes 30 s is stuck: the worker is restarted. With threads the timeout is the
# worker's heartbeat, not one request's, so a busy worker is not killed for being busy.
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 30
# Held open between a phone's requests (page, then its CSS and JS from WhiteNoise). Shorter than
# the proxy's idle timeout in front, so the proxy never sends on a connection gunicorn closed.
keepalive = 5

# Recycle workers now and then so slow growth of memory cannot build up; jitter so they do not
# all restart at once.
max_requests = 2000
max_requests_jitter = 200

# Heartbeat files in memory, not on a disk that may stall (container overlay filesystems).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = None  # the proxy logs requests; no personal data in our logs (URLs carry none)
errorlog = "-"
