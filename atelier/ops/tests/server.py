"""Run `atelier serve` in a child process on a free loopback port, for the tests."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 60
STOP_SECONDS = 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_environment(database_url: str, **env: str) -> dict:
    """A production-like environment: DEBUG off, plain HTTP on loopback, metrics open."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "METRICS_PUBLIC": "true",
        **env,
    }
    # Set by the browser tests for the live server in this process; no deployment has it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {name: value for name, value in environment.items() if value is not None}


def get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET, 4xx and 5xx included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_json(url: str, payload: dict, headers: dict | None = None) -> tuple[int, dict]:
    """(status, JSON answer) of a POST with a JSON body."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class ServedAtelier:
    """`atelier serve` with the given arguments and environment, stopped on exit (TERM)."""

    def __init__(self, environment: dict, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = environment
        self.args = args
        self.log = Path(tempfile.mkstemp(prefix="atelier-serve-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None
        self.returncode: int | None = None
        self._final_output: str | None = None

    def output(self) -> str:
        """Everything the server wrote so far (kept after the context exits)."""
        if self._final_output is not None:
            return self._final_output
        return self.log.read_text(errors="replace")

    def __enter__(self) -> "ServedAtelier":
        with self.log.open("wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "config.manage", "serve",
                 "--bind", f"127.0.0.1:{self.port}", *self.args],
                env=self.environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"atelier serve exited at start:\n{self.output()}")
            try:
                if get(f"{self.url}/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(
            f"atelier serve did not answer in {STARTUP_SECONDS}s:\n{self.output()}"
        )

    def stop(self) -> int:
        if self.process is not None and self.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.returncode = self.process.wait()
        return self.returncode

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self._final_output = self.output()
        self.log.unlink(missing_ok=True)
