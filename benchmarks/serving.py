"""An application served as production serves it: gunicorn with the repository's
``gunicorn.conf.py``, on a free loopback port, in a process group of its own that is stopped
whatever happens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests
from common import ROOT

GUNICORN_CONF = ROOT / "gunicorn.conf.py"
START_SECONDS = 90
STOP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log_tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_answering(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{_log_tail(log)}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or the workers are still booting
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {START_SECONDS} s:\n{_log_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group (the arbiter and its workers), then SIGKILL to any left."""
    for signal_sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signal_sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def gunicorn(
    env: Mapping[str, str], log: Path, *, app: str | None = None, ready_path: str = "/"
) -> Iterator[str]:
    """The base URL of ``app`` (by default the configuration's own, the project) served by
    ``gunicorn -c gunicorn.conf.py`` with ``env``, once ``ready_path`` answers 200. Its access and
    error logs go to ``log``."""
    port = free_port()
    # A control socket of its own: by default every gunicorn of this account shares one path.
    control = ["--control-socket", str(log.with_name(f"gunicorn-{port}.ctl"))]
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), *control,
        *([app] if app else []),
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command,
            cwd=ROOT,
            env={**env, "BIND_HOST": "127.0.0.1", "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that its workers stop with it
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_answering(process, base + ready_path, log)
        yield base
    finally:
        _stop(process)
