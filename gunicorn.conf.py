"""Production server settings for gunicorn, read from this file when gunicorn starts in the
repository (or with `-c gunicorn.conf.py`):

    SECRET_KEY=... DATABASE_URL=postgresql+psycopg://... .venv/bin/gunicorn wsgi:app

Every value can be overridden from the environment. The defaults suit a small machine (2 cores):
one process per core and a second one so a worker waiting on the database leaves the other core
busy, each with a few threads for requests that wait on I/O, and keep-alive for browsers and API
clients.
"""
import multiprocessing
import os
import sys

# A production server runs the production configuration, which refuses to start without SECRET_KEY.
os.environ.setdefault("RUEANG_ENV", "production")
if os.environ["RUEANG_ENV"] == "production" and not os.environ.get("SECRET_KEY"):
    raise SystemExit(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))') before starting the server."
    )
# Every other setting the app refuses (a DATABASE_URL it cannot use) is refused here too, once,
# before any worker starts: a worker that exits on it would be started again and again.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from config import ConfigurationError, config_from_environment, env_int  # noqa: E402

try:
    config_from_environment()()
    workers = env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count(), minimum=1)
    threads = env_int("RUEANG_THREADS", 4, minimum=1)
    keepalive = env_int("RUEANG_KEEPALIVE", 5)
    timeout = env_int("RUEANG_TIMEOUT", 30)
    # Recycle workers now and then so a slow leak never grows without bound.
    max_requests = env_int("RUEANG_MAX_REQUESTS", 20000)
except ConfigurationError as error:
    raise SystemExit(f"{error} The server was not started.") from None

bind = os.environ.get("RUEANG_BIND", "127.0.0.1:8080")
worker_class = "gthread"
graceful_timeout = 30
max_requests_jitter = max_requests // 10
# Behind a reverse proxy on this host, trust its X-Forwarded-* headers (see RUEANG_PROXY_COUNT too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access logs cost a write per request: off unless asked for ("-" for standard output).
accesslog = os.environ.get("RUEANG_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("RUEANG_LOG_LEVEL", "info")
if os.path.isdir("/dev/shm"):
    # Worker heartbeats on a memory file system never stall on a busy disk.
    worker_tmp_dir = "/dev/shm"
proc_name = "rueang"
