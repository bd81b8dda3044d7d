"""Settings for the test suite: Atelier's own settings, with what only makes tests faster.

pytest uses this module (pyproject.toml); so do the `atelier` processes a test starts,
which inherit DJANGO_SETTINGS_MODULE, so that a password hashed by the test is checked by
the same hasher in the child. Nothing here may change what a test observes: it only skips
work a test does not look at.
"""

from config.settings import *  # noqa: F403

# PBKDF2 costs about 0.2 s a password, and nearly every test makes users. Tests check that
# passwords are hashed and verified, not how slowly (atelier/core/tests/test_test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
