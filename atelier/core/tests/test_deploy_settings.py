"""Production settings: `atelier check --deploy` is clean with DEBUG off and a real key."""

import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.subprocess


def deployment_environment(**env: str) -> dict:
    """This process's environment as a deployment would have it: no test-only switches."""
    environment = {**os.environ, "DEBUG": "false", **env}
    # The browser tests set this for the live server in this process; no deployment does.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return environment


def run_check(**env: str) -> subprocess.CompletedProcess:
    environment = deployment_environment(**{"SECRET_KEY": secrets.token_urlsafe(50), **env})
    return subprocess.run(
        [sys.executable, "-m", "config.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_is_clean_with_django_redirecting_to_https():
    result = run_check(SECURE_SSL_REDIRECT="true")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_weak_secret_key_is_reported():
    result = run_check(SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    environment = deployment_environment()
    environment.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "config.manage", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
