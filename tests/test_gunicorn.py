"""The production web server as gunicorn.conf.py sets it up: whether a request came by HTTPS,
and so gets HSTS, is decided by the application's TRUSTED_PROXIES alone, never by gunicorn
trusting X-Forwarded-Proto on its own."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@contextmanager
def gunicorn(
    database: Path | str, trusted_proxies: int = 0, access_log: Path | None = None, **settings: str
) -> Iterator[int]:
    """gunicorn with the repository's config on a free port; yields the port. ``database`` is an
    SQLite file or a database URL. Its access log (standard output) goes to ``access_log``."""
    env = {
        **os.environ,
        "DATABASE_URL": database if isinstance(database, str) else f"sqlite:///{database}",
        "TRUSTED_PROXIES": str(trusted_proxies),
        "PORT": "0",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        **settings,
    }
    env.pop("FORWARDED_ALLOW_IPS", None)
    log_file = access_log.open("w") if access_log else None  # closed when gunicorn has stopped
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log_file or subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        log = []
        for line in server.stderr:
            log.append(line)
            if found := LISTENING.search(line):
                break
        else:
            pytest.fail("gunicorn did not start:\n" + "".join(log))
        yield int(found.group(1))
    finally:
        server.terminate()
        server.communicate(timeout=30)
        if log_file:
            log_file.close()


def _headers_of_sign_in_page(port: int, **headers: str) -> http.client.HTTPMessage:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/login", headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        return response.headers
    finally:
        connection.close()


@pytest.fixture
def database(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "served.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return path


def test_with_no_trusted_proxy_a_forwarded_https_header_does_not_bring_hsts(database):
    with gunicorn(database, trusted_proxies=0) as port:
        headers = _headers_of_sign_in_page(port, **{"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in headers
    assert headers["Content-Security-Policy"]  # the application's own headers are there


def test_behind_a_trusted_proxy_its_https_header_brings_hsts(database):
    with gunicorn(database, trusted_proxies=1) as port:
        forwarded = _headers_of_sign_in_page(port, **{"X-Forwarded-Proto": "https"})
        plain = _headers_of_sign_in_page(port)
    assert forwarded["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in plain


def test_each_access_log_line_is_json_naming_the_request(database, tmp_path):
    access_log = tmp_path / "access.log"
    with gunicorn(database, trusted_proxies=0, access_log=access_log) as port:
        headers = _headers_of_sign_in_page(port)
    [line] = [json.loads(text) for text in access_log.read_text().splitlines()]
    assert line["request_id"] == headers["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/login", "200")
