"""How the suite runs: on config/settings_test.py (a fast password hasher), and with every
test that starts a child process marked `subprocess`, so that `make test-fast` leaves it out."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

import config.settings as project_settings


def test_the_suite_runs_on_the_test_settings_module():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_passwords_are_still_hashed_and_checked():
    encoded = make_password("violet-tram-42")

    assert encoded.startswith("md5$") and "violet-tram-42" not in encoded
    assert check_password("violet-tram-42", encoded)
    assert not check_password("violet-tram-43", encoded)


def test_the_fast_hasher_stays_out_of_the_project_settings():
    # Production keeps Django's default hashers (PBKDF2 first): config.settings sets none.
    assert not hasattr(project_settings, "PASSWORD_HASHERS")


def test_a_child_process_in_an_unmarked_test_fails_naming_the_marker():
    with pytest.raises(AssertionError, match="mark it @pytest.mark.subprocess"):
        subprocess.run([sys.executable, "-c", "pass"], check=True)


@pytest.mark.subprocess
def test_a_marked_test_may_start_one():
    assert subprocess.run([sys.executable, "-c", "pass"], check=True).returncode == 0
