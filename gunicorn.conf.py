"""gunicorn's settings for production: ``.venv/bin/gunicorn -c gunicorn.conf.py``.

The application runs behind a buffering reverse proxy (nginx) that terminates TLS and reads each
request whole before handing it on, so slow clients wait on the proxy, never on a worker thread:
gunicorn gives every connection a thread while it reads the request's headers, and a few dozen
clients sending a header line every few seconds would otherwise hold all of them. The proxy also
enforces its own body limit (nginx ``client_max_body_size``) at or above the application's.

Environment: ``PORT`` (8000) and ``BIND_HOST`` (127.0.0.1: only the proxy on this machine
connects), ``WEB_WORKERS`` (4 processes) and ``WEB_THREADS`` (4 threads each), and
``TRUSTED_PROXIES`` with ``FORWARDED_ALLOW_IPS`` as below.
"""

from __future__ import annotations

import gc
import os

wsgi_app = "app:create_app()"
bind = [f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Threads, not only processes: a request mostly waits on the database, and a process per
# request would hold a database connection and the application's memory for each.
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "4"))
threads = int(os.environ.get("WEB_THREADS", "4"))

# A worker silent this long is restarted. Imports and other long work run as jobs, but an IP
# log of a million rows (§7.308(d)(1)(i)(F)) is checked and stored within its request.
timeout = 120
graceful_timeout = 30
# The proxy keeps its connections to gunicorn open between requests.
keepalive = 5

# Whether a request came by HTTPS (and so gets HSTS, core/security.py) is the application's
# decision alone, from TRUSTED_PROXIES (werkzeug's ProxyFix in app.py). gunicorn's own default
# trusts X-Forwarded-Proto from 127.0.0.1, which would mark a request https with
# TRUSTED_PROXIES=0; so it trusts nobody then, and otherwise only the proxies' addresses,
# FORWARDED_ALLOW_IPS (comma-separated addresses or networks; the proxy on this machine by
# default).
if int(os.environ.get("TRUSTED_PROXIES", "0")) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""

accesslog = "-"
errorlog = "-"
# One JSON object a line, carrying the id the application gave the request (its X-Request-ID
# header), as the application's own log lines do (core/request_log.py). The request's path and
# the client's address are written by gunicorn as received, escaped.
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": "%(s)s", "bytes": "%(B)s", "duration_us": "%(D)s", '
    '"request_id": "%({x-request-id}o)s"}'
)


def post_worker_init(worker: object) -> None:
    """Once a worker has built the application, its objects (templates, routes, tables; some
    220,000) are moved out of the collector's sight: they live as long as the worker, and a full
    collection that walked them all would pause whichever request set it off."""
    gc.freeze()
