"""gunicorn's configuration (`make serve`, and the systemd unit in deploy/systemd/).

Everything comes from the environment: HOST and PORT (or GUNICORN_BIND), GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT. See docs/deploy.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Two workers per core and one more (gunicorn's advice), each with a few threads (gunicorn's
# gthread worker): a download streaming for a minute, or waiting for a download slot
# (TRACKER_EXPORT_SLOTS), holds one thread, not a whole worker, and the pages go on being
# answered by the others. Each worker holds a pool of database connections its threads share.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request running longer than this is killed (and logged); exports stream, so a long export
# keeps writing and is not cut off by it only if each chunk comes within the limit.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow without bound: not too often, as
# a kept answer takes about a millisecond and a worker answering a thousand a second would be
# replaced every other second (its replacement forks warm: config.wsgi warms the master).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Request lines and headers of a sane size; bodies are limited by Django and nginx.
limit_request_line = 8190
limit_request_fields = 100
# The app logs one JSON line per request itself (core.middleware); gunicorn logs only its own
# events, to standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Proxy headers are judged by the app (DJANGO_TRUSTED_PROXIES), never by gunicorn.
forwarded_allow_ips = ""
proxy_allow_ips = ""
# Load the app before forking: workers share its memory, and a broken configuration stops the
# start instead of every worker.
preload_app = True
wsgi_app = "config.wsgi:application"
# No control socket in the user's home (systemd's signals start, reload and stop it).
control_socket_disable = True
# gunicorn's own lines as JSON too, like the app's (core.logs).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logs.JSONFormatter"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["error_console"],
            "propagate": False,
        },
    },
}
